import * as sdpTransform from 'sdp-transform';
import { parseSdp } from './sdp-negotiation.js';

/** Encoding names of the static RTP payload types (RFC 3551 §6) a PBX meets. */
const STATIC_ENCODINGS: Readonly<Record<number, string>> = {
  0: 'PCMU',
  3: 'GSM',
  8: 'PCMA',
  9: 'G722',
  18: 'G729',
};

export type OfferCodecsResult =
  | { readonly ok: true; readonly sdp: string; readonly payloads: readonly number[] }
  /** `no-common-codec`: the offer has no audio codec of the list (telephone-event alone carries no voice). */
  | { readonly ok: false; readonly reason: 'unparseable' | 'no-audio' | 'no-common-codec' };

/**
 * Narrows the first active audio stream of an SDP offer to the codecs a
 * peer takes (a carrier's `codecs` setting), in that list's order of
 * preference: payload types named in the list are kept (by rtpmap, or by
 * the static table for an offer without rtpmap lines), the others are
 * dropped with their rtpmap, fmtp and rtcp-fb lines. Names compare without
 * regard to case. Other streams and every other line stay as they were.
 */
export function offerWithCodecs(text: string, codecs: readonly string[]): OfferCodecsResult {
  const session = parseSdp(text);
  if (!session) return { ok: false, reason: 'unparseable' };
  const audio = session.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (!audio) return { ok: false, reason: 'no-audio' };
  const offered = String(audio.payloads ?? '')
    .split(' ')
    .filter((pt) => /^\d{1,3}$/.test(pt))
    .map(Number);
  const encodingOf = (pt: number): string | undefined =>
    (audio.rtp ?? []).find((r) => r.payload === pt)?.codec ?? STATIC_ENCODINGS[pt];
  const rank = new Map(codecs.map((name, i) => [name.toLowerCase(), i] as const));
  const kept = offered
    .map((pt, position) => ({ pt, position, rank: rank.get(encodingOf(pt)?.toLowerCase() ?? '') }))
    .filter((p): p is { pt: number; position: number; rank: number } => p.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map((p) => p.pt);
  const voice = kept.filter((pt) => encodingOf(pt)?.toLowerCase() !== 'telephone-event');
  if (voice.length === 0) return { ok: false, reason: 'no-common-codec' };
  const keep = new Set(kept);
  audio.payloads = kept.join(' ');
  audio.rtp = (audio.rtp ?? []).filter((r) => keep.has(r.payload));
  if (audio.fmtp) audio.fmtp = audio.fmtp.filter((f) => keep.has(f.payload));
  if (audio.rtcpFb)
    audio.rtcpFb = audio.rtcpFb.filter((f) => f.payload === '*' || keep.has(Number(f.payload)));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const written = sdpTransform.write(session);
  return { ok: true, sdp: eol === '\r\n' ? written : written.replace(/\r\n/g, '\n'), payloads: kept };
}
