import type { RingOutcome } from '../calls/ring-outcome.js';
import type { Disposition } from '../cdr/cdr.js';

/** The SIP status the caller gets for an outcome without an answer. */
export function statusFor(outcome: RingOutcome): {
  status: number;
  reason?: string;
  disposition: Disposition;
} {
  switch (outcome.kind) {
    case 'answered':
      return { status: 200, disposition: 'answered' };
    case 'busy':
      return { status: 486, disposition: 'busy' };
    case 'no-answer':
      return { status: 480, reason: 'No Answer', disposition: 'no-answer' };
    case 'declined':
      return { status: 603, disposition: 'declined' };
    case 'unavailable':
      return {
        status: 480,
        ...(outcome.reason ? { reason: capitalise(outcome.reason) } : {}),
        disposition: 'unavailable',
      };
    case 'not-found':
      return { status: 404, disposition: 'not-found' };
    case 'cancelled':
      return { status: 487, disposition: 'cancelled' };
    case 'failed':
      return {
        status: outcome.status >= 400 && outcome.status < 700 ? outcome.status : 500,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        disposition: 'failed',
      };
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The caller's outcome when every device failed (RFC 3261 §16.7 picks the
 * best response; a PBX user cares about busy versus declined versus gone).
 */
export function outcomeOfFailures(statuses: readonly number[]): RingOutcome {
  if (statuses.includes(603)) return { kind: 'declined' };
  if (statuses.some((s) => s === 486 || s === 600)) return { kind: 'busy' };
  if (statuses.every((s) => s === 404 || s === 604)) return { kind: 'unavailable', reason: 'device unknown' };
  if (statuses.includes(487)) return { kind: 'no-answer' };
  const client = statuses.filter((s) => s >= 400 && s < 500 && s !== 408 && s !== 480);
  if (client.length > 0) return { kind: 'failed', status: client[0] ?? 500 };
  return { kind: 'unavailable', reason: 'no device reachable' };
}
