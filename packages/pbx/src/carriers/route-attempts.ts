import type { CarrierStatusBoard } from './carrier-status.js';
import type { RouteCandidate } from './least-cost-routing.js';

/** How an attempt on one carrier ended, as the SIP half saw it. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'transport-error'; readonly message?: string };

/** Whether an outcome says the carrier failed (try the next) rather than the callee answered (stop). */
export function isCarrierFailure(outcome: AttemptOutcome): boolean {
  if (outcome.kind !== 'response') return true;
  // RFC 3261 §21.4.9 408, and every 5xx: the carrier could not complete the call; 4xx and 6xx are the callee's answer.
  return outcome.status === 408 || (outcome.status >= 500 && outcome.status <= 599);
}

export const defaultMaxAttempts = 3;

/**
 * Failover over LCR candidates for one call: `next()` gives the next carrier
 * to try and takes one of its call slots; `failed(outcome)` gives the slot
 * back and says whether to go on; `answered()` keeps the slot until
 * `ended()`. A carrier that filled up since LCR ran is passed over.
 */
export class RouteAttempts {
  private position = 0;
  private current: RouteCandidate | undefined;
  private attempts = 0;
  private done = false;
  readonly tried: { readonly carrierId: string; readonly outcome: AttemptOutcome | 'answered' }[] = [];

  constructor(
    private readonly candidates: readonly RouteCandidate[],
    private readonly board: CarrierStatusBoard,
    private readonly maxAttempts = defaultMaxAttempts,
  ) {}

  /** The next carrier to send the INVITE to, or undefined when none is left. */
  next(): RouteCandidate | undefined {
    if (this.current) throw new Error('RouteAttempts.next called while an attempt is in progress');
    if (this.done || this.attempts >= this.maxAttempts) return undefined;
    while (this.position < this.candidates.length) {
      const candidate = this.candidates[this.position++] as RouteCandidate;
      if (!this.board.isHealthy(candidate.carrier.id)) continue;
      if (!this.board.tryAcquire(candidate.carrier.id, candidate.carrier.maxCalls)) continue;
      this.current = candidate;
      this.attempts++;
      return candidate;
    }
    return undefined;
  }

  /** Ends the current attempt without an answer; true when the call should try the next carrier. */
  failed(outcome: AttemptOutcome): boolean {
    const current = this.requireCurrent();
    this.board.release(current.carrier.id);
    this.current = undefined;
    this.tried.push({ carrierId: current.carrier.id, outcome });
    if (!isCarrierFailure(outcome)) this.done = true;
    return !this.done && this.attempts < this.maxAttempts;
  }

  /** The current carrier answered; its slot is held until `ended()`. */
  answered(): RouteCandidate {
    const current = this.requireCurrent();
    this.tried.push({ carrierId: current.carrier.id, outcome: 'answered' });
    this.done = true;
    return current;
  }

  /** The answered call ended (or the caller gave up mid-attempt): frees the slot. */
  ended(): void {
    if (this.current) this.board.release(this.current.carrier.id);
    this.current = undefined;
    this.done = true;
  }

  private requireCurrent(): RouteCandidate {
    if (!this.current) throw new Error('no attempt in progress');
    return this.current;
  }
}
