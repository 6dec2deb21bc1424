import { FRAME_SAMPLES } from '../audio/audio-frame.js';
import { g711Decode } from '../codec/g711.js';
import type { DtmfDigit } from '../dtmf/dtmf-digit.js';
import { DtmfReceiver } from '../dtmf/dtmf-receiver.js';
import { InbandDtmfDetector } from '../dtmf/inband-dtmf-detector.js';
import { ReceiveStatistics } from '../rtp/receive-statistics.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';
import type { RemoteMedia } from './sdp-negotiation.js';

/** Largest audio payload decoded (160 ms of G.711). */
const MAX_AUDIO_PAYLOAD = 1280;
/** A timestamp gap up to this long (1 s) is filled with silence for the sinks. */
const MAX_CONCEALED_SAMPLES = 50 * FRAME_SAMPLES;

export interface InboundListener {
  /** Decoded audio in arrival order (silence for gaps), only when `wantsAudio` says so. */
  audio(pcm: Int16Array): void;
  keyDown(digit: DtmfDigit, source: 'rfc4733' | 'inband'): void;
  keyUp(digit: DtmfDigit, durationMs: number): void;
}

/**
 * The receiving half of an endpoint's RTP stream: per-SSRC statistics
 * (RFC 3550 A.1, A.8), G.711 decoding with gaps concealed, RFC 4733 key
 * presses, and in-band key tones when telephone-event was not negotiated.
 */
export class InboundStream {
  private ssrc: number | undefined;
  private stats: ReceiveStatistics | undefined;
  private last: { timestamp: number; samples: number } | undefined;
  private readonly events = new DtmfReceiver();
  private inband: InbandDtmfDetector | undefined;

  constructor(private readonly listener: InboundListener) {}

  /** Follows the negotiated media (listens for in-band keys only without telephone-event). */
  configure(remote: RemoteMedia): void {
    this.inband =
      remote.telephoneEventPt === undefined ? (this.inband ?? new InbandDtmfDetector()) : undefined;
  }

  get sourceSsrc(): number | undefined {
    return this.ssrc;
  }

  get statistics(): ReceiveStatistics | undefined {
    return this.stats;
  }

  receive(packet: RtpPacket, remote: RemoteMedia, nowMs: number, wantsAudio: boolean): void {
    if (packet.ssrc !== this.ssrc) {
      this.ssrc = packet.ssrc;
      this.stats = new ReceiveStatistics(8000);
      this.last = undefined;
    }
    const verdict = this.stats!.update(packet.sequenceNumber, packet.timestamp, nowMs);
    if (packet.payloadType === remote.codec.payloadType) {
      if (verdict !== 'in-order' && verdict !== 'restart') return; // late audio is useless to sinks
      const payload = packet.payload;
      if (payload.length === 0 || payload.length > MAX_AUDIO_PAYLOAD) return;
      const previous = this.last;
      this.last = { timestamp: packet.timestamp, samples: payload.length }; // G.711: an octet per sample
      if (!wantsAudio && !this.inband) return;
      if (previous && wantsAudio) {
        const gap = ((packet.timestamp - previous.timestamp) >>> 0) - previous.samples;
        if (gap > 0 && gap <= MAX_CONCEALED_SAMPLES) this.listener.audio(new Int16Array(gap));
      }
      const pcm = g711Decode(remote.codec.codec.law, payload);
      if (wantsAudio) this.listener.audio(pcm);
      const digit = this.inband?.process(pcm);
      if (digit) this.listener.keyDown(digit, 'inband');
    } else if (packet.payloadType === remote.telephoneEventPt) {
      for (const note of this.events.receive(
        packet.payload,
        packet.ssrc,
        packet.timestamp,
        packet.marker,
        nowMs,
      )) {
        if (note.kind === 'start') this.listener.keyDown(note.digit, 'rfc4733');
        else this.listener.keyUp(note.digit, note.durationMs);
      }
    }
    // Other payload types (comfort noise, a codec not chosen) are ignored.
  }
}
