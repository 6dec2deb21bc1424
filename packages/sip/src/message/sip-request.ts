import { SipParseError } from '../errors.js';
import { type HeaderField, type HeaderInit, SipMessage, toHeaderFields } from './sip-message.js';
import { formatUri, parseUri, type Uri } from './uri.js';

export interface SipRequestInit {
  method: string;
  uri: Uri | string;
  headers?: HeaderInit;
  body?: Buffer | string;
}

/** Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1). */
export class SipRequest extends SipMessage {
  method: string;
  /** SIP-Version as received; the UAS answers 505 unless it is SIP/2.0. */
  version: string;
  #uriText: string;
  #uri: Uri | undefined;

  constructor(init: SipRequestInit) {
    super(
      toHeaderFields(init.headers),
      typeof init.body === 'string' ? Buffer.from(init.body) : (init.body ?? Buffer.alloc(0)),
    );
    this.method = init.method;
    this.version = 'SIP/2.0';
    this.#uriText = typeof init.uri === 'string' ? init.uri : formatUri(init.uri);
    this.#uri = typeof init.uri === 'string' ? undefined : init.uri;
  }

  /** Used by the parser: fields are already resolved. */
  static fromParts(
    method: string,
    uriText: string,
    version: string,
    headers: HeaderField[],
    body: Buffer,
  ): SipRequest {
    const request = new SipRequest({ method, uri: uriText, body });
    request.version = version;
    request.headers = headers;
    return request;
  }

  get isRequest(): true {
    return true;
  }

  /** The Request-URI as written. */
  get uriText(): string {
    return this.#uriText;
  }

  /** The Request-URI, parsed on first read; throws a fault naming the Request-URI. */
  get uri(): Uri {
    if (this.#uri === undefined) {
      try {
        this.#uri = parseUri(this.#uriText);
      } catch (error) {
        if (error instanceof SipParseError) {
          throw new SipParseError('bad-uri', error.reason.replace('Malformed URI', 'Malformed Request-URI'));
        }
        throw error;
      }
    }
    return this.#uri;
  }

  set uri(next: Uri) {
    this.#uri = next;
    this.#uriText = formatUri(next);
  }

  startLine(): string {
    return `${this.method} ${this.#uriText} ${this.version}`;
  }

  /** A copy whose header list and body can be changed without touching this one. */
  clone(): SipRequest {
    return SipRequest.fromParts(this.method, this.#uriText, this.version, [...this.headers], this.body);
  }
}
