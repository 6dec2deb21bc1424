import type { TimerHandle, TimerScheduler } from '../clock/clock.js';
import { parseRtcpCompound } from '../rtp/rtcp-packet.js';
import {
  type RemoteSourceState,
  type RtcpPeerReport,
  RtcpReporter,
  type SenderState,
} from '../rtp/rtcp-reporter.js';

export interface RtcpSessionPort {
  /** Our sending state for an SR, or undefined while nothing is negotiated. */
  sender(): SenderState | undefined;
  /** The source we receive, for the report block. */
  remote(): RemoteSourceState | undefined;
  /** Sends a compound packet; calls `sent` once it left (false: nowhere to send). */
  transmit(packet: Buffer, sent: () => void): boolean;
  /** The peer said goodbye (RTCP BYE). */
  bye(): void;
}

/**
 * An endpoint's RTCP (RFC 3550 §6): a compound report every 2.5-7.5 s
 * (§6.3.1's randomisation of the 5 s minimum), the peer's reports digested
 * for loss, jitter and round-trip time, and BYE on close.
 */
export class RtcpSession {
  private readonly reporter: RtcpReporter;
  private timer: TimerHandle | undefined;
  private stopped = false;
  /** Compound packets that failed to parse. */
  malformed = 0;

  constructor(
    cname: string,
    monotonicMs: () => number,
    private readonly timers: TimerScheduler,
    private readonly port: RtcpSessionPort,
    private readonly random: () => number = Math.random,
  ) {
    this.reporter = new RtcpReporter(cname, Date.now, monotonicMs);
  }

  get peerReport(): RtcpPeerReport | undefined {
    return this.reporter.peerReport;
  }

  /** Starts periodic reports (idempotent). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = this.timers.setTimer(() => {
      this.timer = undefined;
      if (this.stopped) return;
      void this.send();
      this.start();
    }, RtcpReporter.nextIntervalMs(this.random));
  }

  /** Digests an inbound compound packet addressed to our SSRC. */
  receive(msg: Buffer, ourSsrc: number): void {
    const parsed = parseRtcpCompound(msg);
    if (!parsed.ok) {
      this.malformed++;
      return;
    }
    const hadBye = this.reporter.peerBye;
    this.reporter.receive(parsed.packets, ourSsrc);
    if (this.reporter.peerBye && !hadBye) this.port.bye();
  }

  /** Sends a report now (with BYE when `bye` is given); resolves once it left. */
  send(bye?: string): Promise<void> {
    const sender = this.port.sender();
    if (!sender) return Promise.resolve();
    const packet = this.reporter.build(sender, this.port.remote(), bye);
    return new Promise((resolve) => {
      try {
        if (!this.port.transmit(packet, () => resolve())) resolve();
      } catch {
        resolve(); // the socket is closed already
      }
    });
  }

  /** Stops reporting; sends BYE and resolves once it left. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) this.timers.clearTimer(this.timer);
    this.timer = undefined;
    await this.send('');
    this.stopped = true;
  }
}
