import { isIPv4, isIPv6 } from 'node:net';
import { SipParseError } from '../errors.js';
import { NO_PARAMS, type Params } from './scanner.js';

/**
 * URIs of RFC 3261 §19.1 (sip, sips), RFC 3966 (tel) and any other
 * absoluteURI kept opaque. IPv6 references follow RFC 5118. Components are
 * stored decoded (%XX resolved); `formatUri` escapes them again, which keeps
 * the URI's meaning (§19.1.4 compares decoded forms).
 */
export type Uri = SipUri | TelUri | OtherUri;

export type HostKind = 'domain' | 'ipv4' | 'ipv6';

export interface SipUri {
  readonly kind: 'sip';
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** Host name or address; an IPv6 address without its brackets. */
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number | undefined;
  /** uri-parameters, names lower-cased, values decoded, null for a bare name. */
  readonly params: Params;
  /** URI headers (`?name=value&...`), decoded, in order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export interface TelUri {
  readonly kind: 'tel';
  readonly scheme: 'tel';
  /** The telephone-subscriber as written, e.g. `+1-201-555-0123`. */
  readonly number: string;
  readonly params: Params;
}

export interface OtherUri {
  readonly kind: 'other';
  /** Lower-cased scheme. */
  readonly scheme: string;
  /** Everything after the colon, as written. */
  readonly opaque: string;
}

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
}

const MARK = "-_.!~*'()";
/** user = 1*( unreserved / escaped / user-unreserved ) */
const USER = table(`${MARK}&=+$,;?/`);
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
const PASSWORD = table(`${MARK}&=+$,`);
/** paramchar = param-unreserved / unreserved / escaped */
const PARAMCHAR = table(`${MARK}[]/:&+$`);
/** hname / hvalue = 1*( hnv-unreserved / unreserved / escaped ) */
const HNV = table(`${MARK}[]/?:+$`);
const HOSTCHAR = table('-._');
const SCHEMECHAR = table('+-.');
const TELCHAR = table('+-.()*#');

function badUri(detail: string): SipParseError {
  return new SipParseError('bad-uri', `Malformed URI: ${detail}`);
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Checks that every character is in `allowed` or a valid %XX escape. */
function checkEscaped(text: string, allowed: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25) {
      if (!isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) return false;
      i += 2;
    } else if (code >= 128 || allowed[code] !== 1) {
      return false;
    }
  }
  return true;
}

/** Resolves %XX escapes (as UTF-8; bytes that are not UTF-8 map to Latin-1). */
export function unescapeUri(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}

function escapeWith(text: string, allowed: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || allowed[code] !== 1) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out +=
      byte < 128 && allowed[byte] === 1
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What a host name or IPv4 address is (IPv6 references are handled apart), or undefined when it is neither. */
export function hostKindOf(host: string): HostKind | undefined {
  const length = host.length;
  if (length === 0 || length > 255) return undefined;
  // hostname = *( domainlabel "." ) toplabel [ "." ]; IPv4address = 4 dotted decimal octets.
  let digitsAndDots = true;
  let labelStart = 0;
  let topStart = 0;
  let topEnd = length;
  for (let i = 0; i < length; i++) {
    const code = host.charCodeAt(i);
    if (code >= 128 || HOSTCHAR[code] !== 1) return undefined;
    if (code === 0x2e) {
      if (i === labelStart) return undefined; // empty label
      if (i === length - 1) topEnd = i;
      else topStart = i + 1;
      labelStart = i + 1;
    } else if (code < 0x30 || code > 0x39) {
      digitsAndDots = false;
    }
  }
  if (digitsAndDots) return isIPv4(host) ? 'ipv4' : undefined;
  const first = host.charCodeAt(0);
  if (first === 0x2d) return undefined;
  // toplabel starts with ALPHA: a last label of digits only is no host name.
  let topHasLetter = false;
  for (let i = topStart; i < topEnd; i++) {
    const code = host.charCodeAt(i);
    if (code < 0x30 || code > 0x39) {
      topHasLetter = true;
      break;
    }
  }
  return topHasLetter ? 'domain' : undefined;
}

/** Host and port of a sent-by or hostport, e.g. `[2001:db8::1]:5060`. */
export interface HostPort {
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number | undefined;
}

export function parseHostPort(text: string): HostPort | undefined {
  let host: string;
  let hostKind: HostKind;
  let i: number;
  if (text.charCodeAt(0) === 0x5b) {
    const close = text.indexOf(']');
    if (close === -1) return undefined;
    host = text.slice(1, close);
    if (!isIPv6(host)) return undefined;
    hostKind = 'ipv6';
    i = close + 1;
  } else {
    i = text.indexOf(':');
    if (i === -1) i = text.length;
    host = text.slice(0, i);
    const kind = hostKindOf(host);
    if (!kind) return undefined;
    hostKind = kind;
  }
  if (i === text.length) return { host, hostKind, port: undefined };
  if (text.charCodeAt(i) !== 0x3a) return undefined;
  const portText = text.slice(i + 1);
  if (!/^[0-9]{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port > 65535) return undefined;
  return { host, hostKind, port };
}

export function formatHost(host: string, hostKind: HostKind): string {
  return hostKind === 'ipv6' ? `[${host}]` : host;
}

function parseSip(text: string, scheme: 'sip' | 'sips', start: number): SipUri {
  let i = start;
  let user: string | undefined;
  let password: string | undefined;
  const at = text.indexOf('@', i);
  if (at !== -1) {
    const userinfo = text.slice(i, at);
    const colon = userinfo.indexOf(':');
    const userText = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (userText.length === 0 || !checkEscaped(userText, USER)) throw badUri('bad user part');
    user = unescapeUri(userText);
    if (colon !== -1) {
      const passwordText = userinfo.slice(colon + 1);
      if (!checkEscaped(passwordText, PASSWORD)) throw badUri('bad password');
      password = unescapeUri(passwordText);
    }
    i = at + 1;
  }
  let end = i;
  if (text.charCodeAt(end) === 0x5b) {
    end = text.indexOf(']', end);
    if (end === -1) throw badUri('unterminated IPv6 reference');
  }
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === 0x3b || code === 0x3f) break;
    end++;
  }
  const hostPort = parseHostPort(text.slice(i, end));
  if (!hostPort) throw badUri('bad host or port');
  i = end;
  // Most URIs carry no parameters: they share NO_PARAMS instead of an empty Map each.
  let params: Map<string, string | null> | undefined;
  while (i < text.length && text.charCodeAt(i) === 0x3b) {
    let next = i + 1;
    while (next < text.length && text.charCodeAt(next) !== 0x3b && text.charCodeAt(next) !== 0x3f) next++;
    const param = text.slice(i + 1, next);
    const eq = param.indexOf('=');
    const nameText = eq === -1 ? param : param.slice(0, eq);
    if (nameText.length === 0 || !checkEscaped(nameText, PARAMCHAR)) throw badUri('bad parameter');
    let value: string | null = null;
    if (eq !== -1) {
      const valueText = param.slice(eq + 1);
      if (valueText.length === 0 || !checkEscaped(valueText, PARAMCHAR)) throw badUri('bad parameter value');
      value = unescapeUri(valueText);
    }
    const name = unescapeUri(nameText).toLowerCase();
    params ??= new Map();
    if (params.has(name)) throw badUri(`duplicate parameter ${name}`);
    params.set(name, value);
    i = next;
  }
  const headers: Array<readonly [string, string]> = [];
  if (i < text.length) {
    // only '?' can be left here
    for (const header of text.slice(i + 1).split('&')) {
      const eq = header.indexOf('=');
      if (eq <= 0) throw badUri('bad header');
      const name = header.slice(0, eq);
      const value = header.slice(eq + 1);
      if (!checkEscaped(name, HNV) || !checkEscaped(value, HNV)) throw badUri('bad header');
      headers.push([unescapeUri(name), unescapeUri(value)]);
    }
  }
  return {
    kind: 'sip',
    scheme,
    user,
    password,
    host: hostPort.host,
    hostKind: hostPort.hostKind,
    port: hostPort.port,
    params: params ?? NO_PARAMS,
    headers,
  };
}

function parseTel(text: string, start: number): TelUri {
  let end = text.indexOf(';', start);
  if (end === -1) end = text.length;
  const number = text.slice(start, end);
  if (number.length === 0 || !checkEscaped(number, TELCHAR)) throw badUri('bad telephone number');
  const params = new Map<string, string | null>();
  if (end < text.length) {
    for (const param of text.slice(end + 1).split(';')) {
      const eq = param.indexOf('=');
      const name = eq === -1 ? param : param.slice(0, eq);
      const value = eq === -1 ? null : param.slice(eq + 1);
      if (name.length === 0 || !checkEscaped(name, PARAMCHAR)) throw badUri('bad parameter');
      if (value !== null && !checkEscaped(value, PARAMCHAR)) throw badUri('bad parameter value');
      params.set(name.toLowerCase(), value === null ? null : unescapeUri(value));
    }
  }
  return { kind: 'tel', scheme: 'tel', number, params };
}

/** Parses an absolute URI; throws `SipParseError` ('bad-uri') when malformed. */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) throw badUri('no scheme');
  const first = text.charCodeAt(0);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) throw badUri('bad scheme');
  for (let i = 1; i < colon; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || SCHEMECHAR[code] !== 1) throw badUri('bad scheme');
  }
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSip(text, scheme, colon + 1);
  if (scheme === 'tel') return parseTel(text, colon + 1);
  const opaque = text.slice(colon + 1);
  if (opaque.length === 0 || /[\x00-\x20"<>\\^`{|}\x7f]/.test(opaque)) throw badUri('bad characters');
  return { kind: 'other', scheme, opaque };
}

export function formatUri(uri: Uri): string {
  if (uri.kind === 'other') return `${uri.scheme}:${uri.opaque}`;
  if (uri.kind === 'tel') return `tel:${uri.number}${formatUriParams(uri.params)}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    out += escapeWith(uri.user, USER);
    if (uri.password !== undefined) out += `:${escapeWith(uri.password, PASSWORD)}`;
    out += '@';
  }
  out += formatHost(uri.host, uri.hostKind);
  if (uri.port !== undefined) out += `:${uri.port}`;
  out += formatUriParams(uri.params);
  if (uri.headers.length > 0) {
    out += `?${uri.headers.map(([name, value]) => `${escapeWith(name, HNV)}=${escapeWith(value, HNV)}`).join('&')}`;
  }
  return out;
}

function formatUriParams(params: ReadonlyMap<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) {
    out += `;${escapeWith(name, PARAMCHAR)}`;
    if (value !== null) out += `=${escapeWith(value, PARAMCHAR)}`;
  }
  return out;
}

export interface SipUriInit {
  scheme?: 'sip' | 'sips';
  user?: string | undefined;
  password?: string | undefined;
  host: string;
  port?: number | undefined;
  params?: Iterable<readonly [string, string | null]>;
  headers?: ReadonlyArray<readonly [string, string]>;
}

/** Builds a SIP URI from parts; an IPv6 host may be given with or without brackets. */
export function sipUri(init: SipUriInit): SipUri {
  const bare = init.host.startsWith('[') && init.host.endsWith(']') ? init.host.slice(1, -1) : init.host;
  const hostKind: HostKind | undefined = isIPv6(bare) ? 'ipv6' : hostKindOf(bare);
  if (!hostKind) throw badUri(`bad host ${init.host}`);
  if (init.port !== undefined && (!Number.isInteger(init.port) || init.port < 0 || init.port > 65535)) {
    throw badUri(`bad port ${init.port}`);
  }
  const params = new Map<string, string | null>();
  for (const [name, value] of init.params ?? []) params.set(name.toLowerCase(), value);
  return {
    kind: 'sip',
    scheme: init.scheme ?? 'sip',
    user: init.user,
    password: init.password,
    host: bare,
    hostKind,
    port: init.port,
    params,
    headers: init.headers ?? [],
  };
}

/** A copy of a SIP URI with some parts replaced. */
export function withUri(uri: SipUri, changes: Partial<SipUriInit>): SipUri {
  return sipUri({ ...uri, ...changes });
}

const COMPARED_WHEN_EITHER = ['user', 'ttl', 'method', 'maddr', 'transport'];

/** URI equivalence of RFC 3261 §19.1.4 (SIP), RFC 3966 §4 (tel, simplified), else exact text. */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind !== b.kind || a.scheme !== b.scheme) return false;
  if (a.kind === 'other' && b.kind === 'other') return a.opaque === b.opaque;
  if (a.kind === 'tel' && b.kind === 'tel') {
    const digits = (n: string) => n.replace(/[-.()]/g, '').toLowerCase();
    return digits(a.number) === digits(b.number) && paramsEqual(a.params, b.params, []);
  }
  if (a.kind !== 'sip' || b.kind !== 'sip') return false;
  if (a.user !== b.user || a.password !== b.password) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
  if (!paramsEqual(a.params, b.params, COMPARED_WHEN_EITHER)) return false;
  if (a.headers.length !== b.headers.length) return false;
  for (const [name, value] of a.headers) {
    const other = b.headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
    if (!other || other[1] !== value) return false;
  }
  return true;
}

function paramsEqual(a: Params, b: Params, mustMatch: readonly string[]): boolean {
  for (const name of mustMatch) if (a.has(name) !== b.has(name)) return false;
  for (const [name, value] of a) {
    if (!b.has(name)) continue;
    const other = b.get(name);
    if ((value ?? '').toLowerCase() !== (other ?? '').toLowerCase()) return false;
  }
  return true;
}
