import { RTP_HEADER_SIZE, writeRtpHeader } from './rtp-packet.js';

/**
 * The sending half of an RTP stream (RFC 3550 §5.1): a random SSRC, a
 * sequence number that starts at a random value and steps by one per
 * packet, and the counters a sender report needs.
 */
export class RtpSender {
  readonly ssrc: number;
  private sequence: number;
  packetsSent = 0;
  octetsSent = 0;
  /** Timestamp of the newest packet sent. */
  lastTimestamp = 0;

  constructor(random: () => number = Math.random) {
    this.ssrc = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.sequence = Math.floor(random() * 0x10000);
  }

  /** Builds the next packet: header plus a copy of `payload`. */
  packet(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): Buffer {
    const buffer = Buffer.allocUnsafe(RTP_HEADER_SIZE + payload.length);
    writeRtpHeader(buffer, marker, payloadType, this.sequence, timestamp, this.ssrc);
    buffer.set(payload, RTP_HEADER_SIZE);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.packetsSent++;
    this.octetsSent += payload.length; // §6.4.1: payload octets only
    this.lastTimestamp = timestamp >>> 0;
    return buffer;
  }

  /**
   * Builds the next packet with room for `payloadLength` octets after the
   * header, for the caller to fill in place (no intermediate copy).
   */
  allocate(payloadType: number, marker: boolean, timestamp: number, payloadLength: number): Buffer {
    const buffer = Buffer.allocUnsafe(RTP_HEADER_SIZE + payloadLength);
    writeRtpHeader(buffer, marker, payloadType, this.sequence, timestamp, this.ssrc);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.packetsSent++;
    this.octetsSent += payloadLength;
    this.lastTimestamp = timestamp >>> 0;
    return buffer;
  }

  get nextSequence(): number {
    return this.sequence;
  }
}
