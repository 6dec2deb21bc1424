/**
 * Time for the transaction layer, injected so state machines run in unit
 * tests without I/O (a fake advances time by hand).
 */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(callback: () => void, delay_ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  now(): number;
}

/** RFC 3261 §17 timer values (Table 4); T1, T2, T4 configurable, the rest derived. */
export interface TimerConfig {
  /** RTT estimate (default 500 ms). */
  readonly t1_ms: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s). */
  readonly t2_ms: number;
  /** Maximum duration a message remains in the network (default 5 s). */
  readonly t4_ms: number;
  /** Timer D: wait for response retransmits, at least 32 s on unreliable transports. */
  readonly timerD_ms: number;
}

export const DEFAULT_TIMER_CONFIG: TimerConfig = { t1_ms: 500, t2_ms: 4000, t4_ms: 5000, timerD_ms: 32_000 };

/** Timer B, F, H, J, L and M: 64 * T1. */
export function sixtyFourT1(config: TimerConfig): number {
  return 64 * config.t1_ms;
}

/** Node's timers, unref'd so pending transaction timers never hold a process open. */
export const nodeTimers: Timers = {
  setTimeout(callback, delay_ms) {
    const handle = setTimeout(callback, delay_ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
  now: () => Date.now(),
};
