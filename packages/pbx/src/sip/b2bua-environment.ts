import type { RtpRelay } from '@telekommune/media';
import type { SipStack } from '@telekommune/sip';
import type { CallRouter } from '../calls/call-router.js';
import type { ApplicationContext, RingOutcome } from '../calls/ring-outcome.js';
import type { Cdr } from '../cdr/cdr.js';
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
  readonly now: () => number;
  readonly limits: B2buaLimits;
}

export interface B2buaLimits {
  /** Devices rung at once for one call (all forks of all targets). */
  readonly maxForks: number;
  /** Session-Expires we grant (RFC 4028); the caller's smaller wish is kept. */
  readonly sessionExpires_s: number;
  /** Min-SE: a smaller Session-Expires is refused with 422. */
  readonly minSessionExpires_s: number;
}

export const defaultB2buaLimits: B2buaLimits = {
  maxForks: 32,
  sessionExpires_s: 1800,
  minSessionExpires_s: 90,
};

/** The methods the B2BUA passes across in a dialog, and advertises in Allow. */
export const allowedMethods =
  'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, MESSAGE, NOTIFY, REGISTER, SUBSCRIBE';
