/**
 * Splits a byte stream into SIP messages by Content-Length (RFC 3261 §18.3)
 * within a byte limit, and recognises RFC 5626 §3.5.1 CRLF keep-alives.
 * Pure: no sockets, no timers.
 */
export type Frame =
  | { readonly kind: 'message'; readonly data: Buffer }
  /** A double-CRLF ping: answer with a single CRLF pong. */
  | { readonly kind: 'ping' }
  /**
   * Content-Length is missing or malformed, or the message is too large: the
   * header section (when there is one) is delivered so a 400 can be sent,
   * then the connection must be closed, since framing is lost.
   */
  | { readonly kind: 'fatal'; readonly reason: string; readonly head: Buffer | undefined };

const CRLFCRLF = Buffer.from('\r\n\r\n');

export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);
  #failed = false;

  constructor(readonly maxMessageBytes: number) {}

  /** Bytes held of an incomplete message. */
  get pendingBytes(): number {
    return this.#buffer.length;
  }

  push(chunk: Buffer): Frame[] {
    if (this.#failed) return [];
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) break;
      frames.push(frame);
      if (frame.kind === 'fatal') {
        this.#failed = true;
        this.#buffer = Buffer.alloc(0);
        break;
      }
    }
    return frames;
  }

  #next(): Frame | undefined {
    const buffer = this.#buffer;
    // Keep-alives: CRLFCRLF is a ping; a lone CRLF (a pong, or padding) is skipped.
    let start = 0;
    while (start + 1 < buffer.length && buffer[start] === 0x0d && buffer[start + 1] === 0x0a) {
      if (start + 3 < buffer.length && buffer[start + 2] === 0x0d && buffer[start + 3] === 0x0a) {
        this.#buffer = buffer.subarray(start + 4);
        return { kind: 'ping' };
      }
      if (start + 2 === buffer.length || (start + 3 === buffer.length && buffer[start + 2] === 0x0d)) {
        // Could become a ping: wait for more bytes.
        this.#buffer = buffer.subarray(start);
        return undefined;
      }
      start += 2;
    }
    if (start > 0) {
      this.#buffer = buffer.subarray(start);
      return this.#next();
    }
    if (buffer.length === 0) return undefined;
    const headEnd = buffer.indexOf(CRLFCRLF);
    if (headEnd === -1) {
      if (buffer.length > this.maxMessageBytes)
        return { kind: 'fatal', reason: 'header section too large', head: undefined };
      return undefined;
    }
    const head = buffer.subarray(0, headEnd + 4);
    const length = contentLength(buffer.toString('latin1', 0, headEnd));
    if (typeof length === 'string') return { kind: 'fatal', reason: length, head: Buffer.from(head) };
    const total = headEnd + 4 + length;
    if (total > this.maxMessageBytes)
      return { kind: 'fatal', reason: 'message too large', head: Buffer.from(head) };
    if (buffer.length < total) return undefined;
    // Copy: the message must not pin the connection's larger buffer.
    const data = Buffer.from(buffer.subarray(0, total));
    this.#buffer = buffer.subarray(total);
    return { kind: 'message', data };
  }
}

/** The Content-Length of a header section, or the fault. */
function contentLength(head: string): number | string {
  let found: number | string = 'missing Content-Length';
  let count = 0;
  let pos = head.indexOf('\r\n');
  while (pos !== -1) {
    const lineStart = pos + 2;
    const next = head.indexOf('\r\n', lineStart);
    const line = head.slice(lineStart, next === -1 ? head.length : next);
    pos = next;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    count++;
    const value = line.slice(colon + 1).trim();
    found = /^[0-9]{1,10}$/.test(value) ? Number(value) : 'malformed Content-Length';
  }
  return count > 1 ? 'multiple Content-Length values' : found;
}
