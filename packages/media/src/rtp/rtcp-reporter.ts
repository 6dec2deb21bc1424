import { ntpFromUnixMs, ntpMiddle32 } from './ntp-time.js';
import type { ReceiveStatistics } from './receive-statistics.js';
import {
  type ReportBlock,
  type RtcpPacket,
  SDES_CNAME,
  type SenderReport,
  serializeRtcpCompound,
} from './rtcp-packet.js';

/** §6.2: the minimum report interval for a small session. */
export const RTCP_MIN_INTERVAL_MS = 5000;

export interface SenderState {
  readonly ssrc: number;
  readonly packetsSent: number;
  readonly octetsSent: number;
  /** RTP timestamp corresponding to "now" on the sender's media clock. */
  readonly rtpTimestampNow: number;
  /** Whether any RTP was sent since the report before the last one (§6.4: SR vs RR). */
  readonly sentRecently: boolean;
}

export interface RemoteSourceState {
  readonly ssrc: number;
  readonly statistics: ReceiveStatistics;
}

export interface RtcpPeerReport {
  /** Round-trip time computed from the peer's report block about us (§6.4.1), if it had an LSR. */
  readonly roundTripMs?: number;
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  readonly jitter: number;
}

/**
 * Builds our compound reports (SR or RR + SDES CNAME) and digests the peer's:
 * remembers the LSR of its last SR (for our DLSR) and computes the round
 * trip from its report blocks about our SSRC. Pure apart from the injected
 * wall clock.
 */
export class RtcpReporter {
  private lastSrMiddle = 0;
  private lastSrArrivalMs = 0;
  peerReport: RtcpPeerReport | undefined;
  peerSenderPackets: number | undefined;
  peerBye = false;

  constructor(
    private readonly cname: string,
    private readonly wallClockMs: () => number = Date.now,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** The next interval, randomised over [0.5, 1.5] × the minimum (§6.3.1). */
  static nextIntervalMs(random: () => number = Math.random, minIntervalMs = RTCP_MIN_INTERVAL_MS): number {
    return minIntervalMs * (0.5 + random());
  }

  build(sender: SenderState, remote: RemoteSourceState | undefined, bye?: string): Buffer {
    const blocks: ReportBlock[] = [];
    if (remote?.statistics.hasData) {
      const report = remote.statistics.report();
      const dlsrUnits =
        this.lastSrMiddle === 0
          ? 0
          : Math.floor(((this.monotonicMs() - this.lastSrArrivalMs) * 65536) / 1000);
      blocks.push({
        ssrc: remote.ssrc,
        ...report,
        lastSenderReport: this.lastSrMiddle,
        delaySinceLastSenderReport: dlsrUnits >>> 0,
      });
    }
    const packets: RtcpPacket[] = [];
    if (sender.sentRecently) {
      const ntp = ntpFromUnixMs(this.wallClockMs());
      const sr: SenderReport = {
        type: 'sr',
        ssrc: sender.ssrc,
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: sender.rtpTimestampNow,
        packetCount: sender.packetsSent,
        octetCount: sender.octetsSent,
        reports: blocks,
      };
      packets.push(sr);
    } else {
      packets.push({ type: 'rr', ssrc: sender.ssrc, reports: blocks });
    }
    packets.push({
      type: 'sdes',
      chunks: [{ ssrc: sender.ssrc, items: [{ type: SDES_CNAME, text: this.cname }] }],
    });
    if (bye !== undefined)
      packets.push({ type: 'bye', ssrcs: [sender.ssrc], ...(bye ? { reason: bye } : {}) });
    return serializeRtcpCompound(packets);
  }

  /** Digests an inbound compound packet addressed to a session whose SSRC is `ourSsrc`. */
  receive(packets: readonly RtcpPacket[], ourSsrc: number): void {
    for (const packet of packets) {
      if (packet.type === 'sr') {
        this.lastSrMiddle = ntpMiddle32({ seconds: packet.ntpSeconds, fraction: packet.ntpFraction });
        this.lastSrArrivalMs = this.monotonicMs();
        this.peerSenderPackets = packet.packetCount;
        this.digestBlocks(packet.reports, ourSsrc);
      } else if (packet.type === 'rr') {
        this.digestBlocks(packet.reports, ourSsrc);
      } else if (packet.type === 'bye') {
        this.peerBye = true;
      }
    }
  }

  private digestBlocks(blocks: readonly ReportBlock[], ourSsrc: number): void {
    const block = blocks.find((b) => b.ssrc === ourSsrc >>> 0);
    if (!block) return;
    let roundTripMs: number | undefined;
    if (block.lastSenderReport !== 0) {
      // §6.4.1: RTT = A - LSR - DLSR, all in 1/65536 s, modulo 2^32.
      const arrival = ntpMiddle32(ntpFromUnixMs(this.wallClockMs()));
      const units = (arrival - block.lastSenderReport - block.delaySinceLastSenderReport) | 0;
      if (units >= 0) roundTripMs = (units * 1000) / 65536;
    }
    this.peerReport = {
      fractionLost: block.fractionLost / 256,
      cumulativeLost: block.cumulativeLost,
      jitter: block.jitter,
      ...(roundTripMs === undefined ? {} : { roundTripMs }),
    };
  }
}
