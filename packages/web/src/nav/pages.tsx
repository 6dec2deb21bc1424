import type { ComponentType } from 'react';
import type { ApiPath } from '../api/client.js';
import type { Me, PrincipalKind } from '../auth/session.js';
import { AccountsPage } from '../pages/accounts.js';
import { CarriersPage } from '../pages/carriers.js';
import { CdrsPage } from '../pages/cdrs.js';
import { DashboardPage } from '../pages/dashboard.js';
import { ExtensionPage } from '../pages/extension.js';
import { ExtensionsPage } from '../pages/extensions.js';
import { MyAccountPage } from '../pages/my-account.js';
import { MyForwardingPage } from '../pages/my-forwarding.js';
import { RegistrationsPage } from '../pages/registrations.js';
import { RingGroupPage } from '../pages/ring-group.js';
import { RingGroupsPage } from '../pages/ring-groups.js';
import { TenantsPage } from '../pages/tenants.js';
import { TokensPage } from '../pages/tokens.js';

export const navSections = ['Overview', 'Telephony', 'Calls', 'Commune', 'Access', 'Me'] as const;
export type NavSection = (typeof navSections)[number];

/** Where a navigation link points, given the caller and the tenant in view (if any). */
export interface NavContext {
  readonly me: Me;
  /** The tenant admin's own tenant, or the tenant an operator is looking at. */
  readonly tenant: string | undefined;
}

/**
 * One console page. Adding a page is one entry here plus its component:
 * `api` names the OpenAPI path it depends on, so it only compiles once that
 * API exists in the generated types; `kinds` says who sees it.
 */
export interface ConsolePage {
  readonly path: string;
  readonly element: ComponentType;
  readonly kinds: readonly PrincipalKind[];
  readonly api: ApiPath;
  readonly nav?: {
    readonly label: string;
    readonly section: NavSection;
    /** The link target; undefined hides the link (e.g. no tenant in view yet). */
    readonly to: (context: NavContext) => string | undefined;
  };
}

const staff: readonly PrincipalKind[] = ['operator', 'tenant'];
const inTenant = (suffix: string) => (c: NavContext) =>
  c.tenant ? `/tenants/${c.tenant}/${suffix}` : undefined;

export const consolePages: readonly ConsolePage[] = [
  {
    path: '/',
    element: DashboardPage,
    kinds: ['operator', 'tenant', 'user', 'member'],
    api: '/api/auth/me',
    nav: { label: 'Dashboard', section: 'Overview', to: () => '/' },
  },
  {
    path: '/tenants',
    element: TenantsPage,
    kinds: ['operator'],
    api: '/api/tenants',
    nav: { label: 'Tenants', section: 'Telephony', to: () => '/tenants' },
  },
  {
    path: '/tenants/:tenantId/extensions',
    element: ExtensionsPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/extensions',
    nav: { label: 'Extensions', section: 'Telephony', to: inTenant('extensions') },
  },
  {
    path: '/tenants/:tenantId/extensions/:number',
    element: ExtensionPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/extensions/{number}',
  },
  {
    path: '/tenants/:tenantId/ring-groups',
    element: RingGroupsPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/ring-groups',
    nav: { label: 'Ring groups', section: 'Telephony', to: inTenant('ring-groups') },
  },
  {
    path: '/tenants/:tenantId/ring-groups/:groupId',
    element: RingGroupPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/ring-groups/{groupId}',
  },
  {
    path: '/calls/registrations',
    element: RegistrationsPage,
    kinds: staff,
    api: '/api/registrations',
    nav: { label: 'Registrations', section: 'Calls', to: () => '/calls/registrations' },
  },
  {
    path: '/calls/cdrs',
    element: CdrsPage,
    kinds: staff,
    api: '/api/cdrs',
    nav: { label: 'Call records', section: 'Calls', to: () => '/calls/cdrs' },
  },
  {
    path: '/carriers',
    element: CarriersPage,
    kinds: ['operator'],
    api: '/api/carriers',
    nav: { label: 'Carriers', section: 'Calls', to: () => '/carriers' },
  },
  {
    path: '/accounts',
    element: AccountsPage,
    kinds: staff,
    api: '/api/accounts',
    nav: { label: 'Accounts', section: 'Access', to: () => '/accounts' },
  },
  {
    path: '/tokens',
    element: TokensPage,
    kinds: ['operator', 'tenant', 'user', 'member'],
    api: '/api/tokens',
    nav: { label: 'API tokens', section: 'Access', to: () => '/tokens' },
  },
  {
    path: '/me/forwarding',
    element: MyForwardingPage,
    kinds: ['user'],
    api: '/api/me/forwarding',
    nav: { label: 'My forwarding', section: 'Me', to: () => '/me/forwarding' },
  },
  {
    path: '/me/account',
    element: MyAccountPage,
    kinds: ['operator', 'tenant', 'user', 'member'],
    api: '/api/auth/password',
    nav: { label: 'My account', section: 'Me', to: () => '/me/account' },
  },
];
