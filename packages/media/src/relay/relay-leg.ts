import type { RemoteInfo } from 'node:dgram';
import type { PortPair } from '../session/port-allocator.js';
import { LatchingSocket, type LocalRouting } from './latching-socket.js';
import { LossCounter } from './loss-counter.js';

export interface RelayLegStats {
  /** Packets and octets received from this leg's party on the RTP port. */
  readonly packetsIn: number;
  readonly octetsIn: number;
  /** RTP packets the party sent that never arrived (from sequence numbers). */
  readonly lostIn: number;
  /** RTCP packets received from the party. */
  readonly rtcpIn: number;
  /** Packets dropped: from a source other than the latched one, or with nowhere to go yet. */
  readonly dropped: number;
  /** The party's address as latched (what its NAT shows), if it sent anything. */
  readonly latchedTo?: string;
}

/**
 * The relay's side facing one party: an RTP and an RTCP port. What the
 * party sends arrives here and leaves through the other leg, so each party
 * sends to and receives from one relay address (symmetric RTP, RFC 4961).
 */
export class RelayLeg {
  other!: RelayLeg;
  private readonly rtp: LatchingSocket;
  private readonly rtcp: LatchingSocket;
  private readonly loss = new LossCounter();
  packetsIn = 0;
  octetsIn = 0;
  rtcpIn = 0;
  dropped = 0;
  /** Relay tick (coarse clock) of the last packet from the party. */
  lastSeenTick = 0;

  constructor(
    readonly ports: PortPair,
    private readonly clockTick: () => number,
    local?: LocalRouting,
  ) {
    this.rtp = new LatchingSocket(ports.rtp, true, local);
    this.rtcp = new LatchingSocket(ports.rtcp, true, local);
    ports.rtp.on('message', (msg, rinfo) => this.onRtp(msg, rinfo));
    ports.rtcp.on('message', (msg, rinfo) => this.onRtcp(msg, rinfo));
  }

  get port(): number {
    return this.ports.port;
  }

  /** Where the party's SDP says it receives; unlatches (a new offer or answer from it). */
  setRemote(address: string, rtpPort: number, rtcpPort: number): void {
    this.rtp.setTarget(address, rtpPort);
    this.rtcp.setTarget(address, rtcpPort);
  }

  // The hot path: a packet from this leg's party goes out of the other leg.
  private onRtp(msg: Buffer, rinfo: RemoteInfo): void {
    if (!this.rtp.accept(rinfo)) {
      this.dropped++;
      return;
    }
    this.packetsIn++;
    this.octetsIn += msg.length;
    this.lastSeenTick = this.clockTick();
    // RTP (version 2, not an RTCP type muxed on this port): count sequence numbers.
    if (msg.length >= 12 && msg[0]! >> 6 === 2) {
      const pt = msg[1]!;
      if (pt < 192 || pt > 223) this.loss.update(msg.readUInt32BE(8), msg.readUInt16BE(2));
    }
    if (!this.other.rtp.send(msg)) this.dropped++;
  }

  private onRtcp(msg: Buffer, rinfo: RemoteInfo): void {
    if (!this.rtcp.accept(rinfo)) {
      this.dropped++;
      return;
    }
    this.rtcpIn++;
    this.lastSeenTick = this.clockTick();
    if (!this.other.rtcp.send(msg)) this.dropped++;
  }

  stats(): RelayLegStats {
    const latched = this.rtp.latchedTo;
    return {
      packetsIn: this.packetsIn,
      octetsIn: this.octetsIn,
      lostIn: this.loss.lost,
      rtcpIn: this.rtcpIn,
      dropped: this.dropped,
      ...(latched ? { latchedTo: `${latched.address}:${latched.port}` } : {}),
    };
  }

  close(): void {
    this.rtp.close();
    this.rtcp.close();
  }
}
