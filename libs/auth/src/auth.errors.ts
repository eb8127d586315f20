export type AccessCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

/**
 * Refusals. NOT_FOUND is also what another tenant's id gets, so that nothing reveals whether it
 * exists; messages never carry personal data.
 */
export class AccessError extends Error {
  constructor(
    readonly code: AccessCode,
    readonly messages: { en: string; zh: string },
  ) {
    super(messages.en);
    this.name = 'AccessError';
  }
}

export const unauthenticated = (why: string) =>
  new AccessError('UNAUTHENTICATED', {
    en: `Not authenticated: ${why}`,
    zh: `未通过身份验证：${why}`,
  });

export const forbidden = (what: string) =>
  new AccessError('FORBIDDEN', {
    en: `Not allowed: ${what}`,
    zh: `无权操作：${what}`,
  });

export const notFound = (kind: string, id: string) =>
  new AccessError('NOT_FOUND', { en: `${kind} ${id} not found`, zh: `未找到${kind} ${id}` });
