import { offerWithCodecs } from '@telekommune/media';
import {
  createRequest,
  DigestClient,
  formatUri,
  type SipResponse,
  type SipUri,
  sipUri,
  type Target,
} from '@telekommune/sip';
import type { RingOutcome } from '../../calls/ring-outcome.js';
import type { CarrierConfig } from '../../carriers/carrier-config.js';
import { formatForCarrier } from '../../carriers/number-format.js';
import type { AttemptOutcome } from '../../carriers/route-attempts.js';
import type { CallerId } from '../../numbering/outbound-dial-plan.js';
import type { B2buaCall } from '../b2bua-call.js';
import type { ForkSpec } from '../fork-spec.js';
import { carrierUri } from './carrier-address.js';

/** How one attempt on one carrier ended. */
export type CarrierDialResult =
  | { readonly kind: 'answered' }
  | { readonly kind: 'cancelled' }
  /** `attempt` for failover, `ring` for what the caller hears if this was the last try. */
  | { readonly kind: 'failed'; readonly attempt: AttemptOutcome; readonly ring: RingOutcome };

export interface CarrierDialTimers {
  /** No response at all (not even 100 Trying) within this: the carrier is not there. */
  readonly setup_ms: number;
  /** How long the outside number may ring. */
  readonly ring_ms: number;
}

const anonymousUri = sipUri({ user: 'anonymous', host: 'anonymous.invalid' });

/**
 * The caller identity towards a carrier: From and P-Asserted-Identity
 * (RFC 3325) carry the caller's DID in the carrier's number format; an
 * anonymous caller gets the RFC 3323 §4.1.1.3 anonymous From and
 * `Privacy: id`, while the carrier still learns the number from the
 * asserted identity (it needs it for emergency services and billing).
 */
export function carrierIdentity(
  carrier: CarrierConfig,
  callerId: CallerId,
): { from: SipUri; fromDisplayName: string | undefined; headers: [string, string][] } {
  const user =
    callerId.e164 === undefined
      ? undefined
      : formatForCarrier(callerId.e164, { numberFormat: carrier.numberFormat, country: carrier.country });
  const asserted = user === undefined ? undefined : sipUri({ user, host: carrier.host });
  const pai: [string, string][] = asserted ? [['P-Asserted-Identity', `<${formatUri(asserted)}>`]] : [];
  if (callerId.anonymous || asserted === undefined) {
    return {
      from: anonymousUri,
      fromDisplayName: 'Anonymous',
      headers: callerId.anonymous ? [...pai, ['Privacy', 'id']] : pai,
    };
  }
  return { from: asserted, fromDisplayName: undefined, headers: pai };
}

/** What the caller hears when a carrier answered `status` and no other carrier is tried. */
export function ringOutcomeOf(status: number, reason: string | undefined): RingOutcome {
  if (status === 486 || status === 600) return { kind: 'busy' };
  if (status === 603) return { kind: 'declined' };
  if (status === 404 || status === 604 || status === 484 || status === 410) return { kind: 'not-found' };
  if (status === 480) return { kind: 'unavailable', reason: 'callee unavailable' };
  if (status === 487) return { kind: 'no-answer' };
  return { kind: 'failed', status, ...(reason ? { reason } : {}) };
}

/**
 * Sends the call to one carrier through the B2BUA's dialling primitive and
 * reports how it went: answered, given up by the caller, or failed, with the
 * failover verdict's input (a 5xx or 408, no response within `setup_ms`,
 * an unreachable address) and what the caller would hear. A carrier that
 * registers with us also challenges INVITEs: its 401/407 is answered once
 * with the trunk's credentials.
 */
export async function dialCarrier(options: {
  readonly call: B2buaCall;
  /** The number called (E.164 or an emergency short code), for the CDR's answeredBy. */
  readonly label: string;
  readonly carrier: CarrierConfig;
  readonly dialString: string;
  readonly callerId: CallerId;
  readonly target: Target | undefined;
  readonly signal: AbortSignal;
  readonly timers: CarrierDialTimers;
  readonly digest?: DigestClient | undefined;
}): Promise<CarrierDialResult> {
  const { call, carrier, signal, timers } = options;
  if (signal.aborted) return { kind: 'cancelled' };
  if (!options.target) {
    return {
      kind: 'failed',
      attempt: { kind: 'transport-error', message: `${carrier.host} does not resolve` },
      ring: { kind: 'failed', status: 503, reason: 'Carrier Unreachable' },
    };
  }
  // The carrier hears only the codecs it takes, in its order; with none in common it is not tried.
  const calleeOffer = call.calleeOffer;
  const narrowed = calleeOffer === undefined ? undefined : offerWithCodecs(calleeOffer, carrier.codecs);
  if (narrowed?.ok === false && narrowed.reason === 'no-common-codec') {
    return {
      kind: 'failed',
      attempt: { kind: 'transport-error', message: `no codec in common with ${carrier.codecs.join(', ')}` },
      ring: { kind: 'failed', status: 488, reason: 'Not Acceptable Here' },
    };
  }
  const offer = narrowed?.ok ? narrowed.sdp : undefined;
  const requestUri = carrierUri(carrier, options.dialString);
  const identity = carrierIdentity(carrier, options.callerId);
  let credentials: [string, string][] = [];
  const digest =
    options.digest ??
    (carrier.auth.mode === 'register'
      ? new DigestClient({ username: carrier.auth.username, password: carrier.auth.password })
      : undefined);
  for (let round = 0; round < 2; round++) {
    const setup = new AbortController();
    const onAbort = () => setup.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let responded = false;
    let timedOut = false;
    let final: SipResponse | undefined;
    const timer = setTimeout(() => {
      if (responded) return;
      timedOut = true;
      setup.abort();
    }, timers.setup_ms);
    const spec: ForkSpec = {
      label: options.label,
      requestUri,
      target: options.target,
      to: requestUri,
      from: identity.from,
      fromDisplayName: identity.fromDisplayName,
      headers: [...identity.headers, ...credentials],
      offer,
      onResponse: (response) => {
        responded = true;
        if (response.status >= 200) final = response;
      },
    };
    let outcome: RingOutcome;
    try {
      outcome = await call.attempt([spec], timers.ring_ms, setup.signal);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    if (outcome.kind === 'answered') return { kind: 'answered' };
    if (signal.aborted) return { kind: 'cancelled' };
    if (timedOut) {
      return {
        kind: 'failed',
        attempt: { kind: 'timeout' },
        ring: { kind: 'failed', status: 408, reason: 'Carrier Did Not Respond' },
      };
    }
    if (final === undefined) {
      // Rang for ring_ms without an answer: the callee's doing, not the carrier's.
      return { kind: 'failed', attempt: { kind: 'response', status: 480 }, ring: { kind: 'no-answer' } };
    }
    const status = final.status;
    if (status !== 401 && status !== 407) {
      return {
        kind: 'failed',
        attempt: { kind: 'response', status },
        ring: ringOutcomeOf(status, final.reason),
      };
    }
    if (round === 0 && digest) {
      const retry = createRequest({
        method: 'INVITE',
        uri: requestUri,
        from: identity.from,
        to: requestUri,
        callId: final.callId,
        cseq: 2,
      });
      credentials = digest.respond(final, retry).map((h) => [h.name, h.value]);
      if (credentials.length > 0) continue;
    }
    break;
  }
  // A challenge we cannot answer is our configuration's fault, not the callee's: try the next carrier.
  return {
    kind: 'failed',
    attempt: { kind: 'transport-error', message: 'the carrier refused our credentials' },
    ring: { kind: 'failed', status: 503, reason: 'Carrier Authentication Failed' },
  };
}
