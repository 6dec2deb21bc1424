import { isIPv6 } from 'node:net';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import * as sdpTransform from 'sdp-transform';
import {
  type AudioCodec,
  codecByName,
  codecByStaticPayloadType,
  DEFAULT_TELEPHONE_EVENT_PT,
} from '../codec/payload-type.js';
import { answerDirection, isMediaDirection, type MediaDirection } from './media-direction.js';

/**
 * SDP offer/answer (RFC 3264) for an audio endpoint that speaks G.711 and
 * telephone-event over RTP/AVP. Parsing and writing by `sdp-transform`;
 * everything read from the peer is validated here.
 */

export const MAX_SDP_OCTETS = 16 * 1024;
const MAX_MEDIA_SECTIONS = 16;
/** Profiles carried as plain RTP (AVPF feedback is optional for the peer). */
const PLAIN_RTP_PROFILES = new Set(['RTP/AVP', 'RTP/AVPF']);

interface RtpMap {
  payload: number;
  codec: string;
  rate: number;
}

export interface NegotiatedCodec {
  readonly codec: AudioCodec;
  /** The payload type on the wire (the static one, unless the offer mapped it otherwise). */
  readonly payloadType: number;
}

/** What negotiation learned about the peer's stream. */
export interface RemoteMedia {
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  readonly rtcpMux: boolean;
  readonly codec: NegotiatedCodec;
  readonly telephoneEventPt?: number;
  /** Our direction after negotiation (what we may do). */
  readonly direction: MediaDirection;
  /** The peer put the stream on hold (sendonly, inactive, or c=0.0.0.0). */
  readonly held: boolean;
}

export interface LocalMedia {
  readonly address: string;
  readonly port: number;
  readonly sessionId: string;
  readonly sessionVersion: number;
  /** Codecs in our order of preference. */
  readonly codecs: readonly AudioCodec[];
  readonly telephoneEvent: boolean;
  /** The direction we want (default sendrecv). */
  readonly direction?: MediaDirection;
  readonly sessionName?: string;
}

export type NegotiationFailure =
  | 'too-large'
  | 'unparseable'
  | 'no-audio'
  | 'unsupported-transport'
  | 'no-common-codec'
  | 'bad-connection';

export type AnswerResult =
  | { readonly ok: true; readonly answer: string; readonly remote: RemoteMedia }
  | { readonly ok: false; readonly reason: NegotiationFailure };

export type AcceptResult =
  | { readonly ok: true; readonly remote: RemoteMedia }
  | { readonly ok: false; readonly reason: NegotiationFailure };

/** Parses SDP text; undefined when it is not usable SDP. Never throws. */
export function parseSdp(text: string): SessionDescription | undefined {
  if (Buffer.byteLength(text) > MAX_SDP_OCTETS) return undefined;
  if (!/^v=0\s*$/m.test(text.split(/\r?\n/, 1)[0] ?? '')) return undefined;
  try {
    const session = sdpTransform.parse(text);
    if (!Array.isArray(session.media) || session.media.length > MAX_MEDIA_SECTIONS) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

/** Answers an offer (RFC 3264 §6): picks the first offered codec we speak, or fails (the PBX answers 488). */
export function answerOffer(offerText: string, local: LocalMedia): AnswerResult {
  if (Buffer.byteLength(offerText) > MAX_SDP_OCTETS) return { ok: false, reason: 'too-large' };
  const offer = parseSdp(offerText);
  if (!offer) return { ok: false, reason: 'unparseable' };
  const audioIndex = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (audioIndex < 0) return { ok: false, reason: 'no-audio' };
  const audio = offer.media[audioIndex]!;
  if (!PLAIN_RTP_PROFILES.has(audio.protocol)) return { ok: false, reason: 'unsupported-transport' };
  const remote = readRemote(offer, audio, local.codecs, 'offer', local.direction ?? 'sendrecv');
  if (!remote.ok) return remote;
  const media = offer.media.map((m, index) =>
    index === audioIndex ? audioSection(local, remote.remote) : rejectedSection(m),
  );
  return { ok: true, answer: writeSdp(local, media), remote: remote.remote };
}

/** Our offer: every codec we speak plus telephone-event. */
export function createOffer(local: LocalMedia): string {
  const te = local.telephoneEvent ? DEFAULT_TELEPHONE_EVENT_PT : undefined;
  const rtp: RtpMap[] = local.codecs.map((codec) => ({
    payload: codec.payloadType,
    codec: codec.name,
    rate: codec.clockRate,
  }));
  const fmtp: { payload: number; config: string }[] = [];
  if (te !== undefined) {
    rtp.push({ payload: te, codec: 'telephone-event', rate: 8000 });
    fmtp.push({ payload: te, config: '0-16' });
  }
  const media: MediaDescription = {
    type: 'audio',
    port: local.port,
    protocol: 'RTP/AVP',
    payloads: rtp.map((r) => r.payload).join(' '),
    rtp,
    fmtp,
    ptime: 20,
    direction: local.direction ?? 'sendrecv',
  };
  return writeSdp(local, [media]);
}

/** Reads the answer to our offer (RFC 3264 §7). */
export function acceptAnswer(answerText: string, local: LocalMedia): AcceptResult {
  if (Buffer.byteLength(answerText) > MAX_SDP_OCTETS) return { ok: false, reason: 'too-large' };
  const answer = parseSdp(answerText);
  if (!answer) return { ok: false, reason: 'unparseable' };
  const audio = answer.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (!audio) return { ok: false, reason: 'no-audio' };
  if (!PLAIN_RTP_PROFILES.has(audio.protocol)) return { ok: false, reason: 'unsupported-transport' };
  return readRemote(answer, audio, local.codecs, 'answer', local.direction ?? 'sendrecv');
}

function readRemote(
  session: SessionDescription,
  audio: MediaDescription,
  ours: readonly AudioCodec[],
  role: 'offer' | 'answer',
  wanted: MediaDirection,
): AcceptResult {
  const address = audio.connection?.ip ?? session.connection?.ip;
  if (!address || !isUsableAddress(address)) return { ok: false, reason: 'bad-connection' };
  if (!Number.isInteger(audio.port) || audio.port < 1 || audio.port > 65535) {
    return { ok: false, reason: 'bad-connection' };
  }
  const payloads = parsePayloads(audio.payloads);
  let chosen: NegotiatedCodec | undefined;
  let telephoneEventPt: number | undefined;
  for (const pt of payloads) {
    const rtpmap = audio.rtp?.find((r) => r.payload === pt);
    if (rtpmap) {
      const name = rtpmap.codec.toLowerCase();
      if (name === 'telephone-event' && rtpmap.rate === 8000 && telephoneEventPt === undefined) {
        telephoneEventPt = pt;
        continue;
      }
      const codec = codecByName(rtpmap.codec);
      if (!chosen && codec && rtpmap.rate === codec.clockRate && ours.includes(codec)) {
        chosen = { codec, payloadType: pt };
      }
    } else if (!chosen) {
      // Static payload types need no rtpmap (RFC 3551 §6).
      const codec = codecByStaticPayloadType(pt);
      if (codec && ours.includes(codec)) chosen = { codec, payloadType: pt };
    }
  }
  if (!chosen) return { ok: false, reason: 'no-common-codec' };
  const stated = isMediaDirection(audio.direction)
    ? audio.direction
    : isMediaDirection(session.direction)
      ? session.direction
      : 'sendrecv';
  // RFC 3264 §8.4: the old way to hold is c=0.0.0.0.
  const zeroAddress = address === '0.0.0.0' || address === '::';
  const peer: MediaDirection = zeroAddress
    ? stated === 'sendrecv' || stated === 'sendonly'
      ? 'sendonly'
      : 'inactive'
    : stated;
  const direction = role === 'offer' ? answerDirection(peer, wanted) : mirror(peer, wanted);
  const rtcpPort =
    audio.rtcp?.port && audio.rtcp.port > 0 && audio.rtcp.port <= 65535 ? audio.rtcp.port : audio.port + 1;
  return {
    ok: true,
    remote: {
      address,
      rtpPort: audio.port,
      rtcpPort,
      rtcpMux: audio.rtcpMux === 'rtcp-mux',
      codec: chosen,
      direction,
      held: peer === 'sendonly' || peer === 'inactive',
      ...(telephoneEventPt === undefined ? {} : { telephoneEventPt }),
    },
  };
}

/** Our direction given the answerer's stated one. */
function mirror(peer: MediaDirection, wanted: MediaDirection): MediaDirection {
  return answerDirection(peer, wanted);
}

function audioSection(local: LocalMedia, remote: RemoteMedia): MediaDescription {
  const rtp: RtpMap[] = [{ payload: remote.codec.payloadType, codec: remote.codec.codec.name, rate: 8000 }];
  const fmtp: { payload: number; config: string }[] = [];
  if (local.telephoneEvent && remote.telephoneEventPt !== undefined) {
    rtp.push({ payload: remote.telephoneEventPt, codec: 'telephone-event', rate: 8000 });
    fmtp.push({ payload: remote.telephoneEventPt, config: '0-16' });
  }
  return {
    type: 'audio',
    port: local.port,
    protocol: 'RTP/AVP',
    payloads: rtp.map((r) => r.payload).join(' '),
    rtp,
    fmtp,
    ptime: 20,
    direction: remote.direction,
    ...(remote.rtcpMux ? { rtcpMux: 'rtcp-mux' } : {}),
  };
}

/** A declined stream in an answer: port 0, the offer's formats (RFC 3264 §6). */
function rejectedSection(offered: MediaDescription): MediaDescription {
  return {
    type: offered.type,
    port: 0,
    protocol: offered.protocol,
    payloads: offered.payloads === undefined ? '0' : String(offered.payloads),
    rtp: [],
    fmtp: [],
  };
}

function writeSdp(local: LocalMedia, media: MediaDescription[]): string {
  const ipVer = isIPv6(local.address) ? 6 : 4;
  const session: SessionDescription = {
    version: 0,
    origin: {
      username: '-',
      sessionId: local.sessionId,
      sessionVersion: local.sessionVersion,
      netType: 'IN',
      ipVer,
      address: local.address,
    },
    name: local.sessionName ?? 'telekommune',
    timing: { start: 0, stop: 0 },
    connection: { version: ipVer, ip: local.address },
    media,
  };
  return sdpTransform.write(session);
}

/** sdp-transform gives a lone payload type as a number, several as a string. */
function parsePayloads(payloads: string | number | undefined): number[] {
  if (payloads === undefined) return [];
  return String(payloads)
    .trim()
    .split(/\s+/)
    .slice(0, 64)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0 && n <= 127);
}

function isUsableAddress(address: string): boolean {
  // IP literals only: a relay or endpoint must not resolve names per call.
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(address) || isIPv6(address);
}
