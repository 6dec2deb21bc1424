import { FRAME_MS } from '../audio/audio-frame.js';
import {
  type MonotonicClock,
  systemClock,
  systemTimers,
  type TimerHandle,
  type TimerScheduler,
} from './clock.js';

/**
 * One tick of a paced task. The clock hands each task the same object on
 * every tick (no garbage per media packet): copy what you keep.
 */
export interface PacedTick {
  /** Index of this tick: due at start + index × period. */
  readonly index: number;
  readonly dueMs: number;
  /** How late this tick runs (ms, >= 0). */
  readonly lateMs: number;
  /**
   * How far the time since this task's previous tick ran strays from the
   * time between their due times (ms, signed: this tick's lateness minus the
   * previous one's); undefined on a task's first tick. Its magnitude is the
   * send-interval deviation a receiver sees, before the network.
   */
  readonly intervalDeviationMs: number | undefined;
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
  /**
   * Run every task of a slot together at the slot's start (up to one
   * resolution early) instead of waking for each task's own time (default
   * false). Each task's ticks still leave at the same offset every period,
   * so intervals stay exact, but the process wakes once per slot: with 5 ms
   * slots four times per 20 ms tick instead of up to twenty.
   */
  readonly batchSlots?: boolean;
  /** Number of slots (resolution × slots should exceed the longest period). */
  readonly slots?: number;
  /**
   * After falling behind (a blocked event loop), a task catches up by
   * running each tick this much sooner than one period after the previous
   * one (default 2 ms), instead of bursting the backlog out: a stall then
   * costs one long interval and a few intervals at most 2 ms short, rather
   * than a burst of near-zero ones.
   */
  readonly catchUpStepMs?: number;
  /** Also make up this share of the lag per tick when that is more than the step (default 0). */
  readonly catchUpFraction?: number;
  /**
   * A lag longer than this (default 60 ms) is worked off at once, a tick per
   * wake-up, down to this bound, and only the rest smoothly: a busy machine
   * then costs a short burst instead of a lag that keeps growing.
   */
  readonly maxSmoothLagMs?: number;
  /**
   * A task further behind than this many ticks (default 10, 200 ms) skips
   * the backlog (its next tick is the current one) rather than catching up
   * over seconds.
   */
  readonly maxCatchUpTicks?: number;
  /**
   * Wake this much (ms) before a run is due and sleep the rest precisely
   * (`TimerScheduler.sleep`), instead of trusting the timer to land on time
   * (default 0: off). One to two milliseconds covers the timer's error; the
   * thread is blocked for at most this long per wake-up.
   */
  readonly preciseWakeMs?: number;
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
  /** When the next tick is planned: its due time, or later while catching up. */
  runAtMs: number;
  /**
   * Catch-up line after a stall: tick `anchorIndex + j` is planned no
   * earlier than `anchorMs + j × (period - step)`. Planned times are
   * absolute, so the timer's own lateness on each wake-up does not pile up.
   */
  anchorMs: number;
  anchorIndex: number;
  /** The previous tick's lateness, negative if run early (NaN before the first). */
  lastLateMs: number;
  /** Handed to the callback on every tick, refilled each time. */
  readonly tick: { index: number; dueMs: number; lateMs: number; intervalDeviationMs: number | undefined };
  cancelled: boolean;
}

/**
 * One timer for all paced media. Every task's tick n is due at exactly
 * start + n × period, computed from the start time, so lateness never
 * accumulates (unlike chained setInterval/setTimeout).
 *
 * When the process stalls, a task does not burst its late packets out back
 * to back (each would be a large interval deviation at the receiver); it
 * runs the late tick at once and then shortens the following intervals by
 * 2 ms until it is back on its schedule. A lag beyond `maxSmoothLagMs`
 * (60 ms) is first worked off a tick per wake-up; a lag of more than
 * `maxCatchUpTicks` periods is skipped over (the stream's timestamps jump
 * ahead, no audio is dropped).
 *
 * Tasks live in a hashed timing wheel of `slots` × `resolutionMs`, filed
 * under the slot of their next run; one timer sleeps until the earliest, then
 * runs every task whose time has come, in slot order.
 */
export class MediaClock {
  readonly clock: MonotonicClock;
  private readonly timers: TimerScheduler;
  private readonly resolutionMs: number;
  private readonly batchSlots: boolean;
  private readonly wheel: Entry[][];
  private readonly catchUpStepMs: number;
  private readonly catchUpFraction: number;
  private readonly maxSmoothLagMs: number;
  private readonly maxCatchUpTicks: number;
  private readonly onError: (error: unknown) => void;
  private readonly maxTasks: number;
  private readonly observer: ((task: PacedTask, tick: PacedTick) => void) | undefined;
  private readonly preciseWakeMs: number;
  /** Absolute slot number (floor(time / resolution)) emptied up to, inclusive. */
  private processedSlot: number;
  private timer: TimerHandle | undefined;
  private timerDueMs = Number.POSITIVE_INFINITY;
  private count = 0;
  private running = false;
  /** The entries one wake-up runs (reused). */
  private readonly collected: Entry[] = [];
  /** Live tasks per phase (slot within the period), for each period a whole number of slots long. */
  private readonly phaseLoad = new Map<number, Int32Array>();
  /** Ticks run and ticks skipped, over the clock's life. */
  ticksRun = 0;
  ticksSkipped = 0;

  constructor(options: MediaClockOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.resolutionMs = options.resolutionMs ?? 1;
    this.batchSlots = options.batchSlots ?? false;
    const slots = options.slots ?? 64;
    this.wheel = Array.from({ length: slots }, () => []);
    this.catchUpStepMs = options.catchUpStepMs ?? 2;
    this.catchUpFraction = options.catchUpFraction ?? 0;
    this.maxSmoothLagMs = options.maxSmoothLagMs ?? 60;
    this.maxCatchUpTicks = options.maxCatchUpTicks ?? 10;
    this.onError = options.onError ?? (() => {});
    this.maxTasks = options.maxTasks ?? 10_000;
    this.observer = options.observer;
    this.preciseWakeMs = this.timers.sleep ? Math.max(0, options.preciseWakeMs ?? 0) : 0;
    this.processedSlot = Math.floor(this.clock.now() / this.resolutionMs) - 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * The start time for a new task of `periodMs`, at or after `earliestMs`
   * and less than one period later, whose phase (its slot within the
   * period) the fewest live tasks of that period share: the earliest such.
   *
   * Streams whose first packet can go at any point of the next period
   * (a new RTP stream) should start there. Calls set up together, such as
   * a trunk's burst or a load generator's steady rate of one call per
   * 20 ms, would otherwise all tick in the same few slots, and each of
   * those wake-ups would send hundreds of packets back to back while the
   * other slots stay empty; spread out, every wake-up sends its share.
   */
  quietStart(periodMs = FRAME_MS, earliestMs = this.clock.now() + periodMs): number {
    const load = this.phaseLoad.get(periodMs);
    if (load === undefined) return earliestMs;
    const first = this.phaseOf(periodMs, earliestMs);
    let best = 0;
    let bestLoad = load[first]!;
    for (let k = 1; k < load.length && bestLoad > 0; k++) {
      const slotLoad = load[(first + k) % load.length]!;
      if (slotLoad < bestLoad) {
        best = k;
        bestLoad = slotLoad;
      }
    }
    return earliestMs + best * this.resolutionMs;
  }

  /** The slot within the period that `timeMs` falls in, or -1 for a period that is not whole slots. */
  private phaseOf(periodMs: number, timeMs: number): number {
    const slots = periodMs / this.resolutionMs;
    if (!Number.isInteger(slots) || slots > 10_000) return -1;
    const within = ((timeMs % periodMs) + periodMs) % periodMs;
    return Math.min(slots - 1, Math.floor(within / this.resolutionMs));
  }

  private countPhase(periodMs: number, phase: number, delta: number): void {
    if (phase < 0) return;
    let load = this.phaseLoad.get(periodMs);
    if (load === undefined) {
      load = new Int32Array(periodMs / this.resolutionMs);
      this.phaseLoad.set(periodMs, load);
    }
    load[phase]! += delta;
  }

  /**
   * Runs `callback` every `periodMs`, the first tick at `startMs` (default:
   * one period from now; see `quietStart` for a start that spreads the
   * load). Returns a handle to cancel it.
   */
  schedule(callback: (tick: PacedTick) => void, periodMs = FRAME_MS, startMs?: number): PacedTask {
    if (!(periodMs >= this.resolutionMs)) throw new RangeError('period shorter than the wheel resolution');
    if (this.count >= this.maxTasks) throw new RangeError(`media clock is full (${this.maxTasks} tasks)`);
    const now = this.clock.now();
    const start = startMs ?? now + periodMs;
    const phase = this.phaseOf(periodMs, start);
    const entry: Entry = {
      startMs: start,
      periodMs,
      callback,
      index: 0,
      runAtMs: start,
      anchorMs: Number.NEGATIVE_INFINITY,
      anchorIndex: 0,
      lastLateMs: Number.NaN,
      tick: { index: 0, dueMs: 0, lateMs: 0, intervalDeviationMs: undefined },
      cancelled: false,
      cancel: () => {
        if (!entry.cancelled) {
          entry.cancelled = true;
          this.count--;
          this.countPhase(periodMs, phase, -1);
        }
      },
    };
    this.count++;
    this.countPhase(periodMs, phase, 1);
    // A start in the past begins at the first tick that is not.
    if (start < now) {
      entry.index = Math.ceil((now - start) / periodMs);
      entry.runAtMs = this.dueOf(entry);
    }
    this.insert(entry);
    this.arm();
    return entry;
  }

  private dueOf(entry: Entry): number {
    return entry.startMs + entry.index * entry.periodMs;
  }

  /** Files an entry under the slot of its next run (never a processed one). */
  private insert(entry: Entry): void {
    const slot = Math.max(this.processedSlot + 1, Math.floor(entry.runAtMs / this.resolutionMs));
    this.wheel[slot % this.wheel.length]!.push(entry);
  }

  /** Sleeps until the earliest run due. */
  private arm(): void {
    if (this.running) return;
    const earliest = this.earliest();
    const next =
      earliest === undefined || !this.batchSlots
        ? earliest
        : Math.floor(earliest / this.resolutionMs) * this.resolutionMs;
    if (next === undefined) {
      if (this.timer) this.timers.clearTimer(this.timer);
      this.timer = undefined;
      this.timerDueMs = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer && this.timerDueMs <= next) return;
    if (this.timer) this.timers.clearTimer(this.timer);
    this.timerDueMs = next;
    this.timer = this.timers.setTimer(() => this.wake(), next - this.clock.now() - this.preciseWakeMs);
  }

  /**
   * The earliest run time of a live entry. A bucket can hold entries of
   * later revolutions (periods longer than the wheel), so the scan keeps the
   * minimum and stops at the first bucket whose own slot holds it.
   */
  private earliest(): number | undefined {
    if (this.count === 0) return undefined;
    let bestAt: number | undefined;
    let bestSlot = Number.POSITIVE_INFINITY;
    const n = this.wheel.length;
    for (let i = 1; i <= n; i++) {
      const absolute = this.processedSlot + i;
      for (const entry of this.wheel[absolute % n]!) {
        if (entry.cancelled) continue;
        const slot = Math.max(absolute, Math.floor(entry.runAtMs / this.resolutionMs));
        if (slot < bestSlot || (slot === bestSlot && entry.runAtMs < bestAt!)) {
          bestSlot = slot;
          bestAt = entry.runAtMs;
        }
      }
      if (bestSlot <= absolute) return bestAt;
    }
    return bestAt;
  }

  private wake(): void {
    const target = this.timerDueMs;
    this.timer = undefined;
    this.timerDueMs = Number.POSITIVE_INFINITY;
    this.running = true;
    try {
      let now = this.clock.now();
      if (this.preciseWakeMs > 0 && now < target && target - now <= 2 * this.preciseWakeMs) {
        this.timers.sleep!(target - now);
        // A wait that ends a hair short still counts as on time.
        now = Math.max(this.clock.now(), target);
      }
      const currentSlot = Math.floor(now / this.resolutionMs);
      if (currentSlot <= this.processedSlot) return;
      const n = this.wheel.length;
      // Every slot since the last wake; after a stall longer than the wheel,
      // each bucket once.
      const visits = Math.min(currentSlot - this.processedSlot, n);
      const collected = this.collected;
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
      this.collected.length = 0;
      this.running = false;
      this.arm();
    }
  }

  private runDue(entry: Entry, now: number): void {
    const notYet = this.batchSlots
      ? Math.floor(entry.runAtMs / this.resolutionMs) > Math.floor(now / this.resolutionMs)
      : entry.runAtMs > now;
    if (notYet) {
      this.insert(entry);
      return;
    }
    const planned = entry.runAtMs;
    let due = this.dueOf(entry);
    const behind = Math.floor((now - due) / entry.periodMs);
    if (behind >= this.maxCatchUpTicks) {
      entry.index += behind;
      this.ticksSkipped += behind;
      due = this.dueOf(entry);
    }
    // Negative when a batched slot runs a task before its due time.
    const offsetMs = now - due;
    const last = entry.lastLateMs;
    entry.lastLateMs = offsetMs;
    const tick = entry.tick;
    tick.index = entry.index;
    tick.dueMs = due;
    tick.lateMs = Math.max(0, offsetMs);
    tick.intervalDeviationMs = Number.isNaN(last) ? undefined : offsetMs - last;
    try {
      entry.callback(tick);
    } catch (error) {
      entry.cancel();
      this.onError(error);
      return;
    }
    this.ticksRun++;
    this.observer?.(entry, tick);
    if (entry.cancelled) return;
    // A stall (later than planned by more than a catch-up step): start a new catch-up line here.
    if (now - planned > this.catchUpStepMs) {
      entry.anchorMs = now;
      entry.anchorIndex = entry.index;
    }
    entry.index++;
    const nextDue = this.dueOf(entry);
    if (now - nextDue > this.maxSmoothLagMs) {
      entry.runAtMs = nextDue; // far behind: the next tick at the next wake-up
    } else {
      const lag = Math.max(0, now - due);
      const step = Math.min(entry.periodMs / 2, Math.max(this.catchUpStepMs, lag * this.catchUpFraction));
      const catchUp = entry.anchorMs + (entry.index - entry.anchorIndex) * (entry.periodMs - step);
      entry.runAtMs = Math.max(nextDue, catchUp);
    }
    this.insert(entry);
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
