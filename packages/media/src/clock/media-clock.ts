import { FRAME_MS } from '../audio/audio-frame.js';
import {
  type MonotonicClock,
  systemClock,
  systemTimers,
  type TimerHandle,
  type TimerScheduler,
} from './clock.js';

export interface PacedTick {
  /** Index of this tick: due at start + index × period. */
  readonly index: number;
  readonly dueMs: number;
  /** How late this tick runs (ms, >= 0). */
  readonly lateMs: number;
}

export interface PacedTask {
  cancel(): void;
  readonly cancelled: boolean;
}

export interface MediaClockOptions {
  readonly clock?: MonotonicClock;
  readonly timers?: TimerScheduler;
  /** Width of one wheel slot. */
  readonly resolutionMs?: number;
  /** Number of slots (resolution × slots should exceed the longest period). */
  readonly slots?: number;
  /**
   * A task that fell further behind than this many ticks (a blocked event
   * loop) skips the backlog instead of bursting it out; its next tick is the
   * current one. Up to this many late ticks are run back to back.
   */
  readonly maxCatchUpTicks?: number;
  /** Called when a task's callback throws; the task is cancelled. */
  readonly onError?: (error: unknown) => void;
  /** Hard limit on concurrent tasks. */
  readonly maxTasks?: number;
  /** Called after every tick a task ran (for measuring pacing; keep it cheap). */
  readonly observer?: (task: PacedTask, tick: PacedTick) => void;
}

interface Entry extends PacedTask {
  readonly startMs: number;
  readonly periodMs: number;
  readonly callback: (tick: PacedTick) => void;
  index: number;
  cancelled: boolean;
  /** Ticks skipped because the task fell too far behind. */
  skipped: number;
}

/**
 * One timer for all paced media: every task's tick n is due at exactly
 * start + n × period, computed from the start time, so lateness never
 * accumulates (unlike chained setInterval/setTimeout). Tasks live in a
 * hashed timing wheel of `slots` × `resolutionMs`, filed under the slot of
 * their next tick; one timer sleeps until the earliest occupied slot, then
 * runs every task whose tick has come, in slot order.
 */
export class MediaClock {
  readonly clock: MonotonicClock;
  private readonly timers: TimerScheduler;
  private readonly resolutionMs: number;
  private readonly wheel: Entry[][];
  private readonly maxCatchUpTicks: number;
  private readonly onError: (error: unknown) => void;
  private readonly maxTasks: number;
  private readonly observer: ((task: PacedTask, tick: PacedTick) => void) | undefined;
  /** Absolute slot number (floor(time / resolution)) emptied up to, inclusive. */
  private processedSlot: number;
  private timer: TimerHandle | undefined;
  private timerDueMs = Number.POSITIVE_INFINITY;
  private count = 0;
  private running = false;
  /** Ticks run and ticks skipped, over the clock's life. */
  ticksRun = 0;
  ticksSkipped = 0;

  constructor(options: MediaClockOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.resolutionMs = options.resolutionMs ?? 1;
    const slots = options.slots ?? 64;
    this.wheel = Array.from({ length: slots }, () => []);
    this.maxCatchUpTicks = options.maxCatchUpTicks ?? 5;
    this.onError = options.onError ?? (() => {});
    this.maxTasks = options.maxTasks ?? 10_000;
    this.observer = options.observer;
    this.processedSlot = Math.floor(this.clock.now() / this.resolutionMs) - 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Runs `callback` every `periodMs`, the first tick at `startMs` (default:
   * one period from now). Returns a handle to cancel it.
   */
  schedule(callback: (tick: PacedTick) => void, periodMs = FRAME_MS, startMs?: number): PacedTask {
    if (!(periodMs >= this.resolutionMs)) throw new RangeError('period shorter than the wheel resolution');
    if (this.count >= this.maxTasks) throw new RangeError(`media clock is full (${this.maxTasks} tasks)`);
    const now = this.clock.now();
    const entry: Entry = {
      startMs: startMs ?? now + periodMs,
      periodMs,
      callback,
      index: 0,
      cancelled: false,
      skipped: 0,
      cancel: () => {
        if (!entry.cancelled) {
          entry.cancelled = true;
          this.count--;
        }
      },
    };
    this.count++;
    // A start in the past begins at the first tick that is not.
    if (entry.startMs < now) entry.index = Math.ceil((now - entry.startMs) / periodMs);
    this.insert(entry);
    this.arm();
    return entry;
  }

  private dueOf(entry: Entry): number {
    return entry.startMs + entry.index * entry.periodMs;
  }

  /** Files an entry under the slot of its next due time (never a processed one). */
  private insert(entry: Entry): void {
    const slot = Math.max(this.processedSlot + 1, Math.floor(this.dueOf(entry) / this.resolutionMs));
    this.wheel[slot % this.wheel.length]!.push(entry);
  }

  /** Sleeps until the earliest tick due. */
  private arm(): void {
    if (this.running) return;
    const next = this.earliest();
    if (next === undefined) {
      if (this.timer) this.timers.clearTimer(this.timer);
      this.timer = undefined;
      this.timerDueMs = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer && this.timerDueMs <= next) return;
    if (this.timer) this.timers.clearTimer(this.timer);
    this.timerDueMs = next;
    this.timer = this.timers.setTimer(() => this.wake(), next - this.clock.now());
  }

  /**
   * The earliest due time of a live entry. A bucket can hold entries of
   * later revolutions (periods longer than the wheel), so the scan keeps the
   * minimum and stops at the first bucket whose own slot holds it.
   */
  private earliest(): number | undefined {
    if (this.count === 0) return undefined;
    let bestDue: number | undefined;
    let bestSlot = Number.POSITIVE_INFINITY;
    const n = this.wheel.length;
    for (let i = 1; i <= n; i++) {
      const absolute = this.processedSlot + i;
      for (const entry of this.wheel[absolute % n]!) {
        if (entry.cancelled) continue;
        const due = this.dueOf(entry);
        const slot = Math.max(absolute, Math.floor(due / this.resolutionMs));
        if (slot < bestSlot || (slot === bestSlot && due < bestDue!)) {
          bestSlot = slot;
          bestDue = due;
        }
      }
      if (bestSlot <= absolute) return bestDue;
    }
    return bestDue;
  }

  private wake(): void {
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
    this.running = true;
    try {
      const now = this.clock.now();
      const currentSlot = Math.floor(now / this.resolutionMs);
      if (currentSlot <= this.processedSlot) return;
      const n = this.wheel.length;
      // Every slot since the last wake; after a stall longer than the wheel,
      // each bucket once.
      const visits = Math.min(currentSlot - this.processedSlot, n);
      const collected: Entry[] = [];
      for (let k = 1; k <= visits; k++) {
        const index = (this.processedSlot + k) % n;
        const bucket = this.wheel[index]!;
        if (bucket.length === 0) continue;
        this.wheel[index] = [];
        for (const entry of bucket) if (!entry.cancelled) collected.push(entry);
      }
      // The current slot stays open: entries due later within it go back there.
      this.processedSlot = currentSlot - 1;
      for (const entry of collected) {
        if (!entry.cancelled) this.runDue(entry, now);
      }
    } finally {
      this.running = false;
      this.arm();
    }
  }

  private runDue(entry: Entry, now: number): void {
    let due = this.dueOf(entry);
    if (due > now) {
      this.insert(entry);
      return;
    }
    const behind = Math.floor((now - due) / entry.periodMs);
    if (behind >= this.maxCatchUpTicks) {
      entry.index += behind;
      entry.skipped += behind;
      this.ticksSkipped += behind;
      due = this.dueOf(entry);
    }
    while (due <= now && !entry.cancelled) {
      const tick: PacedTick = { index: entry.index, dueMs: due, lateMs: now - due };
      try {
        entry.callback(tick);
      } catch (error) {
        entry.cancel();
        this.onError(error);
        return;
      }
      this.observer?.(entry, tick);
      this.ticksRun++;
      entry.index++;
      due = this.dueOf(entry);
    }
    if (!entry.cancelled) this.insert(entry);
  }

  /** Cancels every task and the timer. */
  stop(): void {
    for (const bucket of this.wheel) {
      for (const entry of bucket) entry.cancel();
      bucket.length = 0;
    }
    if (this.timer) this.timers.clearTimer(this.timer);
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
  }
}
