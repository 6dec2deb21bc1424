import { isIPv6 } from 'node:net';
import * as sdpTransform from 'sdp-transform';
import { isMediaDirection, type MediaDirection } from '../session/media-direction.js';
import { parseSdp } from '../session/sdp-negotiation.js';

/** Where one party wants to receive, as its SDP says. */
export interface SdpMediaAddress {
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  readonly direction: MediaDirection;
  /** sendonly, inactive, or the old c=0.0.0.0 hold. */
  readonly held: boolean;
}

export type RelaySdpFailure = 'unparseable' | 'no-audio' | 'bad-connection';

export type RelaySdpResult =
  | { readonly ok: true; readonly sdp: string; readonly media: SdpMediaAddress }
  | { readonly ok: false; readonly reason: RelaySdpFailure };

/** ICE attributes are dropped: the relay terminates the media path, candidates would bypass it. */
const ICE_FIELDS = [
  'candidates',
  'iceUfrag',
  'icePwd',
  'iceOptions',
  'endOfCandidates',
  'remoteCandidates',
] as const;

/**
 * Rewrites one party's SDP for the other party: the first active audio
 * stream's c= and m= port (and a=rtcp) point at the relay's port on the
 * other side; other streams are disabled (port 0), since only audio is
 * anchored. Direction attributes (hold) pass through unchanged. Also
 * returns where the party itself wants to receive.
 */
export function rewriteSdpForRelay(text: string, relayAddress: string, relayRtpPort: number): RelaySdpResult {
  const session = parseSdp(text);
  if (!session) return { ok: false, reason: 'unparseable' };
  const audioIndex = session.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (audioIndex < 0) return { ok: false, reason: 'no-audio' };
  const audio = session.media[audioIndex]!;
  const address = audio.connection?.ip ?? session.connection?.ip;
  if (!address || !(/^(\d{1,3}\.){3}\d{1,3}$/.test(address) || isIPv6(address))) {
    return { ok: false, reason: 'bad-connection' };
  }
  if (!Number.isInteger(audio.port) || audio.port < 1 || audio.port > 65535) {
    return { ok: false, reason: 'bad-connection' };
  }
  const stated: MediaDirection = isMediaDirection(audio.direction)
    ? audio.direction
    : isMediaDirection(session.direction)
      ? session.direction
      : 'sendrecv';
  const zero = address === '0.0.0.0' || address === '::';
  const rtcpPort =
    audio.rtcp?.port && audio.rtcp.port > 0 && audio.rtcp.port <= 65535 ? audio.rtcp.port : audio.port + 1;
  const media: SdpMediaAddress = {
    address,
    rtpPort: audio.port,
    // Muxed RTCP travels with RTP; this is where RTCP goes if the answer declines the mux.
    rtcpPort,
    direction: stated,
    held: zero || stated === 'sendonly' || stated === 'inactive',
  };

  const ipVer = isIPv6(relayAddress) ? 6 : 4;
  const connection = { version: ipVer, ip: zero ? address : relayAddress };
  // Keep the party's o= (its session id and version must stay stable across re-INVITEs) but not its address.
  const origin = session.origin as Partial<typeof session.origin> | undefined;
  session.origin = {
    username: typeof origin?.username === 'string' && origin.username !== '' ? origin.username : '-',
    sessionId:
      origin?.sessionId !== undefined && /^\d{1,20}$/.test(String(origin.sessionId)) ? origin.sessionId : 1,
    sessionVersion: Number.isSafeInteger(origin?.sessionVersion) ? origin!.sessionVersion! : 1,
    netType: 'IN',
    ipVer,
    address: relayAddress,
  };
  if (typeof session.name !== 'string' || session.name === '') session.name = '-';
  if (!session.timing) session.timing = { start: 0, stop: 0 };
  session.connection = connection;
  for (const field of ICE_FIELDS) delete (session as unknown as Record<string, unknown>)[field];
  session.media = session.media.map((m, index) => {
    const copy = { ...m };
    for (const field of ICE_FIELDS) delete (copy as Record<string, unknown>)[field];
    if (index !== audioIndex) {
      copy.port = 0;
      delete copy.connection;
      return copy;
    }
    copy.port = relayRtpPort;
    copy.connection = connection;
    if (copy.rtcp) {
      const port = copy.rtcpMux === 'rtcp-mux' ? relayRtpPort : relayRtpPort + 1;
      copy.rtcp = { port, netType: 'IN', ipVer, address: connection.ip };
    }
    return copy;
  });
  return { ok: true, sdp: sdpTransform.write(session), media };
}
