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

export const hasPermission = (viewer: Viewer, permission: Permission): boolean =>
  viewer.permissions.includes(permission);
