/**
 * The telephone-event payload (RFC 4733 §2.3):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * duration is in timestamp units since the event began (the RTP timestamp
 * of every packet of one event is the event's start time); volume is in
 * -dBm0 (0-63); R is reserved and sent as 0.
 */

export const TELEPHONE_EVENT_SIZE = 4;
export const MAX_EVENT_DURATION = 0xffff;

export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

/** Parses the first event of a payload; undefined when it is shorter than 4 octets. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < TELEPHONE_EVENT_SIZE) return undefined;
  const flags = payload[1]!;
  return {
    event: payload[0]!,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

export function serializeTelephoneEvent(event: TelephoneEvent, out: Buffer = Buffer.alloc(4)): Buffer {
  if (event.event < 0 || event.event > 255) throw new RangeError('event code is 8 bits');
  if (event.duration < 0 || event.duration > MAX_EVENT_DURATION) throw new RangeError('duration is 16 bits');
  out[0] = event.event;
  out[1] = (event.end ? 0x80 : 0) | (event.volume & 0x3f);
  out.writeUInt16BE(event.duration, 2);
  return out;
}
