import { FRAME_SAMPLES, samplesForMs } from '../audio/audio-frame.js';
import { type DtmfDigit, eventFromDigit } from './dtmf-digit.js';
import { MAX_EVENT_DURATION, serializeTelephoneEvent } from './telephone-event.js';

/** RFC 4733 §2.5.1.4: the final packet of an event is sent three times. */
export const END_PACKET_REPEATS = 3;
export const DEFAULT_DIGIT_MS = 100;
/** Silence between queued digits, so a receiver sees separate events. */
export const DEFAULT_GAP_MS = 60;
export const MIN_DIGIT_MS = 40;
/** Longer events would need segments (§2.5.1.3); no phone user needs them. */
export const MAX_DIGIT_MS = 5000;
export const MAX_QUEUED_DIGITS = 64;
/** -dBm0 power level sent in the volume field. */
export const DEFAULT_EVENT_VOLUME = 10;

export interface EventPacket {
  readonly marker: boolean;
  /** RTP timestamp of the event's start; the same in every packet of the event. */
  readonly timestamp: number;
  readonly payload: Buffer;
}

interface QueuedDigit {
  readonly digit: DtmfDigit;
  readonly durationSamples: number;
}

interface ActiveEvent {
  readonly code: number;
  readonly durationSamples: number;
  readonly timestamp: number;
  elapsed: number;
  endsSent: number;
}

/**
 * Turns queued digits into telephone-event packets, one per 20 ms tick
 * (§2.5.1): the first packet has the marker bit, each later one carries the
 * growing duration, the last carries E and goes out three times; then a gap
 * of audio before the next digit. Pure: the caller calls `tick` once per
 * packet interval with the media timestamp of that tick.
 */
export class DtmfSender {
  private readonly queue: QueuedDigit[] = [];
  private active: ActiveEvent | undefined;
  private gapSamplesLeft = 0;

  constructor(
    private readonly gapMs = DEFAULT_GAP_MS,
    private readonly volume = DEFAULT_EVENT_VOLUME,
  ) {}

  /** Queues digits; returns false (and queues nothing) past the queue limit. */
  enqueue(digits: readonly DtmfDigit[], durationMs = DEFAULT_DIGIT_MS): boolean {
    if (this.queue.length + digits.length > MAX_QUEUED_DIGITS) return false;
    const clamped = Math.max(MIN_DIGIT_MS, Math.min(MAX_DIGIT_MS, durationMs));
    const durationSamples = Math.min(MAX_EVENT_DURATION, samplesForMs(clamped));
    for (const digit of digits) this.queue.push({ digit, durationSamples });
    return true;
  }

  /** Whether a digit is being sent or waits (audio should yield to events then). */
  get busy(): boolean {
    return this.active !== undefined || this.queue.length > 0;
  }

  /**
   * The event packet for this tick, or undefined when audio should be sent
   * instead (idle, or in the gap between digits).
   */
  tick(mediaTimestamp: number): EventPacket | undefined {
    if (!this.active) {
      if (this.gapSamplesLeft > 0) {
        this.gapSamplesLeft -= FRAME_SAMPLES;
        return undefined;
      }
      const next = this.queue.shift();
      if (!next) return undefined;
      this.active = {
        code: eventFromDigit(next.digit),
        durationSamples: next.durationSamples,
        timestamp: mediaTimestamp >>> 0,
        elapsed: 0,
        endsSent: 0,
      };
    }
    const event = this.active;
    const first = event.elapsed === 0;
    if (event.elapsed < event.durationSamples)
      event.elapsed = Math.min(event.durationSamples, event.elapsed + FRAME_SAMPLES);
    const ending = event.elapsed >= event.durationSamples;
    if (ending) event.endsSent++;
    const payload = serializeTelephoneEvent({
      event: event.code,
      end: ending,
      volume: this.volume,
      duration: event.elapsed,
    });
    const packet: EventPacket = { marker: first, timestamp: event.timestamp, payload };
    if (event.endsSent >= END_PACKET_REPEATS) {
      this.active = undefined;
      this.gapSamplesLeft = samplesForMs(this.gapMs);
    }
    return packet;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
