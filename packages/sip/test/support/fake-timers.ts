import type { Timers } from '../../src/index.js';

/** Hand-driven time for transaction tests: nothing fires until `advance`. */
export class FakeTimers implements Timers {
  #now = 0;
  #next = 0;
  readonly #pending = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delay_ms: number): number {
    const id = ++this.#next;
    this.#pending.set(id, { at: this.#now + Math.max(0, delay_ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Moves time forward, firing due timers in time order (ties in creation order). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let dueId: number | undefined;
      let dueAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of this.#pending) {
        if (timer.at <= end && timer.at < dueAt) {
          dueAt = timer.at;
          dueId = id;
        }
      }
      if (dueId === undefined) break;
      const timer = this.#pending.get(dueId)!;
      this.#pending.delete(dueId);
      this.#now = timer.at;
      timer.callback();
    }
    this.#now = end;
  }
}
