import type { MonotonicClock, TimerHandle, TimerScheduler } from './clock.js';

interface ManualTimer {
  readonly seq: number;
  readonly dueMs: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock and timer scheduler that only move when told to: `advance(ms)`
 * runs every timer that falls due, in order, at its due time. Optionally a
 * timer fires late by `latenessMs()` to model a busy event loop.
 */
export class ManualClock implements MonotonicClock, TimerScheduler {
  private time: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(
    startMs = 0,
    private readonly latenessMs: () => number = () => 0,
  ) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: ManualTimer = {
      seq: this.seq++,
      dueMs: this.time + Math.max(0, delayMs) + this.latenessMs(),
      callback,
      cancelled: false,
    };
    this.timers.push(timer);
    return { id: timer };
  }

  clearTimer(handle: TimerHandle): void {
    (handle.id as ManualTimer).cancelled = true;
  }

  /** A blocking wait: time moves on by `ms` and no timer fires meanwhile (they fire on the next `advance`). */
  sleep(ms: number): void {
    this.slept += Math.max(0, ms);
    this.time += Math.max(0, ms);
  }

  /** Total time spent in `sleep`. */
  slept = 0;

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing timers as they fall due. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: ManualTimer | undefined;
      for (const t of this.timers) {
        if (
          t.dueMs <= end &&
          (!next || t.dueMs < next.dueMs || (t.dueMs === next.dueMs && t.seq < next.seq))
        ) {
          next = t;
        }
      }
      if (!next) break;
      this.time = Math.max(this.time, next.dueMs);
      next.cancelled = true;
      next.callback();
    }
    this.time = end;
  }
}
