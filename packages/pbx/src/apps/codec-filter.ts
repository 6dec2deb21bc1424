/**
 * Restricts the audio stream of an SDP offer to the given payload types
 * (keeping their rtpmap/fmtp/rtcp-fb lines and the order of the m= line).
 * An IVR transfer offers the callee only the codec the caller already uses
 * with the application, so the caller's leg never has to change codec.
 * When the stream offers none of them it is left as it was (the callee
 * then answers with what it can, or refuses).
 */
export function restrictAudioPayloads(sdp: string, keep: readonly number[]): string {
  const wanted = new Set(keep.map(String));
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  let inAudio = false;
  let audioSeen = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      inAudio = false;
      if (line.startsWith('m=audio') && !audioSeen) {
        audioSeen = true;
        const parts = line.split(' ');
        const payloads = parts.slice(3).filter((pt) => wanted.has(pt));
        if (payloads.length > 0) {
          inAudio = true;
          out.push([...parts.slice(0, 3), ...payloads].join(' '));
          continue;
        }
      }
    }
    if (inAudio) {
      const match = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)/.exec(line);
      if (match?.[1] !== undefined && !wanted.has(match[1])) continue;
    }
    out.push(line);
  }
  return out.join(eol);
}
