import { SipStackError } from '../errors.js';
import type { TimerConfig, TimerHandle, Timers } from './timers.js';
import type { Wire } from './wire.js';

/** Timer names of RFC 3261 §17 (Table 4) and RFC 6026 (L, M). */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M';

export interface TransactionEnvironment {
  readonly timers: Timers;
  readonly config: TimerConfig;
  /** Called once when the transaction reaches Terminated, so the layer forgets it. */
  readonly terminated: (transaction: Transaction<string>) => void;
  /** Called when a server transaction sends a final response. */
  readonly finalSent?: (transaction: Transaction<string>) => void;
  /**
   * Takes over the Completed state of a non-INVITE server transaction on an
   * unreliable transport (Timer J): the layer keeps only the response bytes.
   */
  readonly retainCompleted?: (transaction: Transaction<string>, bytes: Buffer, timerJ_ms: number) => void;
  readonly log?: (event: string, detail: Record<string, unknown>) => void;
}

/**
 * What the four machines share: a key, a state with its legal moves, named
 * timers that die with the state that started them, and a wire.
 */
export abstract class Transaction<S extends string> {
  #state: S;
  readonly #moves: Readonly<Record<S, readonly S[]>>;
  /** Created on the first timer: many transactions (answered at once, on UDP) never start one. */
  #timers: Map<TimerName, TimerHandle> | undefined;

  protected constructor(
    readonly key: string,
    initial: S,
    moves: Readonly<Record<S, readonly S[]>>,
    protected readonly wire: Wire,
    protected readonly env: TransactionEnvironment,
  ) {
    this.#state = initial;
    this.#moves = moves;
  }

  get state(): S {
    return this.#state;
  }

  get terminated(): boolean {
    return this.#state === 'terminated';
  }

  /** Moves to `next` (or throws for an illegal move: a bug), clearing every running timer. */
  protected transition(next: S): void {
    const from = this.#state;
    if (!this.#moves[from].includes(next)) {
      throw new SipStackError('invalid-state', `transaction ${this.key}: ${from} -> ${next} is not allowed`);
    }
    this.#state = next;
    this.stopAllTimers();
    if (next === 'terminated') this.env.terminated(this as unknown as Transaction<string>);
  }

  protected startTimer(name: TimerName, delay_ms: number, fire: () => void): void {
    this.stopTimer(name);
    const handle = this.env.timers.setTimeout(() => {
      this.#timers?.delete(name);
      fire();
    }, delay_ms);
    this.#timers ??= new Map();
    this.#timers.set(name, handle);
  }

  protected stopTimer(name: TimerName): void {
    const handle = this.#timers?.get(name);
    if (handle === undefined) return;
    this.env.timers.clearTimeout(handle);
    this.#timers?.delete(name);
  }

  protected stopAllTimers(): void {
    if (!this.#timers) return;
    for (const handle of this.#timers.values()) this.env.timers.clearTimeout(handle);
    this.#timers.clear();
  }

  /** Timers running now, for tests and diagnostics. */
  get runningTimers(): TimerName[] {
    return [...(this.#timers?.keys() ?? [])];
  }

  /** Stops everything without notifying anybody (the stack is closing). */
  abort(): void {
    this.stopAllTimers();
  }

  protected log(event: string, detail: Record<string, unknown> = {}): void {
    this.env.log?.(event, { transaction: this.key, state: this.#state, ...detail });
  }
}
