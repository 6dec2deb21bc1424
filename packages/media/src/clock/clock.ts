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
}

export const systemClock: MonotonicClock = { now: () => performance.now() };

export const systemTimers: TimerScheduler = {
  setTimer(callback, delayMs) {
    return { id: setTimeout(callback, Math.max(0, delayMs)) };
  },
  clearTimer(handle) {
    clearTimeout(handle.id as NodeJS.Timeout);
  },
};
