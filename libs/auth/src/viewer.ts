export const ROLES = ['PLATFORM_ADMIN', 'OFFICER', 'AUDITOR', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Grants on top of a role, from the token's `permissions` claim. `PII_READ`: national id and
 * phone in full (PIPL); without it they are masked, whatever the role (AUDITOR included).
 */
export const PERMISSIONS = ['PII_READ'] as const;
export type Permission = (typeof PERMISSIONS)[number];

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
  /** Grants from the `permissions` claim; unknown names are ignored. */
  readonly permissions: readonly Permission[];
}

export const hasRole = (viewer: Viewer, role: Role): boolean => viewer.roles.includes(role);

const scopeKeys = new WeakMap<Viewer, string>();

/**
 * Everything of a viewer that what they are shown may depend on: the tenant and what the scope
 * checks and the personal-data masking read (roles, unit, member, permissions such as PII_READ;
 * not the user id, which no shared answer shows). Viewers with the same key may share an answer
 * (the response cache, live subscriptions executed once per group). One string per viewer object.
 */
export function viewerScopeKey(viewer: Viewer): string {
  let key = scopeKeys.get(viewer);
  if (key === undefined) {
    key = JSON.stringify([
      viewer.tenantId,
      [...viewer.roles].sort(),
      viewer.unitId,
      viewer.memberId,
      [...viewer.permissions].sort(),
    ]);
    scopeKeys.set(viewer, key);
  }
  return key;
}

export const hasPermission = (viewer: Viewer, permission: Permission): boolean =>
  viewer.permissions.includes(permission);
