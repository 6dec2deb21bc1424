import { SipParseError } from '../errors.js';
import { type HeaderName, headerName, headerNameAt, headerNameHashStep } from './header-names.js';
import { isIn, isToken, isWs, parseDigits, TOKEN, trimLws } from './scanner.js';
import type { HeaderField, SipMessage } from './sip-message.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';

/** Limits the parser enforces; every one is configurable on the stack. */
export interface ParseLimits {
  /** Whole message, start line to the end of the body. */
  readonly maxMessageBytes: number;
  /** Header field lines (a folded field counts once). */
  readonly maxHeaders: number;
  /** One header field (after unfolding), and the start line. */
  readonly maxHeaderBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxMessageBytes: 65_535,
  maxHeaders: 256,
  maxHeaderBytes: 8_192,
};

export interface ParseOptions {
  /**
   * Datagram rules (RFC 3261 §18.3): a missing Content-Length means the body
   * runs to the end of the datagram, octets past Content-Length are ignored.
   * Otherwise (stream) Content-Length is required and must match exactly.
   */
  readonly datagram?: boolean;
  readonly limits?: ParseLimits;
}

export type ParseResult =
  | {
      readonly ok: true;
      readonly message: SipMessage /** Octets ignored past Content-Length. */;
      readonly ignoredBytes: number;
    }
  | {
      readonly ok: false;
      readonly fault: SipParseError;
      /**
       * What could be read (start line and header fields) when the fault lies
       * later, so a UAS can still answer a malformed request with a 400.
       */
      readonly partial: SipMessage | undefined;
    };

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** How much of a message is decoded up front to find the end of its header section. */
const HEAD_WINDOW_BYTES = 4096;
const EMPTY = Buffer.alloc(0);
const SIP_VERSION = /^SIP\/[0-9]+\.[0-9]+$/i;

/** True when `text` holds a control character, SP or DEL (none may appear in a Request-URI). */
function hasControlOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return false;
}

function fail(fault: SipParseError, partial?: SipMessage): ParseResult {
  return { ok: false, fault, partial };
}

/**
 * Parses one SIP message (RFC 3261 §7) from `data`. Pure: never throws for
 * malformed input, reports it as a fault instead. Header values are unfolded
 * and kept as text; typed accessors parse them on first read.
 */
export function parseMessage(data: Buffer, options: ParseOptions = {}): ParseResult {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  if (data.length > limits.maxMessageBytes) {
    return fail(new SipParseError('message-too-large', 'Message Too Large', 513));
  }
  // §7.5: ignore CRLFs before the start line.
  let start = 0;
  while (start + 1 < data.length && data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
  // Decode the first few kilobytes once and find the end of the header section
  // in the text, which is cheaper than searching the bytes and decoding after.
  let head: string;
  let bodyStart: number;
  const windowEnd = Math.min(data.length, start + HEAD_WINDOW_BYTES);
  const window = data.toString('utf8', start, windowEnd);
  const headChars = window.indexOf('\r\n\r\n');
  if (headChars !== -1) {
    head = window.slice(0, headChars);
    // As many UTF-16 units as bytes: every unit came from one byte, so offsets agree.
    const headBytes = window.length === windowEnd - start ? headChars : Buffer.byteLength(head, 'utf8');
    bodyStart = start + headBytes + 4;
  } else {
    const headEnd = windowEnd === data.length ? -1 : data.indexOf(CRLFCRLF, start);
    if (headEnd === -1)
      return fail(new SipParseError('truncated', 'Truncated message: no end of header section'));
    head = data.toString('utf8', start, headEnd);
    bodyStart = headEnd + 4;
  }
  const lineEnd = head.indexOf('\r\n');
  const startLineText = lineEnd === -1 ? head : head.slice(0, lineEnd);
  if (startLineText.length > limits.maxHeaderBytes) {
    return fail(new SipParseError('header-too-long', 'Start line too long'));
  }

  // ---- start line -------------------------------------------------------
  let message: SipMessage;
  let startFault: SipParseError | undefined;
  if (startLineText.startsWith('SIP/')) {
    const match = /^(SIP\/[0-9]+\.[0-9]+) ([0-9]{3})(?: (.*))?$/.exec(startLineText);
    if (!match) return fail(new SipParseError('bad-start-line', 'Malformed Status-Line'));
    const status = Number(match[2]);
    if (status < 100 || status > 699)
      return fail(new SipParseError('bad-start-line', 'Status code out of range'));
    const reason = match[3] ?? '';
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(reason))
      return fail(new SipParseError('bad-start-line', 'Control character in reason'));
    if (match[1] !== 'SIP/2.0') return fail(new SipParseError('bad-version', 'Version Not Supported', 505));
    message = SipResponse.fromParts(status, reason, match[1], [], EMPTY);
  } else {
    // Trailing white space is tolerated (RFC 4475 §3.1.2.10 allows either).
    let lineLength = startLineText.length;
    while (lineLength > 0 && isWs(startLineText.charCodeAt(lineLength - 1))) lineLength--;
    const line = lineLength === startLineText.length ? startLineText : startLineText.slice(0, lineLength);
    // Method SP Request-URI SP SIP-Version: exactly two spaces.
    const firstSpace = line.indexOf(' ');
    const secondSpace = firstSpace === -1 ? -1 : line.indexOf(' ', firstSpace + 1);
    const wellFormed = secondSpace !== -1 && line.indexOf(' ', secondSpace + 1) === -1;
    const method = firstSpace === -1 ? line : line.slice(0, firstSpace);
    const uri =
      firstSpace === -1 ? '' : line.slice(firstSpace + 1, secondSpace === -1 ? line.length : secondSpace);
    const version = secondSpace === -1 ? '' : line.slice(secondSpace + 1);
    message = SipRequest.fromParts(method, uri, version, [], EMPTY);
    if (!wellFormed || uri.length === 0 || hasControlOrSpace(uri)) {
      startFault = new SipParseError('bad-start-line', 'Malformed Request-Line');
    } else if (!isToken(method)) {
      startFault = new SipParseError('bad-start-line', 'Malformed Request-Line: bad method');
    } else if (version !== 'SIP/2.0' && !SIP_VERSION.test(version)) {
      startFault = new SipParseError('bad-start-line', 'Malformed Request-Line: bad SIP-Version');
    }
  }

  // ---- header fields ----------------------------------------------------
  const headers: HeaderField[] = [];
  let contentLengthCount = 0;
  let contentLengthValue = '';
  let pos = lineEnd === -1 ? head.length : lineEnd + 2;
  const headLength = head.length;
  while (pos < headLength) {
    // Fast path: one field on one line ending in CRLF, no folding, no bare CR
    // or LF, a token name: read straight from `head` without copying the line.
    const lf = head.indexOf('\n', pos);
    const eol = lf === -1 ? headLength : lf - 1;
    const cr = head.indexOf('\r', pos);
    const plain =
      (lf === -1 ? cr === -1 : cr === eol && cr >= pos) &&
      eol - pos <= limits.maxHeaderBytes &&
      !(lf !== -1 && lf + 1 < headLength && isWs(head.charCodeAt(lf + 1)));
    let resolved: HeaderName | undefined;
    let value = '';
    if (plain) {
      let i = pos;
      let hash = 0;
      for (; i < eol; i++) {
        const code = head.charCodeAt(i);
        if (!isIn(TOKEN, code)) break;
        hash = headerNameHashStep(hash, code);
      }
      const nameEnd = i;
      while (i < eol && isWs(head.charCodeAt(i))) i++;
      if (nameEnd > pos && i < eol && head.charCodeAt(i) === 0x3a) {
        resolved = headerNameAt(head, pos, nameEnd, hash);
        let valueStart = i + 1;
        while (valueStart < eol && isWs(head.charCodeAt(valueStart))) valueStart++;
        let valueEnd = eol;
        while (valueEnd > valueStart && isWs(head.charCodeAt(valueEnd - 1))) valueEnd--;
        value = head.slice(valueStart, valueEnd);
        pos = eol + 2;
      }
    }
    if (resolved === undefined) {
      // Everything else (folded fields, faults) takes the general path.
      let fieldEnd = head.indexOf('\r\n', pos);
      if (fieldEnd === -1) fieldEnd = headLength;
      let line = head.slice(pos, fieldEnd);
      pos = fieldEnd + 2;
      // Unfold: lines starting with SP or HTAB continue the previous field (§7.3.1).
      while (pos < headLength) {
        const next = head.charCodeAt(pos);
        if (next !== 0x20 && next !== 0x09) break;
        let nextEol = head.indexOf('\r\n', pos);
        if (nextEol === -1) nextEol = headLength;
        line += ` ${trimLws(head.slice(pos, nextEol))}`;
        pos = nextEol + 2;
        if (line.length > limits.maxHeaderBytes) break;
      }
      if (line.length > limits.maxHeaderBytes) {
        return fail(new SipParseError('header-too-long', 'Header field too long'), message);
      }
      if (line.indexOf('\n') !== -1 || line.indexOf('\r') !== -1) {
        return fail(new SipParseError('bad-header', 'Bare CR or LF in header section'), message);
      }
      const colon = line.indexOf(':');
      if (colon <= 0) {
        const c0 = line.charCodeAt(0);
        const reason =
          c0 === 0x20 || c0 === 0x09 ? 'Folded line without a field' : 'Header line without colon';
        return fail(new SipParseError('bad-header', `Malformed header: ${reason}`), message);
      }
      const rawName =
        line.charCodeAt(colon - 1) === 0x20 || line.charCodeAt(colon - 1) === 0x09
          ? trimLws(line.slice(0, colon))
          : line.slice(0, colon);
      if (!isToken(rawName)) return fail(new SipParseError('bad-header', 'Malformed header name'), message);
      resolved = headerName(rawName);
      value = trimLws(line.slice(colon + 1));
    }
    if (resolved.key === 'content-length') {
      contentLengthCount++;
      contentLengthValue = value;
    }
    headers.push({ name: resolved.name, key: resolved.key, value });
    if (headers.length > limits.maxHeaders) {
      return fail(new SipParseError('too-many-headers', 'Too many header fields'), message);
    }
  }
  message.headers = headers;
  if (startFault) return fail(startFault, message);

  // ---- body -------------------------------------------------------------
  const available = data.length - bodyStart;
  if (contentLengthCount > 1) {
    return fail(new SipParseError('bad-content-length', 'Multiple Content-Length values'), message);
  }
  let declared: number | undefined;
  if (contentLengthCount === 1) {
    declared = parseDigits(contentLengthValue, limits.maxMessageBytes);
    if (declared === undefined)
      return fail(new SipParseError('bad-content-length', 'Malformed Content-Length'), message);
  }
  let bodyLength: number;
  if (declared === undefined) {
    if (!options.datagram)
      return fail(new SipParseError('bad-content-length', 'Missing Content-Length'), message);
    bodyLength = available;
  } else if (declared > available) {
    return fail(new SipParseError('truncated', 'Content-Length larger than message'), message);
  } else {
    if (!options.datagram && declared < available) {
      return fail(new SipParseError('bad-content-length', 'Content-Length smaller than message'), message);
    }
    bodyLength = declared;
  }
  message.body = bodyLength === 0 ? EMPTY : data.subarray(bodyStart, bodyStart + bodyLength);
  return { ok: true, message, ignoredBytes: available - bodyLength };
}
