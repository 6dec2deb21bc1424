/**
 * The closed set of faults the SIP layer reports. Malformed input is not a
 * bug: the parser reports it as a value (see `ParseResult`); the typed header
 * accessors throw `SipParseError` because they are read deep inside handlers,
 * and the stack turns an escaped `SipParseError` into a 400 whose reason names
 * the fault.
 */
export type SipFaultCode =
  | 'message-too-large'
  | 'too-many-headers'
  | 'header-too-long'
  | 'truncated'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-header'
  | 'missing-header'
  | 'duplicate-header'
  | 'bad-content-length'
  | 'bad-uri';

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  /** Status a UAS answers with when this fault is in a request. */
  readonly status: number;
  constructor(
    readonly code: SipFaultCode,
    /** Reason phrase for the response: short, names the fault, no CR/LF. */
    readonly reason: string,
    status = 400,
  ) {
    super(reason);
    this.status = status;
  }
}

export function headerFault(header: string, detail?: string): SipParseError {
  return new SipParseError('bad-header', detail ? `Malformed ${header}: ${detail}` : `Malformed ${header}`);
}

export function missingHeader(header: string): SipParseError {
  return new SipParseError('missing-header', `Missing ${header}`);
}

/** Faults of I/O and misuse, which are bugs or broken sockets, not bad input. */
export type SipStackErrorCode =
  | 'transport-closed'
  | 'transport-unavailable'
  | 'no-route'
  | 'resolve-failed'
  | 'send-failed'
  | 'limit-exceeded'
  | 'invalid-state'
  | 'invalid-argument';

export class SipStackError extends Error {
  override readonly name = 'SipStackError';
  constructor(
    readonly code: SipStackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
