/**
 * RTP fixed header (RFC 3550 §5.1):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * followed by an optional header extension (§5.3.1: 16-bit profile word,
 * 16-bit length in 32-bit words) and, with P set, padding whose last octet
 * counts the padding octets.
 */

export const RTP_VERSION = 2;
export const RTP_HEADER_SIZE = 12;
/** Largest RTP packet accepted or built (fits any sane UDP path MTU). */
export const RTP_MAX_PACKET_SIZE = 1500;

export interface RtpHeaderExtension {
  readonly profile: number;
  readonly data: Buffer;
}

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension?: RtpHeaderExtension;
  /** Payload without padding; a view into the parsed buffer, not a copy. */
  readonly payload: Buffer;
  /** Number of padding octets that followed the payload (0 when P is clear). */
  readonly paddingSize: number;
}

export type RtpParseFailure =
  | 'too-short'
  | 'bad-version'
  | 'truncated-csrc'
  | 'truncated-extension'
  | 'bad-padding'
  | 'too-long'
  | 'rtcp';

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; reason: RtpParseFailure };

/**
 * Whether the second octet marks an RTCP packet multiplexed on the RTP port
 * (RFC 5761 §4: RTCP packet types 192-223 collide with RTP M+PT 64-95).
 */
export function isRtcpPacketType(secondOctet: number): boolean {
  return secondOctet >= 192 && secondOctet <= 223;
}

/** Parses one RTP packet. Never throws; the payload is a view into `buffer`. */
export function parseRtpPacket(buffer: Buffer): RtpParseResult {
  if (buffer.length > RTP_MAX_PACKET_SIZE) return { ok: false, reason: 'too-long' };
  if (buffer.length < RTP_HEADER_SIZE) return { ok: false, reason: 'too-short' };
  const b0 = buffer[0]!;
  const b1 = buffer[1]!;
  if (b0 >> 6 !== RTP_VERSION) return { ok: false, reason: 'bad-version' };
  if (isRtcpPacketType(b1)) return { ok: false, reason: 'rtcp' };
  const hasPadding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_SIZE;
  if (buffer.length < offset + csrcCount * 4) return { ok: false, reason: 'truncated-csrc' };
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) {
    csrcs.push(buffer.readUInt32BE(offset));
    offset += 4;
  }
  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    if (buffer.length < offset + 4) return { ok: false, reason: 'truncated-extension' };
    const profile = buffer.readUInt16BE(offset);
    const words = buffer.readUInt16BE(offset + 2);
    offset += 4;
    if (buffer.length < offset + words * 4) return { ok: false, reason: 'truncated-extension' };
    extension = { profile, data: buffer.subarray(offset, offset + words * 4) };
    offset += words * 4;
  }
  let end = buffer.length;
  let paddingSize = 0;
  if (hasPadding) {
    paddingSize = buffer[end - 1]!;
    // §5.1: the padding count includes itself, so it is at least 1.
    if (paddingSize === 0 || offset + paddingSize > end) return { ok: false, reason: 'bad-padding' };
    end -= paddingSize;
  }
  const packet: RtpPacket = {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: buffer.readUInt16BE(2),
    timestamp: buffer.readUInt32BE(4),
    ssrc: buffer.readUInt32BE(8),
    csrcs,
    payload: buffer.subarray(offset, end),
    paddingSize,
    ...(extension ? { extension } : {}),
  };
  return { ok: true, packet };
}

export interface RtpPacketInit {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: readonly number[];
  readonly extension?: RtpHeaderExtension;
  readonly payload: Uint8Array;
  /** Padding octets to append (1-255); 0 or absent for none. */
  readonly paddingSize?: number;
}

/** Serializes an RTP packet into a new buffer. */
export function serializeRtpPacket(init: RtpPacketInit): Buffer {
  const csrcs = init.csrcs ?? [];
  if (csrcs.length > 15) throw new RangeError('at most 15 CSRCs fit the CC field');
  if (init.payloadType < 0 || init.payloadType > 127) throw new RangeError('payload type is 7 bits');
  const paddingSize = init.paddingSize ?? 0;
  if (paddingSize < 0 || paddingSize > 255) throw new RangeError('padding is 0-255 octets');
  const extData = init.extension?.data;
  if (extData && extData.length % 4 !== 0) throw new RangeError('header extension is whole 32-bit words');
  const size =
    RTP_HEADER_SIZE +
    csrcs.length * 4 +
    (extData ? 4 + extData.length : 0) +
    init.payload.length +
    paddingSize;
  if (size > RTP_MAX_PACKET_SIZE) throw new RangeError(`RTP packet of ${size} octets exceeds the limit`);
  const buffer = Buffer.allocUnsafe(size);
  writeRtpHeader(
    buffer,
    init.marker ?? false,
    init.payloadType,
    init.sequenceNumber,
    init.timestamp,
    init.ssrc,
  );
  buffer[0] = (RTP_VERSION << 6) | (paddingSize > 0 ? 0x20 : 0) | (extData ? 0x10 : 0) | csrcs.length;
  let offset = RTP_HEADER_SIZE;
  for (const csrc of csrcs) {
    buffer.writeUInt32BE(csrc >>> 0, offset);
    offset += 4;
  }
  if (init.extension && extData) {
    buffer.writeUInt16BE(init.extension.profile & 0xffff, offset);
    buffer.writeUInt16BE(extData.length / 4, offset + 2);
    offset += 4;
    buffer.set(extData, offset);
    offset += extData.length;
  }
  buffer.set(init.payload, offset);
  offset += init.payload.length;
  if (paddingSize > 0) {
    buffer.fill(0, offset, offset + paddingSize - 1);
    buffer[offset + paddingSize - 1] = paddingSize;
  }
  return buffer;
}

/**
 * Writes a 12-octet header without CSRCs, extension or padding at the start of
 * `buffer`: the hot path of a sender that reuses its buffers.
 */
export function writeRtpHeader(
  buffer: Buffer,
  marker: boolean,
  payloadType: number,
  sequenceNumber: number,
  timestamp: number,
  ssrc: number,
): void {
  buffer[0] = RTP_VERSION << 6;
  buffer[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  buffer.writeUInt16BE(sequenceNumber & 0xffff, 2);
  buffer.writeUInt32BE(timestamp >>> 0, 4);
  buffer.writeUInt32BE(ssrc >>> 0, 8);
}
