import type { RtpRelay } from '@telekommune/media';
import type { SipStack } from '@telekommune/sip';
import type { CallRouter } from '../calls/call-router.js';
import type { ApplicationContext, RingOutcome } from '../calls/ring-outcome.js';
import type { Cdr } from '../cdr/cdr.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import type { Destination } from '../routing/destination.js';
import type { B2buaCall } from './b2bua-call.js';
import type { CallRegistry } from './call-registry.js';

/** What a call needs from the process around it. */
export interface B2buaEnvironment {
  readonly stack: SipStack;
  readonly router: CallRouter;
  readonly registry: CallRegistry;
  /** Media anchoring; undefined lets media flow directly between the phones. */
  readonly relay: RtpRelay | undefined;
  readonly writeCdr: (cdr: Cdr) => void;
  readonly log: (level: 'debug' | 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
  /** Voicemail, IVR, conference: answered by the media engine (later capabilities). */
  readonly application?: (
    call: B2buaCall,
    destination: string,
    signal: AbortSignal,
    context: ApplicationContext,
  ) => Promise<RingOutcome>;
  /** Calls to outside numbers, through the carriers. */
  readonly outside?: (
    call: B2buaCall,
    number: string,
    signal: AbortSignal,
    path: readonly string[],
  ) => Promise<RingOutcome>;
  /** Music for a party put on hold (anchored calls only); without it a held party hears what the holder sends. */
  readonly holdMusic?: (tenant: TenantConfig) => Promise<HoldMusicPlayer>;
  /** What a transfer (REFER) needs to judge its target; without it REFER is refused. */
  readonly transfers?: TransferLookups;
  readonly now: () => number;
  readonly limits: B2buaLimits;
}

/** Lookups for a REFER's target (refer-decision.ts). */
export interface TransferLookups {
  /** The id of the tenant whose SIP domain `host` is, if any. */
  tenantOfHost(host: string): string | undefined;
  /** Where `dialled` goes in `tenant` when `caller` dials it (extension, ring group, feature code, outside number). */
  resolve(tenant: TenantConfig, dialled: string, caller: string): Destination | undefined;
}

export interface B2buaLimits {
  /** Devices rung at once for one call (all forks of all targets). */
  readonly maxForks: number;
  /** Session-Expires we grant (RFC 4028); the caller's smaller wish is kept. */
  readonly sessionExpires_s: number;
  /** Min-SE: a smaller Session-Expires is refused with 422. */
  readonly minSessionExpires_s: number;
  /** How long the implicit subscription of a REFER lasts (RFC 3515 §2.4.4), in its NOTIFYs' Subscription-State. */
  readonly referExpires_s: number;
  /** How long a transferor may keep its leg after the final NOTIFY before the PBX ends it with BYE. */
  readonly transferorBye_ms: number;
}

export const defaultB2buaLimits: B2buaLimits = {
  maxForks: 32,
  sessionExpires_s: 1800,
  minSessionExpires_s: 90,
  referExpires_s: 60,
  transferorBye_ms: 4000,
};

/** The methods the B2BUA passes across in a dialog, and advertises in Allow. */
export const allowedMethods =
  'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, MESSAGE, NOTIFY, REFER, REGISTER, SUBSCRIBE';

/** A media endpoint that plays music on hold into a call, in the holding party's place at the relay. */
export interface HoldMusicPlayer {
  /**
   * Answers `offer` (the held party's media, pointed at the relay port the
   * holder sends to) and starts the music; our SDP for the relay to send the
   * holder's leg to, or undefined when the offer is unusable.
   */
  answer(offer: string): string | undefined;
  /** Stops the music and frees the endpoint. */
  close(): Promise<void>;
}
