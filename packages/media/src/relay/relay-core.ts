import {
  type MonotonicClock,
  systemClock,
  systemTimers,
  type TimerHandle,
  type TimerScheduler,
} from '../clock/clock.js';
import { MediaError } from '../errors.js';
import { PortAllocator, type PortPair, type PortRange } from '../session/port-allocator.js';
import type { LocalRouting } from './latching-socket.js';
import type { PartyMedia, RelayBackend, RelayCallCounters, RelaySide } from './relay-backend.js';
import { RelayLeg } from './relay-leg.js';

export interface RelayCoreOptions {
  readonly bindAddress: string;
  readonly portRange: PortRange;
  readonly mediaTimeoutMs: number;
  readonly holdTimeoutMs: number;
  readonly receiveBufferSize: number;
  readonly onTimeout: (callId: string) => void;
  /** Hands packets to media sockets of this thread (voice applications' endpoints) without UDP. */
  readonly local?: LocalRouting;
  readonly timers?: TimerScheduler;
  readonly clock?: MonotonicClock;
}

/** Resolution of the coarse clock (activity stamps, timeouts). */
const TICK_MS = 250;

interface CoreCall {
  readonly a: RelayLeg;
  readonly b: RelayLeg;
  readonly pairs: readonly [PortPair, PortPair];
  readonly held: { a: boolean; b: boolean };
  readonly createdTick: number;
  timedOut: boolean;
}

/**
 * The relay's sockets and forwarding, in the current thread: per call a
 * RelayLeg (RTP/RTCP port pair) facing each party. The per-packet work is
 * in RelayLeg; timeouts run off a coarse 250 ms tick, never per packet.
 */
export class RelayCore implements RelayBackend {
  private readonly calls = new Map<string, CoreCall>();
  private readonly ports: PortAllocator;
  private readonly timers: TimerScheduler;
  private readonly clock: MonotonicClock;
  private readonly timeoutTicks: number;
  private readonly holdTimeoutTicks: number;
  private tick: number;
  private timer: TimerHandle | undefined;

  constructor(private readonly options: RelayCoreOptions) {
    this.ports = new PortAllocator({
      host: options.bindAddress,
      range: options.portRange,
      receiveBufferSize: options.receiveBufferSize,
    });
    this.timers = options.timers ?? systemTimers;
    this.clock = options.clock ?? systemClock;
    this.timeoutTicks = Math.ceil(options.mediaTimeoutMs / TICK_MS);
    this.holdTimeoutTicks = Math.ceil(options.holdTimeoutMs / TICK_MS);
    this.tick = this.currentTick();
  }

  get portsInUse(): number {
    return this.ports.allocated * 2;
  }

  get portCapacity(): number {
    return this.ports.capacity * 2;
  }

  /** None of its own: it runs on the caller's thread. */
  async threadIds(): Promise<readonly number[]> {
    return [];
  }

  get callCount(): number {
    return this.calls.size;
  }

  async create(callId: string): Promise<{ a: number; b: number }> {
    if (this.calls.has(callId)) throw new MediaError('invalid-argument', `relay call ${callId} exists`);
    const pairA = await this.ports.allocate();
    let pairB: PortPair;
    try {
      pairB = await this.ports.allocate();
    } catch (error) {
      this.ports.release(pairA);
      throw error;
    }
    const clockTick = () => this.tick;
    const a = new RelayLeg(pairA, clockTick, this.options.local);
    const b = new RelayLeg(pairB, clockTick, this.options.local);
    a.other = b;
    b.other = a;
    this.startTimer();
    this.calls.set(callId, {
      a,
      b,
      pairs: [pairA, pairB],
      held: { a: false, b: false },
      createdTick: this.tick,
      timedOut: false,
    });
    return { a: pairA.port, b: pairB.port };
  }

  setRemote(callId: string, side: RelaySide, media: PartyMedia): void {
    const call = this.calls.get(callId);
    if (!call) return;
    call[side].setRemote(media.address, media.rtpPort, media.rtcpPort);
    call.held[side] = media.held;
    call.timedOut = false;
  }

  counters(callId: string): RelayCallCounters | undefined {
    const call = this.calls.get(callId);
    return call ? { a: call.a.stats(), b: call.b.stats() } : undefined;
  }

  /** Every call's counters (what a worker reports to the main thread). */
  allCounters(): [string, RelayCallCounters][] {
    return [...this.calls.entries()].map(([id, call]) => [id, { a: call.a.stats(), b: call.b.stats() }]);
  }

  release(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.calls.delete(callId);
    call.a.close();
    call.b.close();
    this.ports.release(call.pairs[0]);
    this.ports.release(call.pairs[1]);
    if (this.calls.size === 0) this.stopTimer();
  }

  async close(): Promise<void> {
    for (const id of [...this.calls.keys()]) this.release(id);
    this.stopTimer();
  }

  /** Whole ticks on the monotonic clock, so a late timer does not stretch timeouts. */
  private currentTick(): number {
    return Math.floor(this.clock.now() / TICK_MS);
  }

  private startTimer(): void {
    if (this.timer) return;
    this.tick = this.currentTick();
    this.timer = this.timers.setTimer(() => this.onTick(), TICK_MS);
  }

  private stopTimer(): void {
    if (this.timer) this.timers.clearTimer(this.timer);
    this.timer = undefined;
  }

  private onTick(): void {
    this.timer = undefined;
    this.tick = this.currentTick();
    for (const [id, call] of this.calls) {
      if (call.timedOut) continue;
      const held = call.held.a || call.held.b;
      const limit = held ? this.holdTimeoutTicks : this.timeoutTicks;
      const last = Math.max(call.createdTick, call.a.lastSeenTick, call.b.lastSeenTick);
      if (limit > 0 && this.tick - last >= limit) {
        call.timedOut = true;
        this.options.onTimeout(id);
      }
    }
    if (this.calls.size > 0) this.startTimer();
  }
}
