/** Time and timers, injected so the media core runs under a manual clock in tests. */

export interface MonotonicClock {
  /** Milliseconds on a monotonic clock (fractional). */
  now(): number;
}

export interface TimerHandle {
  readonly id: unknown;
}

export interface TimerScheduler {
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /**
   * Blocks the thread for `ms` (fractional, small), more precisely than a
   * timer can wake it; optional. Node's timers wake on whole milliseconds of
   * a loop clock read at the start of each loop turn, so a timer alone lands
   * up to a millisecond or two off.
   */
  sleep?(ms: number): void;
}

export const systemClock: MonotonicClock = { now: () => performance.now() };

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export const systemTimers: TimerScheduler = {
  setTimer(callback, delayMs) {
    return { id: setTimeout(callback, Math.max(0, delayMs)) };
  },
  clearTimer(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
  sleep(ms) {
    // Nothing ever notifies this cell: the wait always runs to its timeout.
    if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
  },
};
