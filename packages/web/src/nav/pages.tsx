import type { ComponentType } from 'react';
import type { ApiPath } from '../api/client.js';
import type { Me, PrincipalKind } from '../auth/session.js';
import { AccountsPage } from '../pages/accounts.js';
import { BillingPage } from '../pages/billing.js';
import { CarrierPage } from '../pages/carrier.js';
import { CarriersPage } from '../pages/carriers.js';
import { CdrsPage } from '../pages/cdrs.js';
import { CommunePage } from '../pages/commune.js';
import { CommuneAuditPage } from '../pages/commune-audit.js';
import { CommuneBondsPage } from '../pages/commune-bonds.js';
import { CommuneBooksPage } from '../pages/commune-books.js';
import { CommuneCurrencyPage } from '../pages/commune-currency.js';
import { CommuneDistributionsPage } from '../pages/commune-distributions.js';
import { CommuneGovernancePage } from '../pages/commune-governance.js';
import { CommuneLabourPage } from '../pages/commune-labour.js';
import { CommuneMembersPage } from '../pages/commune-members.js';
import { CommunePropertiesPage } from '../pages/commune-properties.js';
import { CommuneRentAuctionsPage } from '../pages/commune-rent-auctions.js';
import { CommuneSeriesPage } from '../pages/commune-series.js';
import { DashboardPage } from '../pages/dashboard.js';
import { DidsPage } from '../pages/dids.js';
import { ExtensionPage } from '../pages/extension.js';
import { ExtensionsPage } from '../pages/extensions.js';
import { IvrPage } from '../pages/ivr.js';
import { IvrsPage } from '../pages/ivrs.js';
import { MyAccountPage } from '../pages/my-account.js';
import { MyForwardingPage } from '../pages/my-forwarding.js';
import { MyVoicemailPage } from '../pages/my-voicemail.js';
import { PromptsPage } from '../pages/prompts.js';
import { RatesPage } from '../pages/rates.js';
import { RegistrationsPage } from '../pages/registrations.js';
import { RingGroupPage } from '../pages/ring-group.js';
import { RingGroupsPage } from '../pages/ring-groups.js';
import { SchedulePage } from '../pages/schedule.js';
import { SipDiagnosticsPage } from '../pages/sip-diagnostics.js';
import { TenantsPage } from '../pages/tenants.js';
import { TokensPage } from '../pages/tokens.js';
import { VoicemailPage } from '../pages/voicemail.js';

export const navSections = ['Overview', 'Telephony', 'Calls', 'Network', 'Commune', 'Access', 'Me'] as const;
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
const commune: readonly PrincipalKind[] = ['operator', 'member'];
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
    path: '/tenants/:tenantId/ivrs',
    element: IvrsPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/ivrs',
    nav: { label: 'Auto attendant', section: 'Telephony', to: inTenant('ivrs') },
  },
  {
    path: '/tenants/:tenantId/ivrs/:id',
    element: IvrPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/ivrs/{id}',
  },
  {
    path: '/tenants/:tenantId/schedules/:id',
    element: SchedulePage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/schedules/{id}',
  },
  {
    path: '/tenants/:tenantId/prompts',
    element: PromptsPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/prompts/{name}',
    nav: { label: 'Recordings', section: 'Telephony', to: inTenant('prompts') },
  },
  {
    path: '/tenants/:tenantId/voicemail',
    element: VoicemailPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/voicemail/messages',
    nav: { label: 'Voicemail', section: 'Telephony', to: inTenant('voicemail') },
  },
  {
    path: '/tenants/:tenantId/dids',
    element: DidsPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/dids',
    nav: { label: 'Phone numbers', section: 'Telephony', to: inTenant('dids') },
  },
  {
    path: '/tenants/:tenantId/billing',
    element: BillingPage,
    kinds: staff,
    api: '/api/tenants/{tenantId}/balance',
    nav: { label: 'Billing and fraud', section: 'Telephony', to: inTenant('billing') },
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
    path: '/calls/sip',
    element: SipDiagnosticsPage,
    kinds: ['operator'],
    api: '/api/traces',
    nav: { label: 'SIP diagnostics', section: 'Calls', to: () => '/calls/sip' },
  },
  {
    path: '/carriers',
    element: CarriersPage,
    kinds: ['operator'],
    api: '/api/carriers',
    nav: { label: 'Carriers', section: 'Network', to: () => '/carriers' },
  },
  {
    path: '/carriers/:carrierId',
    element: CarrierPage,
    kinds: ['operator'],
    api: '/api/carriers/{carrierId}',
  },
  {
    path: '/rates',
    element: RatesPage,
    kinds: ['operator'],
    api: '/api/rates/{kind}/{ownerId}',
    nav: { label: 'Rate decks', section: 'Network', to: () => '/rates' },
  },
  {
    path: '/commune',
    element: CommunePage,
    kinds: commune,
    api: '/api/commune',
    nav: { label: 'The commune', section: 'Commune', to: () => '/commune' },
  },
  {
    path: '/commune/members',
    element: CommuneMembersPage,
    kinds: commune,
    api: '/api/commune/members',
    nav: { label: 'Members', section: 'Commune', to: () => '/commune/members' },
  },
  {
    path: '/commune/governance',
    element: CommuneGovernancePage,
    kinds: commune,
    api: '/api/commune/proposals',
    nav: { label: 'Governance', section: 'Commune', to: () => '/commune/governance' },
  },
  {
    path: '/commune/labour',
    element: CommuneLabourPage,
    kinds: commune,
    api: '/api/commune/labour',
    nav: { label: 'Labour', section: 'Commune', to: () => '/commune/labour' },
  },
  {
    path: '/commune/properties',
    element: CommunePropertiesPage,
    kinds: commune,
    api: '/api/commune/rent-roll',
    nav: { label: 'Properties and leases', section: 'Commune', to: () => '/commune/properties' },
  },
  {
    path: '/commune/rent-auctions',
    element: CommuneRentAuctionsPage,
    kinds: commune,
    api: '/api/commune/rent-auctions',
    nav: { label: 'Re-letting', section: 'Commune', to: () => '/commune/rent-auctions' },
  },
  {
    path: '/commune/bonds',
    element: CommuneBondsPage,
    kinds: commune,
    api: '/api/commune/bonds',
    nav: { label: 'Bonds and auctions', section: 'Commune', to: () => '/commune/bonds' },
  },
  {
    path: '/commune/bonds/:series',
    element: CommuneSeriesPage,
    kinds: commune,
    api: '/api/commune/bid',
  },
  {
    path: '/commune/currency',
    element: CommuneCurrencyPage,
    kinds: commune,
    api: '/api/commune/currency',
    nav: { label: 'Currency', section: 'Commune', to: () => '/commune/currency' },
  },
  {
    path: '/commune/distributions',
    element: CommuneDistributionsPage,
    kinds: commune,
    api: '/api/commune/distributions',
    nav: { label: 'Distributions', section: 'Commune', to: () => '/commune/distributions' },
  },
  {
    path: '/commune/books',
    element: CommuneBooksPage,
    kinds: commune,
    api: '/api/commune/balance-sheet',
    nav: { label: 'Books', section: 'Commune', to: () => '/commune/books' },
  },
  {
    path: '/commune/audit',
    element: CommuneAuditPage,
    kinds: commune,
    api: '/api/commune/audit',
    nav: { label: 'Audit', section: 'Commune', to: () => '/commune/audit' },
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
    path: '/me/voicemail',
    element: MyVoicemailPage,
    kinds: ['user'],
    api: '/api/me/voicemail/messages',
    nav: { label: 'My voicemail', section: 'Me', to: () => '/me/voicemail' },
  },
  {
    path: '/me/account',
    element: MyAccountPage,
    kinds: ['operator', 'tenant', 'user', 'member'],
    api: '/api/auth/password',
    nav: { label: 'My account', section: 'Me', to: () => '/me/account' },
  },
];
