/**
 * Who may sign in to the console. An operator runs the installation; a
 * tenant admin runs one tenant; a user owns one extension of a tenant; a
 * member speaks for one person of the Venture Commune.
 */
export const accountRoles = ['operator', 'tenant_admin', 'user', 'member'] as const;
export type AccountRole = (typeof accountRoles)[number];

export interface Account {
  readonly id: string;
  readonly username: string;
  readonly role: AccountRole;
  /** The tenant of a tenant admin or a user; null otherwise. */
  readonly tenantId: string | null;
  /** The extension a user owns; null otherwise. */
  readonly extension: string | null;
  /** The commune person id of a member; null otherwise. */
  readonly personId: string | null;
  readonly displayName: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly passwordChangedAt: string;
}

export interface NewAccount {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: AccountRole;
  readonly tenantId: string | null;
  readonly extension: string | null;
  readonly personId: string | null;
  readonly displayName: string;
}

/** What may change on an account after creation (the role and username may not). */
export interface AccountPatch {
  readonly displayName?: string;
  readonly extension?: string | null;
  readonly personId?: string | null;
}

export function isAccountRole(value: string): value is AccountRole {
  return (accountRoles as readonly string[]).includes(value);
}
