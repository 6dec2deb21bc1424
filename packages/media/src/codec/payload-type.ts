import type { G711Law } from './g711.js';

/**
 * Audio codecs this engine speaks, with their RTP/AVP static payload types
 * (RFC 3551 §6) and SDP encoding names.
 */
export interface AudioCodec {
  readonly name: 'PCMU' | 'PCMA';
  readonly law: G711Law;
  readonly payloadType: number;
  readonly clockRate: 8000;
}

export const PCMU: AudioCodec = { name: 'PCMU', law: 'mulaw', payloadType: 0, clockRate: 8000 };
export const PCMA: AudioCodec = { name: 'PCMA', law: 'alaw', payloadType: 8, clockRate: 8000 };

export const AUDIO_CODECS: readonly AudioCodec[] = [PCMU, PCMA];

export function codecByName(name: string): AudioCodec | undefined {
  const upper = name.toUpperCase();
  return AUDIO_CODECS.find((codec) => codec.name === upper);
}

export function codecByStaticPayloadType(payloadType: number): AudioCodec | undefined {
  return AUDIO_CODECS.find((codec) => codec.payloadType === payloadType);
}

/** The dynamic payload type we offer for telephone-event (RFC 4733) when we make the offer. */
export const DEFAULT_TELEPHONE_EVENT_PT = 101;
