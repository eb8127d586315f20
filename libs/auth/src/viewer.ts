export const ROLES = ['PLATFORM_ADMIN', 'OFFICER', 'AUDITOR', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, from a verified token. */
export interface Viewer {
  readonly userId: string;
  /** absent only for PLATFORM_ADMIN */
  readonly tenantId: string | null;
  readonly roles: readonly Role[];
  /** OFFICER/AUDITOR scope: this union's subtree; null = the tenant's root union */
  readonly unitId: string | null;
  /** MEMBER: the only member record they may see */
  readonly memberId: string | null;
}

export const hasRole = (viewer: Viewer, role: Role): boolean => viewer.roles.includes(role);
