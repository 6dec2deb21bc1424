import { msForSamples } from '../audio/audio-frame.js';
import { type DtmfDigit, digitFromEvent } from './dtmf-digit.js';
import { parseTelephoneEvent } from './telephone-event.js';

/** How many past events are remembered to drop their late retransmissions. */
const HISTORY = 16;
/**
 * A packet of the same digit with a new timestamp, no marker and within this
 * time of the previous (unended) event's last packet is taken as the same
 * key press: some devices step the timestamp on every update.
 */
const CONTINUATION_WINDOW_MS = 60;

export type DtmfNotification =
  | { readonly kind: 'start'; readonly digit: DtmfDigit }
  | { readonly kind: 'end'; readonly digit: DtmfDigit; readonly durationMs: number };

interface EventState {
  readonly key: string;
  readonly digit: DtmfDigit;
  ended: boolean;
  lastArrivalMs: number;
}

/**
 * Detects key presses in received telephone-event packets (RFC 4733 §2.5.2).
 * One event is one RTP timestamp (per SSRC). A digit is reported when the
 * first packet of its event arrives, whichever one that is (the marked start
 * packet may be lost); its end is reported once, from the first packet with
 * E set, however often that packet is retransmitted; packets of events
 * already seen (late or repeated) are dropped.
 */
export class DtmfReceiver {
  private current: EventState | undefined;
  private readonly history: string[] = [];

  receive(
    payload: Uint8Array,
    ssrc: number,
    timestamp: number,
    marker: boolean,
    arrivalMs: number,
  ): DtmfNotification[] {
    const event = parseTelephoneEvent(payload);
    if (!event) return [];
    const digit = digitFromEvent(event.event);
    if (!digit) return []; // flash and non-DTMF events are not digits
    const key = `${ssrc >>> 0}:${timestamp >>> 0}`;
    const out: DtmfNotification[] = [];
    const current = this.current;
    if (current && current.key === key) {
      current.lastArrivalMs = arrivalMs;
    } else if (this.history.includes(key)) {
      return out; // a late packet of an event we already reported
    } else if (
      current &&
      !current.ended &&
      !marker &&
      current.digit === digit &&
      arrivalMs - current.lastArrivalMs <= CONTINUATION_WINDOW_MS
    ) {
      // A device that steps the timestamp within one key press.
      this.remember(key);
      current.lastArrivalMs = arrivalMs;
    } else {
      this.current = { key, digit, ended: false, lastArrivalMs: arrivalMs };
      this.remember(key);
      out.push({ kind: 'start', digit });
    }
    const state = this.current!;
    if (event.end && !state.ended) {
      state.ended = true;
      out.push({ kind: 'end', digit: state.digit, durationMs: msForSamples(event.duration) });
    }
    return out;
  }

  private remember(key: string): void {
    this.history.push(key);
    if (this.history.length > HISTORY) this.history.shift();
  }
}
