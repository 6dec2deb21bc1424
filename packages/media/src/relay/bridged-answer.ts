import { isIPv6 } from 'node:net';
import type { MediaDescription, SessionDescription } from 'sdp-transform';
import * as sdpTransform from 'sdp-transform';
import { codecByStaticPayloadType } from '../codec/payload-type.js';
import { answerDirection, isMediaDirection, type MediaDirection } from '../session/media-direction.js';
import { parseSdp } from '../session/sdp-negotiation.js';

export type BridgedAnswerFailure = 'unparseable' | 'no-audio' | 'bad-connection' | 'no-common-codec';

export type BridgedAnswerResult =
  | { readonly ok: true; readonly sdp: string }
  | { readonly ok: false; readonly reason: BridgedAnswerFailure };

/** A format as it is on the wire: its payload type and its encoding (`pcmu/8000`). */
interface Format {
  readonly payload: number;
  readonly encoding: string | undefined;
}

function formatsOf(media: MediaDescription): Format[] {
  return String(media.payloads ?? '')
    .trim()
    .split(/\s+/)
    .slice(0, 64)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0 && n <= 127)
    .map((payload) => {
      const rtpmap = media.rtp?.find((r) => r.payload === payload);
      if (rtpmap) return { payload, encoding: `${rtpmap.codec.toLowerCase()}/${rtpmap.rate}` };
      // Static payload types need no rtpmap (RFC 3551 §6).
      const codec = codecByStaticPayloadType(payload);
      return { payload, encoding: codec ? `${codec.name.toLowerCase()}/${codec.clockRate}` : undefined };
    });
}

function firstAudio(session: SessionDescription): number {
  return session.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
}

function statedDirection(session: SessionDescription, media: MediaDescription): MediaDirection {
  if (isMediaDirection(media.direction)) return media.direction;
  return isMediaDirection(session.direction) ? session.direction : 'sendrecv';
}

/**
 * Answers `offer` with the media of `peer`, another party's offer (already
 * pointed at the relay when media is anchored): two offers that crossed,
 * as when a ringing call is picked up and the caller's and the picker's
 * INVITEs each wait for an answer. The answer has the offer's m-lines
 * (RFC 3264 §6: same count and order; all but the first audio stream
 * declined with port 0), `peer`'s address and port, and only the formats
 * both offered under the same payload type, since the relay forwards RTP
 * unchanged (no transcoding, no payload type mapping). Its direction is
 * the answer to the offer's (§6.1).
 */
export function bridgedAnswer(offer: string, peer: string): BridgedAnswerResult {
  const offered = parseSdp(offer);
  const other = parseSdp(peer);
  if (!offered || !other) return { ok: false, reason: 'unparseable' };
  const audioIndex = firstAudio(offered);
  const peerIndex = firstAudio(other);
  const audio = offered.media[audioIndex];
  const peerAudio = other.media[peerIndex];
  if (!audio || !peerAudio) return { ok: false, reason: 'no-audio' };
  const address = peerAudio.connection?.ip ?? other.connection?.ip;
  if (!address || !(/^(\d{1,3}\.){3}\d{1,3}$/.test(address) || isIPv6(address)))
    return { ok: false, reason: 'bad-connection' };
  if (!Number.isInteger(peerAudio.port) || peerAudio.port < 1 || peerAudio.port > 65535)
    return { ok: false, reason: 'bad-connection' };

  const peerFormats = formatsOf(peerAudio);
  const common = formatsOf(audio).filter(
    (f) =>
      f.encoding !== undefined &&
      peerFormats.some((p) => p.payload === f.payload && p.encoding === f.encoding),
  );
  if (!common.some((f) => !f.encoding?.startsWith('telephone-event/')))
    return { ok: false, reason: 'no-common-codec' };
  const kept = new Set(common.map((f) => f.payload));

  const ipVer = isIPv6(address) ? 6 : 4;
  const origin = other.origin as Partial<SessionDescription['origin']> | undefined;
  const answerAudio: MediaDescription = {
    type: 'audio',
    port: peerAudio.port,
    protocol: audio.protocol,
    payloads: common.map((f) => f.payload).join(' '),
    rtp: (audio.rtp ?? []).filter((r) => kept.has(r.payload)),
    fmtp: (audio.fmtp ?? []).filter((f) => kept.has(f.payload)),
    direction: answerDirection(statedDirection(offered, audio)),
    ...(audio.ptime !== undefined ? { ptime: audio.ptime } : {}),
    ...(audio.rtcpMux === 'rtcp-mux' && peerAudio.rtcpMux === 'rtcp-mux' ? { rtcpMux: 'rtcp-mux' } : {}),
    ...(peerAudio.rtcp?.port ? { rtcp: { port: peerAudio.rtcp.port, netType: 'IN', ipVer, address } } : {}),
  };
  const answer: SessionDescription = {
    version: 0,
    origin: {
      username: '-',
      sessionId:
        origin?.sessionId !== undefined && /^\d{1,20}$/.test(String(origin.sessionId)) ? origin.sessionId : 1,
      sessionVersion: Number.isSafeInteger(origin?.sessionVersion) ? (origin?.sessionVersion ?? 1) : 1,
      netType: 'IN',
      ipVer,
      address,
    },
    name: '-',
    timing: { start: 0, stop: 0 },
    connection: { version: ipVer, ip: address },
    media: offered.media.map((m, index) =>
      index === audioIndex
        ? answerAudio
        : {
            type: m.type,
            port: 0,
            protocol: m.protocol,
            payloads: m.payloads === undefined ? '0' : String(m.payloads),
            rtp: [],
            fmtp: [],
          },
    ),
  };
  return { ok: true, sdp: sdpTransform.write(answer) };
}
