import { headerFault } from '../errors.js';
import { isToken, quote, quotedEnd, scanWhile, skipWs, TOKEN, trimLws, unquote } from './scanner.js';

/**
 * challenge / credentials of RFC 3261 §25.1 and RFC 7616: an auth scheme and
 * comma-separated auth-params. One per WWW-Authenticate, Proxy-Authenticate,
 * Authorization or Proxy-Authorization header field.
 */
export interface AuthHeader {
  /** As written, e.g. `Digest`; compare case-insensitively. */
  readonly scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  readonly params: ReadonlyMap<string, string>;
  /** Names of the parameters whose value was a quoted string. */
  readonly quoted: ReadonlySet<string>;
}

export function parseAuthHeader(value: string, header: string): AuthHeader {
  const text = trimLws(value);
  const schemeEnd = scanWhile(text, 0, TOKEN);
  if (schemeEnd === 0) throw headerFault(header, 'no auth scheme');
  const scheme = text.slice(0, schemeEnd);
  const params = new Map<string, string>();
  const quoted = new Set<string>();
  let i = skipWs(text, schemeEnd);
  if (i === schemeEnd && i < text.length) throw headerFault(header, 'no space after auth scheme');
  while (i < text.length) {
    const nameEnd = scanWhile(text, i, TOKEN);
    if (nameEnd === i) throw headerFault(header, 'bad auth-param');
    const name = text.slice(i, nameEnd).toLowerCase();
    i = skipWs(text, nameEnd);
    if (text.charCodeAt(i) !== 0x3d) throw headerFault(header, `auth-param ${name} without value`);
    i = skipWs(text, i + 1);
    let paramValue: string;
    if (text.charCodeAt(i) === 0x22) {
      const end = quotedEnd(text, i);
      if (end === -1) throw headerFault(header, 'unterminated quoted string');
      paramValue = unquote(text.slice(i, end));
      quoted.add(name);
      i = end;
    } else {
      let end = i;
      while (
        end < text.length &&
        text.charCodeAt(end) !== 0x2c &&
        text.charCodeAt(end) !== 0x20 &&
        text.charCodeAt(end) !== 0x09
      )
        end++;
      paramValue = text.slice(i, end);
      if (paramValue.length === 0) throw headerFault(header, `empty auth-param ${name}`);
      i = end;
    }
    if (params.has(name)) throw headerFault(header, `duplicate auth-param ${name}`);
    params.set(name, paramValue);
    i = skipWs(text, i);
    if (i < text.length) {
      if (text.charCodeAt(i) !== 0x2c) throw headerFault(header, 'auth-params must be separated by commas');
      i = skipWs(text, i + 1);
    }
  }
  return { scheme, params, quoted };
}

/** Writes an auth header; params listed in `quoted` (or not plain tokens) are quoted. */
export function formatAuthHeader(
  scheme: string,
  params: Iterable<readonly [string, string]>,
  quoted: ReadonlySet<string>,
): string {
  const parts: string[] = [];
  for (const [name, value] of params) {
    parts.push(`${name}=${quoted.has(name) || !isToken(value) ? quote(value) : value}`);
  }
  return `${scheme} ${parts.join(', ')}`;
}
