import type { TenantConfig } from '@telekommune/pbx';
import type { Account, AccountRole } from '@telekommune/store';
import type { Principal } from '../http/principal.js';

export interface AccountLinks {
  readonly role: AccountRole;
  readonly tenantId: string | null;
  readonly extension: string | null;
  readonly personId: string | null;
}

export interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * What each role must and must not be linked to: an operator to nothing, a
 * tenant admin to a tenant, a user to a tenant's extension, a member to a
 * commune person. Returns the problems; none means the links are valid.
 */
export function checkAccountLinks(links: AccountLinks, tenants: readonly TenantConfig[]): Issue[] {
  const issues: Issue[] = [];
  const noun = { tenantId: 'a tenant', extension: 'an extension', personId: 'a commune person' } as const;
  const needs = (field: 'tenantId' | 'extension' | 'personId', wanted: boolean) => {
    const present = links[field] !== null;
    if (wanted && !present)
      issues.push({ path: field, message: `a ${links.role} account needs ${noun[field]}` });
    if (!wanted && present) issues.push({ path: field, message: `a ${links.role} account has no ${field}` });
  };
  needs('tenantId', links.role === 'tenant_admin' || links.role === 'user');
  needs('extension', links.role === 'user');
  needs('personId', links.role === 'member');
  if (links.tenantId !== null) {
    const tenant = tenants.find((t) => t.id === links.tenantId);
    if (!tenant) issues.push({ path: 'tenantId', message: `no tenant ${links.tenantId}` });
    else if (links.extension !== null && !tenant.extensions.some((e) => e.number === links.extension)) {
      issues.push({ path: 'extension', message: `tenant ${tenant.id} has no extension ${links.extension}` });
    }
  }
  return issues;
}

/** Whether the caller administers this account (operators: all; tenant admins: their tenant's). */
export function administers(principal: Principal | undefined, account: Pick<Account, 'tenantId'>): boolean {
  if (!principal) return false;
  if (principal.kind === 'operator') return true;
  return principal.kind === 'tenant' && account.tenantId === principal.tenantId;
}

/** The roles a caller may give new accounts. */
export function grantableRoles(principal: Principal | undefined): readonly AccountRole[] {
  if (principal?.kind === 'operator') return ['operator', 'tenant_admin', 'user', 'member'];
  if (principal?.kind === 'tenant') return ['tenant_admin', 'user'];
  return [];
}
