import type { TenantConfig } from '../../provisioning/tenant-config.js';
import type { Destination } from '../../routing/destination.js';
import type { B2buaCall } from '../b2bua-call.js';

/**
 * What the trunk side makes of a new INVITE before the PBX treats it as a
 * phone's: not from a carrier (authenticate it as usual), a carrier's call
 * to refuse, or a carrier's call to a DID to route into its tenant.
 */
export type CarrierInvite =
  | { readonly kind: 'not-carrier' }
  | { readonly kind: 'refuse'; readonly status: number; readonly reason: string }
  | {
      readonly kind: 'call';
      readonly tenant: TenantConfig;
      /** The outside caller: E.164 (or `anonymous`) and its international display form. */
      readonly caller: { readonly extension: string; readonly displayName: string | undefined };
      /** The DID called, in E.164 (the CDR's callee). */
      readonly dialled: string;
      readonly destination: Destination;
      /** Called once with the call, before it is routed. */
      readonly started?: (call: B2buaCall) => void;
    };
