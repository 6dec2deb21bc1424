/** SDP stream directions (RFC 3264 §5.1, §6.1). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The direction an answerer states for an offered one (RFC 3264 §6.1). */
export function answerDirection(
  offered: MediaDirection,
  wanted: MediaDirection = 'sendrecv',
): MediaDirection {
  const canSend =
    (offered === 'sendrecv' || offered === 'recvonly') && (wanted === 'sendrecv' || wanted === 'sendonly');
  const canReceive =
    (offered === 'sendrecv' || offered === 'sendonly') && (wanted === 'sendrecv' || wanted === 'recvonly');
  return canSend ? (canReceive ? 'sendrecv' : 'sendonly') : canReceive ? 'recvonly' : 'inactive';
}

export function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

export function receives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

export function isMediaDirection(value: unknown): value is MediaDirection {
  return value === 'sendrecv' || value === 'sendonly' || value === 'recvonly' || value === 'inactive';
}
