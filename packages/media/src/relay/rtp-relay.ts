import {
  type MonotonicClock,
  systemClock,
  systemTimers,
  type TimerHandle,
  type TimerScheduler,
} from '../clock/clock.js';
import { MediaError } from '../errors.js';
import { PortAllocator, type PortPair, type PortRange } from '../session/port-allocator.js';
import { RelayCall } from './relay-call.js';
import { RelayLeg } from './relay-leg.js';

export interface RtpRelayOptions {
  readonly bindAddress: string;
  /** Address written into rewritten SDP (the public one); defaults to `bindAddress`. */
  readonly advertisedAddress?: string;
  /** Each call takes four ports (two pairs). */
  readonly portRange: PortRange;
  readonly maxCalls?: number;
  /** A call with no media either way for this long times out. Default 60 s; 0 disables. */
  readonly mediaTimeoutMs?: number;
  /** The same while held (sendonly/inactive). Default 2 h; 0 disables. */
  readonly holdTimeoutMs?: number;
  /** Socket receive buffer per port. Default 256 KiB. */
  readonly receiveBufferSize?: number;
  readonly timers?: TimerScheduler;
  readonly clock?: MonotonicClock;
}

export interface RtpRelayStats {
  readonly calls: number;
  readonly portsInUse: number;
  readonly portCapacity: number;
}

/** Resolution of the relay's coarse clock (activity stamps, timeouts). */
const TICK_MS = 250;

/**
 * The RTP relay the B2BUA anchors calls through. Per call, a port pair
 * facing each party; the per-packet work is a source check, two counters,
 * a sequence-number read and one send (see RelayLeg). Timeouts run off a
 * coarse 250 ms tick, never per packet.
 */
export class RtpRelay {
  private readonly calls = new Map<string, RelayCall>();
  private readonly ports: PortAllocator;
  private readonly timers: TimerScheduler;
  private readonly clock: MonotonicClock;
  private readonly maxCalls: number;
  private readonly timeoutTicks: number;
  private readonly holdTimeoutTicks: number;
  private readonly advertisedAddress: string;
  private tick = 0;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(options: RtpRelayOptions) {
    this.ports = new PortAllocator({
      host: options.bindAddress,
      range: options.portRange,
      receiveBufferSize: options.receiveBufferSize ?? 256 * 1024,
    });
    this.timers = options.timers ?? systemTimers;
    this.clock = options.clock ?? systemClock;
    this.tick = this.currentTick();
    this.maxCalls = Math.min(options.maxCalls ?? 5000, Math.floor(this.ports.capacity / 2));
    this.timeoutTicks = Math.ceil((options.mediaTimeoutMs ?? 60_000) / TICK_MS);
    this.holdTimeoutTicks = Math.ceil((options.holdTimeoutMs ?? 7_200_000) / TICK_MS);
    this.advertisedAddress = options.advertisedAddress ?? options.bindAddress;
  }

  /** Anchors a new call: allocates its two port pairs. */
  async createCall(callId: string): Promise<RelayCall> {
    if (this.closed) throw new MediaError('closed', 'relay is closed');
    if (this.calls.has(callId)) throw new MediaError('invalid-argument', `relay call ${callId} exists`);
    if (this.calls.size >= this.maxCalls) {
      throw new MediaError('limit-exceeded', `relay call limit (${this.maxCalls}) reached`);
    }
    const pairA = await this.ports.allocate();
    let pairB: PortPair;
    try {
      pairB = await this.ports.allocate();
    } catch (error) {
      this.ports.release(pairA);
      throw error;
    }
    const clockTick = () => this.tick;
    const legs = { a: new RelayLeg(pairA, clockTick), b: new RelayLeg(pairB, clockTick) };
    const call = new RelayCall(
      callId,
      legs,
      this.advertisedAddress,
      (released) => {
        this.ports.release(pairA);
        this.ports.release(pairB);
        if (this.calls.get(callId) === released) this.calls.delete(callId);
        if (this.calls.size === 0) this.stopTimer();
      },
      this.tick,
    );
    this.calls.set(callId, call);
    this.startTimer();
    return call;
  }

  getCall(callId: string): RelayCall | undefined {
    return this.calls.get(callId);
  }

  /** The calls currently anchored. */
  listCalls(): RelayCall[] {
    return [...this.calls.values()];
  }

  stats(): RtpRelayStats {
    return {
      calls: this.calls.size,
      portsInUse: this.ports.allocated * 2,
      portCapacity: this.ports.capacity * 2,
    };
  }

  /** Releases every call. */
  close(): void {
    this.closed = true;
    for (const call of [...this.calls.values()]) call.release();
    this.stopTimer();
  }

  /** The coarse clock: whole ticks on the monotonic clock, so a late timer does not stretch timeouts. */
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
    for (const call of this.calls.values())
      call.checkTimeout(this.tick, this.timeoutTicks, this.holdTimeoutTicks);
    if (this.calls.size > 0 && !this.closed) this.startTimer();
  }
}
