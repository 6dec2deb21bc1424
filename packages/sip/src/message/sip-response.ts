import { reasonPhrase } from './reason-phrases.js';
import { type HeaderField, type HeaderInit, SipMessage, toHeaderFields } from './sip-message.js';

export interface SipResponseInit {
  status: number;
  reason?: string;
  headers?: HeaderInit;
  body?: Buffer | string;
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2). */
export class SipResponse extends SipMessage {
  status: number;
  reason: string;
  version: string;

  constructor(init: SipResponseInit) {
    super(
      toHeaderFields(init.headers),
      typeof init.body === 'string' ? Buffer.from(init.body) : (init.body ?? Buffer.alloc(0)),
    );
    if (!Number.isInteger(init.status) || init.status < 100 || init.status > 699) {
      throw new RangeError(`status ${init.status} is not 100-699`);
    }
    this.status = init.status;
    this.reason = init.reason ?? reasonPhrase(init.status);
    if (/[\r\n]/.test(this.reason)) throw new RangeError('reason phrase holds CR or LF');
    this.version = 'SIP/2.0';
  }

  static fromParts(
    status: number,
    reason: string,
    version: string,
    headers: HeaderField[],
    body: Buffer,
  ): SipResponse {
    const response = new SipResponse({ status, reason, body });
    response.version = version;
    response.headers = headers;
    return response;
  }

  get isRequest(): false {
    return false;
  }

  startLine(): string {
    return `${this.version} ${this.status} ${this.reason}`;
  }

  clone(): SipResponse {
    return SipResponse.fromParts(this.status, this.reason, this.version, [...this.headers], this.body);
  }
}
