import type { MonotonicClock, TimerScheduler } from '../clock/clock.js';
import { MediaError } from '../errors.js';
import type { PortRange } from '../session/port-allocator.js';
import type { LocalRtpRoutes } from './local-rtp-routes.js';
import type { RelayBackend } from './relay-backend.js';
import { RelayCall } from './relay-call.js';
import { RelayCore } from './relay-core.js';
import { WorkerRelayBackend } from './worker-relay-backend.js';

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
  /**
   * Worker threads that own the relay's sockets (0: forward on this thread,
   * the default). With 1 or more, forwarding never waits for the main
   * thread's event loop and can use that many cores; the port range is
   * split between them.
   */
  readonly threads?: number;
  /**
   * The thread's table of local media sockets, shared with the MediaEngine:
   * packets between a relay leg and a voice application's endpoint are then
   * handed over in the thread instead of through loopback UDP. Used only
   * with `threads` 0 (a worker's sockets are in another thread).
   */
  readonly localRoutes?: LocalRtpRoutes;
  /** A relay thread died (its calls were reported as timed out). */
  readonly onThreadError?: (error: Error) => void;
  readonly timers?: TimerScheduler;
  readonly clock?: MonotonicClock;
}

export interface RtpRelayStats {
  readonly calls: number;
  readonly portsInUse: number;
  readonly portCapacity: number;
  readonly threads: number;
}

/**
 * The RTP relay the B2BUA anchors calls through: `createCall` allocates a
 * port pair facing each party; every SDP of the call goes through
 * `RelayCall.rewrite`. The sockets live on this thread or in worker threads
 * (`threads`); the API is the same.
 */
export class RtpRelay {
  private readonly calls = new Map<string, RelayCall>();
  private readonly backend: RelayBackend;
  private readonly maxCalls: number;
  private readonly advertisedAddress: string;
  private readonly threads: number;
  private closed = false;

  constructor(options: RtpRelayOptions) {
    const mediaTimeoutMs = options.mediaTimeoutMs ?? 60_000;
    const holdTimeoutMs = options.holdTimeoutMs ?? 7_200_000;
    const receiveBufferSize = options.receiveBufferSize ?? 256 * 1024;
    const onTimeout = (callId: string) => this.calls.get(callId)?.emit('timeout');
    this.threads = Math.max(0, Math.floor(options.threads ?? 0));
    this.backend =
      this.threads > 0
        ? new WorkerRelayBackend({
            threads: this.threads,
            bindAddress: options.bindAddress,
            portRange: options.portRange,
            mediaTimeoutMs,
            holdTimeoutMs,
            receiveBufferSize,
            onTimeout,
            ...(options.onThreadError ? { onWorkerError: options.onThreadError } : {}),
          })
        : new RelayCore({
            bindAddress: options.bindAddress,
            portRange: options.portRange,
            mediaTimeoutMs,
            holdTimeoutMs,
            receiveBufferSize,
            onTimeout,
            ...(options.localRoutes
              ? {
                  local: {
                    routes: options.localRoutes,
                    advertisedAddress: options.advertisedAddress ?? options.bindAddress,
                  },
                }
              : {}),
            ...(options.timers ? { timers: options.timers } : {}),
            ...(options.clock ? { clock: options.clock } : {}),
          });
    this.maxCalls = Math.min(options.maxCalls ?? 5000, Math.floor(this.backend.portCapacity / 4));
    this.advertisedAddress = options.advertisedAddress ?? options.bindAddress;
  }

  /** Anchors a new call: allocates its two port pairs. */
  async createCall(callId: string): Promise<RelayCall> {
    if (this.closed) throw new MediaError('closed', 'relay is closed');
    if (this.calls.has(callId)) throw new MediaError('invalid-argument', `relay call ${callId} exists`);
    if (this.calls.size >= this.maxCalls) {
      throw new MediaError('limit-exceeded', `relay call limit (${this.maxCalls}) reached`);
    }
    // Reserve the id while the ports are allocated (another createCall with it must fail).
    const placeholder = new RelayCall(callId, { a: 0, b: 0 }, this.advertisedAddress, this.backend, () => {});
    this.calls.set(callId, placeholder);
    let ports: { a: number; b: number };
    try {
      ports = await this.backend.create(callId);
    } catch (error) {
      this.calls.delete(callId);
      throw error;
    }
    const call = new RelayCall(callId, ports, this.advertisedAddress, this.backend, (released) => {
      if (this.calls.get(callId) === released) this.calls.delete(callId);
    });
    this.calls.set(callId, call);
    if (this.closed) {
      call.release();
      throw new MediaError('closed', 'relay closed while the call was created');
    }
    return call;
  }

  getCall(callId: string): RelayCall | undefined {
    return this.calls.get(callId);
  }

  /** The calls currently anchored. */
  listCalls(): RelayCall[] {
    return [...this.calls.values()].filter((call) => call.portFor('a') !== 0);
  }

  stats(): RtpRelayStats {
    return {
      calls: this.calls.size,
      portsInUse: this.backend.portsInUse,
      portCapacity: this.backend.portCapacity,
      threads: this.threads,
    };
  }

  /**
   * The operating-system ids of the relay's worker threads (Linux), once
   * they have started, so the process can put them under the real-time
   * scheduler; empty when the relay runs on the main thread.
   */
  threadIds(): Promise<readonly number[]> {
    return this.backend.threadIds();
  }

  /** Releases every call and stops the relay threads. */
  async close(): Promise<void> {
    this.closed = true;
    for (const call of [...this.calls.values()]) call.release();
    await this.backend.close();
  }
}
