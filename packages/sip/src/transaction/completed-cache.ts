import type { TimerHandle, Timers } from './timers.js';
import type { Wire } from './wire.js';

interface Entry {
  readonly bytes: Buffer;
  readonly wire: Wire;
  readonly expires: number;
}

/**
 * The Completed state of non-INVITE server transactions on unreliable
 * transports (RFC 3261 §17.2.2), kept compactly: for Timer J (64*T1) a
 * retransmitted request must get the final response again, and nothing else
 * is needed. Holding only the response bytes instead of the whole
 * transaction (request, parsed headers, timer) cuts memory per transaction
 * several times over at registrar rates. Timer J has one duration, so
 * expiries come in insertion order: one FIFO and one timer serve all.
 */
export class CompletedCache {
  readonly #entries = new Map<string, Entry>();
  #keys: string[] = [];
  #head = 0;
  #timer: TimerHandle | undefined;

  constructor(private readonly timers: Timers) {}

  get size(): number {
    return this.#entries.size;
  }

  add(key: string, bytes: Buffer, wire: Wire, duration_ms: number): void {
    const entry: Entry = { bytes, wire, expires: this.timers.now() + duration_ms };
    this.#entries.set(key, entry);
    this.#keys.push(key);
    if (this.#timer === undefined) this.#schedule(duration_ms);
  }

  /** Re-sends the final response when `key` is in Completed; false otherwise. */
  retransmit(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    entry.wire.send(entry.bytes);
    return true;
  }

  clear(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#entries.clear();
    this.#keys = [];
    this.#head = 0;
  }

  #schedule(delay_ms: number): void {
    this.#timer = this.timers.setTimeout(() => this.#expire(), Math.max(0, delay_ms));
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.timers.now();
    while (this.#head < this.#keys.length) {
      const key = this.#keys[this.#head]!;
      const entry = this.#entries.get(key);
      if (entry && entry.expires > now) {
        this.#schedule(entry.expires - now);
        break;
      }
      if (entry) this.#entries.delete(key);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#keys.length) {
      this.#keys = this.#keys.slice(this.#head);
      this.#head = 0;
    }
  }
}
