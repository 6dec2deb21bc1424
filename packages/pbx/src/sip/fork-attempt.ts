import type { SipResponse } from '@telekommune/sip';
import type { RingOutcome } from '../calls/ring-outcome.js';
import type { CalleeLeg } from './callee-leg.js';
import type { ForkSpec } from './fork-spec.js';
import { completedElsewhere, type OutboundLeg, type OutboundLegEvents } from './outbound-leg.js';
import { outcomeOfFailures } from './ring-status.js';

/** What an attempt needs of its call. */
export interface ForkAttemptCall {
  /** Creates (does not start) the leg of one fork; the call keeps it to cancel when it ends unanswered. */
  createLeg(spec: ForkSpec, events: OutboundLegEvents): OutboundLeg;
  /** The callee leg joined to the caller, by this attempt or an earlier one. */
  connectedLeg(): CalleeLeg | undefined;
  /** A provisional response while the attempt is open: ringing or early media for the caller. */
  provisional(response: SipResponse): void;
  /** The first 2xx: join `leg` to the caller. */
  connect(leg: OutboundLeg, response: SipResponse): void;
  /** The attempt is over (called before its outcome is delivered). */
  settled(): void;
}

/**
 * Sends one INVITE per fork at once (at most `maxForks`), connects the first
 * 2xx and cancels the rest (with "Call completed elsewhere"). Resolves when one answered, all failed,
 * `timeout_ms` passed, or `signal` aborted (the caller hung up). A 2xx that
 * comes after another fork won, or after the attempt ended, is ACKed and
 * ended with BYE (RFC 3261 §13.2.2.4).
 */
export function attemptForks(
  specs: readonly ForkSpec[],
  maxForks: number,
  timeout_ms: number,
  signal: AbortSignal,
  call: ForkAttemptCall,
): Promise<RingOutcome> {
  return new Promise<RingOutcome>((resolve) => {
    let settled = false;
    const failures: number[] = [];
    const forks: OutboundLeg[] = [];
    const settle = (outcome: RingOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      call.settled();
      // Forks that lost to an answer are told so (RFC 3326), so phones log no missed call.
      const reason = outcome.kind === 'answered' ? [completedElsewhere] : [];
      for (const fork of forks) if (fork !== call.connectedLeg()) fork.cancel(reason);
      resolve(outcome);
    };
    const onAbort = () => settle({ kind: 'cancelled' });
    const timer = setTimeout(() => settle({ kind: 'no-answer' }), timeout_ms);
    signal.addEventListener('abort', onAbort);

    const observers = new Map<OutboundLeg, (response: SipResponse) => void>();
    const events: OutboundLegEvents = {
      provisional: (leg, response) => {
        observers.get(leg)?.(response);
        if (!settled) call.provisional(response);
      },
      final: (leg, response) => {
        observers.get(leg)?.(response);
        if (response.status < 300) {
          if (settled || call.connectedLeg()) {
            // Another fork won, or the attempt is over: this one must not linger.
            leg.state = 'ended';
            void leg.acknowledge().then(() => leg.bye());
            return;
          }
          call.connect(leg, response);
          settle({ kind: 'answered', by: leg.label });
          return;
        }
        failures.push(response.status);
        if (!settled && forks.every((f) => !f.pending)) settle(outcomeOfFailures(failures));
      },
    };
    for (const spec of specs.slice(0, maxForks)) {
      const leg = call.createLeg(spec, events);
      if (spec.onResponse) observers.set(leg, spec.onResponse);
      forks.push(leg);
    }
    for (const leg of forks) leg.start();
  });
}
