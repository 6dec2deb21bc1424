/**
 * Faults of the media engine. Outcomes a caller expects (an SDP offer with no
 * common codec, a malformed packet) are values, not throws; these are for
 * broken I/O, exhausted resources and misuse.
 */
export type MediaErrorCode =
  | 'ports-exhausted'
  | 'limit-exceeded'
  | 'invalid-argument'
  | 'invalid-wav'
  | 'closed'
  | 'io-error';

export class MediaError extends Error {
  override readonly name = 'MediaError';
  readonly code: MediaErrorCode;

  constructor(code: MediaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
