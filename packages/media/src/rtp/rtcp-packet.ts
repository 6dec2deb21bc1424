/**
 * RTCP compound packets (RFC 3550 §6): SR, RR, SDES and BYE parsed and
 * built; other packet types (APP, RTPFB, PSFB, XR) are kept as opaque data.
 *
 * Common header of every RTCP packet (§6.4.1):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   RC    |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * length is the packet's size in 32-bit words minus one. A report block
 * (24 octets) is SSRC, fraction lost (8) + cumulative lost (24, signed),
 * extended highest sequence, jitter, LSR, DLSR.
 */

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
/** SDES item type CNAME (§6.5.1). */
export const SDES_CNAME = 1;
/** Largest compound packet accepted. */
export const RTCP_MAX_PACKET_SIZE = 1500;

export interface ReportBlock {
  readonly ssrc: number;
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  readonly jitter: number;
  /** Middle 32 bits of the NTP time of the last SR received from this source, 0 if none. */
  readonly lastSenderReport: number;
  /** Delay since that SR, in 1/65536 s. */
  readonly delaySinceLastSenderReport: number;
}

export interface SenderReport {
  readonly type: 'sr';
  readonly ssrc: number;
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];
}

export interface ReceiverReport {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];
}

export interface SdesItem {
  readonly type: number;
  readonly text: string;
}

export interface SourceDescription {
  readonly type: 'sdes';
  readonly chunks: readonly { readonly ssrc: number; readonly items: readonly SdesItem[] }[];
}

export interface Goodbye {
  readonly type: 'bye';
  readonly ssrcs: readonly number[];
  readonly reason?: string;
}

export interface OtherRtcpPacket {
  readonly type: 'other';
  readonly packetType: number;
  readonly count: number;
  /** Body after the 4-octet common header. */
  readonly body: Buffer;
}

export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye | OtherRtcpPacket;

export type RtcpParseFailure =
  | 'too-short'
  | 'too-long'
  | 'bad-version'
  | 'bad-length'
  | 'bad-padding'
  | 'truncated-report'
  | 'truncated-sdes'
  | 'truncated-bye';

export type RtcpParseResult =
  | { ok: true; packets: readonly RtcpPacket[] }
  | { ok: false; reason: RtcpParseFailure };

/**
 * Parses a compound RTCP packet. Validity checks of §6.4.1 / A.2: version 2,
 * lengths that add up to the datagram, padding only in the last packet.
 * NOTE: the first packet need not be SR/RR, so reduced-size RTCP (RFC 5506)
 * also parses.
 */
export function parseRtcpCompound(buffer: Buffer): RtcpParseResult {
  if (buffer.length > RTCP_MAX_PACKET_SIZE) return { ok: false, reason: 'too-long' };
  if (buffer.length < 4) return { ok: false, reason: 'too-short' };
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < 4) return { ok: false, reason: 'bad-length' };
    const b0 = buffer[offset]!;
    if (b0 >> 6 !== 2) return { ok: false, reason: 'bad-version' };
    const hasPadding = (b0 & 0x20) !== 0;
    const count = b0 & 0x1f;
    const packetType = buffer[offset + 1]!;
    const size = (buffer.readUInt16BE(offset + 2) + 1) * 4;
    if (offset + size > buffer.length) return { ok: false, reason: 'bad-length' };
    let end = offset + size;
    if (hasPadding) {
      if (end !== buffer.length) return { ok: false, reason: 'bad-padding' };
      const padding = buffer[end - 1]!;
      if (padding === 0 || padding > size - 4) return { ok: false, reason: 'bad-padding' };
      end -= padding;
    }
    const body = buffer.subarray(offset + 4, end);
    const parsed = parseOne(packetType, count, body);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    packets.push(parsed);
    offset += size;
  }
  return { ok: true, packets };
}

function parseOne(packetType: number, count: number, body: Buffer): RtcpPacket | RtcpParseFailure {
  switch (packetType) {
    case RTCP_SR: {
      if (body.length < 24 + count * 24) return 'truncated-report';
      return {
        type: 'sr',
        ssrc: body.readUInt32BE(0),
        ntpSeconds: body.readUInt32BE(4),
        ntpFraction: body.readUInt32BE(8),
        rtpTimestamp: body.readUInt32BE(12),
        packetCount: body.readUInt32BE(16),
        octetCount: body.readUInt32BE(20),
        reports: parseReportBlocks(body, 24, count),
      };
    }
    case RTCP_RR: {
      if (body.length < 4 + count * 24) return 'truncated-report';
      return { type: 'rr', ssrc: body.readUInt32BE(0), reports: parseReportBlocks(body, 4, count) };
    }
    case RTCP_SDES:
      return parseSdes(body, count);
    case RTCP_BYE: {
      if (body.length < count * 4) return 'truncated-bye';
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(body.readUInt32BE(i * 4));
      let offset = count * 4;
      if (offset < body.length) {
        const length = body[offset]!;
        offset++;
        if (offset + length > body.length) return 'truncated-bye';
        return { type: 'bye', ssrcs, reason: body.toString('utf8', offset, offset + length) };
      }
      return { type: 'bye', ssrcs };
    }
    default:
      return { type: 'other', packetType, count, body };
  }
}

function parseReportBlocks(body: Buffer, start: number, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const o = start + i * 24;
    const lostWord = body.readUInt32BE(o + 4);
    let cumulativeLost = lostWord & 0xffffff;
    if (cumulativeLost & 0x800000) cumulativeLost -= 0x1000000; // 24-bit two's complement
    blocks.push({
      ssrc: body.readUInt32BE(o),
      fractionLost: lostWord >>> 24,
      cumulativeLost,
      extendedHighestSequence: body.readUInt32BE(o + 8),
      jitter: body.readUInt32BE(o + 12),
      lastSenderReport: body.readUInt32BE(o + 16),
      delaySinceLastSenderReport: body.readUInt32BE(o + 20),
    });
  }
  return blocks;
}

function parseSdes(body: Buffer, count: number): SourceDescription | RtcpParseFailure {
  const chunks: { ssrc: number; items: SdesItem[] }[] = [];
  let offset = 0;
  for (let c = 0; c < count; c++) {
    if (offset + 4 > body.length) return 'truncated-sdes';
    const ssrc = body.readUInt32BE(offset);
    offset += 4;
    const items: SdesItem[] = [];
    for (;;) {
      if (offset >= body.length) return 'truncated-sdes';
      const itemType = body[offset]!;
      if (itemType === 0) {
        // The null item ends the chunk; the chunk is padded to a word boundary.
        offset = (offset + 4) & ~3;
        break;
      }
      if (offset + 2 > body.length) return 'truncated-sdes';
      const length = body[offset + 1]!;
      if (offset + 2 + length > body.length) return 'truncated-sdes';
      items.push({ type: itemType, text: body.toString('utf8', offset + 2, offset + 2 + length) });
      offset += 2 + length;
    }
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

/** Serializes packets into one compound RTCP packet. */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map(serializeOne));
}

function header(count: number, packetType: number, bodyLength: number): Buffer {
  if (bodyLength % 4 !== 0) throw new RangeError('RTCP body must be whole 32-bit words');
  if (count > 31) throw new RangeError('RTCP count field is 5 bits');
  const buffer = Buffer.alloc(4 + bodyLength);
  buffer[0] = 0x80 | count;
  buffer[1] = packetType;
  buffer.writeUInt16BE((4 + bodyLength) / 4 - 1, 2);
  return buffer;
}

function serializeOne(packet: RtcpPacket): Buffer {
  switch (packet.type) {
    case 'sr': {
      const buffer = header(packet.reports.length, RTCP_SR, 24 + packet.reports.length * 24);
      buffer.writeUInt32BE(packet.ssrc >>> 0, 4);
      buffer.writeUInt32BE(packet.ntpSeconds >>> 0, 8);
      buffer.writeUInt32BE(packet.ntpFraction >>> 0, 12);
      buffer.writeUInt32BE(packet.rtpTimestamp >>> 0, 16);
      buffer.writeUInt32BE(packet.packetCount >>> 0, 20);
      buffer.writeUInt32BE(packet.octetCount >>> 0, 24);
      writeReportBlocks(buffer, 28, packet.reports);
      return buffer;
    }
    case 'rr': {
      const buffer = header(packet.reports.length, RTCP_RR, 4 + packet.reports.length * 24);
      buffer.writeUInt32BE(packet.ssrc >>> 0, 4);
      writeReportBlocks(buffer, 8, packet.reports);
      return buffer;
    }
    case 'sdes': {
      const parts: Buffer[] = [];
      for (const chunk of packet.chunks) {
        const items = chunk.items.map((item) => {
          const text = Buffer.from(item.text, 'utf8');
          if (text.length > 255) throw new RangeError('SDES item text is at most 255 octets');
          return Buffer.concat([Buffer.from([item.type, text.length]), text]);
        });
        const raw = Buffer.concat([Buffer.alloc(4), ...items]);
        raw.writeUInt32BE(chunk.ssrc >>> 0, 0);
        // At least one null octet, then pad to a word boundary.
        const padded = Buffer.alloc((raw.length + 4) & ~3);
        raw.copy(padded);
        parts.push(padded);
      }
      const body = Buffer.concat(parts);
      const buffer = header(packet.chunks.length, RTCP_SDES, body.length);
      body.copy(buffer, 4);
      return buffer;
    }
    case 'bye': {
      const reason = packet.reason === undefined ? undefined : Buffer.from(packet.reason, 'utf8');
      if (reason && reason.length > 255) throw new RangeError('BYE reason is at most 255 octets');
      const raw = packet.ssrcs.length * 4 + (reason ? 1 + reason.length : 0);
      const buffer = header(packet.ssrcs.length, RTCP_BYE, (raw + 3) & ~3);
      packet.ssrcs.forEach((ssrc, i) => {
        buffer.writeUInt32BE(ssrc >>> 0, 4 + i * 4);
      });
      if (reason) {
        const offset = 4 + packet.ssrcs.length * 4;
        buffer[offset] = reason.length;
        reason.copy(buffer, offset + 1);
      }
      return buffer;
    }
    case 'other': {
      const buffer = header(packet.count, packet.packetType, packet.body.length);
      packet.body.copy(buffer, 4);
      return buffer;
    }
  }
}

function writeReportBlocks(buffer: Buffer, start: number, reports: readonly ReportBlock[]): void {
  reports.forEach((block, i) => {
    const o = start + i * 24;
    buffer.writeUInt32BE(block.ssrc >>> 0, o);
    const lost = block.cumulativeLost & 0xffffff;
    buffer.writeUInt32BE((((block.fractionLost & 0xff) << 24) | lost) >>> 0, o + 4);
    buffer.writeUInt32BE(block.extendedHighestSequence >>> 0, o + 8);
    buffer.writeUInt32BE(block.jitter >>> 0, o + 12);
    buffer.writeUInt32BE(block.lastSenderReport >>> 0, o + 16);
    buffer.writeUInt32BE(block.delaySinceLastSenderReport >>> 0, o + 20);
  });
}
