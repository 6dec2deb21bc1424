import type { SipMessage } from './sip-message.js';

/**
 * Writes a message (RFC 3261 §7): start line, one line per header field,
 * blank line, body. Content-Length always states the body's length (stream
 * transports require it, §18.3), replacing a stale value in place.
 */
export function serializeMessage(message: SipMessage): Buffer {
  const body = message.body;
  let head = `${message.startLine()}\r\n`;
  let wroteLength = false;
  for (const field of message.headers) {
    if (field.key === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      head += `Content-Length: ${body.length}\r\n`;
      continue;
    }
    head += `${field.name}: ${field.value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  if (body.length === 0) return Buffer.from(head, 'utf8');
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLength);
  return out;
}

/** The message as text, for logs and tests (body decoded as UTF-8). */
export function messageToString(message: SipMessage): string {
  return serializeMessage(message).toString('utf8');
}
