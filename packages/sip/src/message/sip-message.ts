import { headerFault, missingHeader, SipParseError } from '../errors.js';
import type { Flow } from '../transport/transport.js';
import { type AuthHeader, parseAuthHeader } from './auth-header.js';
import { type CSeq, parseCSeq } from './cseq.js';
import { headerName } from './header-names.js';
import { type MediaType, parseMediaType } from './media-type.js';
import {
  type EventHeader,
  isCallId,
  parseDeltaSeconds,
  parseEvent,
  parseReplaces,
  parseSessionExpires,
  parseSipDate,
  parseSubscriptionState,
  parseTokenList,
  type Replaces,
  type SessionExpires,
  type SubscriptionState,
} from './misc-headers.js';
import { type NameAddr, parseNameAddr, tagOf } from './name-addr.js';
import { parseDigits, splitList, trimLws } from './scanner.js';
import { formatVia, parseVia, type Via } from './via.js';

/** One header field line: its name as written on output, lookup key, and (unfolded) value. */
export interface HeaderField {
  readonly name: string;
  readonly key: string;
  readonly value: string;
}

/** Header fields as given by callers: [name, value] pairs, in order. */
export type HeaderInit = ReadonlyArray<readonly [string, string]>;

export function headerField(name: string, value: string): HeaderField {
  if (/[\r\n]/.test(value)) throw new SipParseError('bad-header', `Header ${name} holds CR or LF`);
  const resolved = headerName(name);
  return { name: resolved.name, key: resolved.key, value };
}

export function toHeaderFields(init: HeaderInit | undefined): HeaderField[] {
  return init ? init.map(([name, value]) => headerField(name, value)) : [];
}

/**
 * What requests and responses share: header fields in order, a body, and
 * typed accessors parsed on first read and cached (RFC 3261 §7, §20).
 * Accessors throw `SipParseError` for a malformed (or missing required)
 * header; the stack answers such a request with a 400 naming the fault.
 */
export abstract class SipMessage {
  headers: HeaderField[];
  body: Buffer;
  /** Where an inbound message came from (set by the stack on receipt); undefined for messages built here. */
  flow: Flow | undefined;
  // The accessors every request reads (the transaction layer, dialogs) keep
  // their parsed value in a field; the rest share one map made on first use.
  #topVia: Via | undefined;
  #vias: Via[] | undefined;
  #from: NameAddr | undefined;
  #to: NameAddr | undefined;
  #callId: string | undefined;
  #cseq: CSeq | undefined;
  #cache: Map<string, unknown> | undefined;

  protected constructor(headers: HeaderField[], body: Buffer) {
    this.headers = headers;
    this.body = body;
    this.flow = undefined;
  }

  abstract get isRequest(): boolean;
  /** The start line without CRLF. */
  abstract startLine(): string;

  // ---- generic access -------------------------------------------------

  /** The first field value of a header (name in any case or compact form). */
  header(name: string): string | undefined {
    const key = headerName(name).key;
    for (const field of this.headers) if (field.key === key) return field.value;
    return undefined;
  }

  /** Every field value of a header, one per line. */
  headerValues(name: string): string[] {
    const key = headerName(name).key;
    const out: string[] = [];
    for (const field of this.headers) if (field.key === key) out.push(field.value);
    return out;
  }

  /** The comma-separated elements of a header across all its lines. */
  listValues(name: string): string[] {
    const key = headerName(name).key;
    const out: string[] = [];
    for (const field of this.headers) {
      if (field.key !== key) continue;
      const value = field.value;
      // A line without a comma holds one element: no list to build for it.
      if (value.indexOf(',') === -1) out.push(trimLws(value));
      else for (const item of splitList(value)) out.push(item);
    }
    return out;
  }

  has(name: string): boolean {
    return this.header(name) !== undefined;
  }

  /** How many lines of a header the message carries. */
  count(name: string): number {
    return this.headerValues(name).length;
  }

  /** Replaces every line of a header with the given value(s), at the place of the first. */
  setHeader(name: string, value: string | readonly string[]): this {
    const values = typeof value === 'string' ? [value] : value;
    const fields = values.map((v) => headerField(name, v));
    const key = fields[0]?.key ?? headerName(name).key;
    const at = this.headers.findIndex((field) => field.key === key);
    const rest = this.headers.filter((field) => field.key !== key);
    if (at === -1) rest.push(...fields);
    else rest.splice(Math.min(at, rest.length), 0, ...fields);
    this.headers = rest;
    this.invalidate(key);
    return this;
  }

  appendHeader(name: string, value: string): this {
    const field = headerField(name, value);
    this.headers.push(field);
    this.invalidate(field.key);
    return this;
  }

  /** Inserts a line before the first line of the same header (or at the top). */
  prependHeader(name: string, value: string): this {
    const field = headerField(name, value);
    const at = this.headers.findIndex((f) => f.key === field.key);
    this.headers.splice(at === -1 ? 0 : at, 0, field);
    this.invalidate(field.key);
    return this;
  }

  /** Removes every line of a header; returns how many were removed. */
  removeHeader(name: string): number {
    const key = headerName(name).key;
    const before = this.headers.length;
    this.headers = this.headers.filter((field) => field.key !== key);
    this.invalidate(key);
    return before - this.headers.length;
  }

  /** Replaces the top Via element (the first element of the first Via line). */
  replaceTopVia(next: Via): this {
    const at = this.headers.findIndex((f) => f.key === 'via');
    if (at === -1) throw missingHeader('Via');
    const field = this.headers[at]!;
    // The usual line holds one Via: no list to split and join again.
    let value = formatVia(next);
    if (field.value.indexOf(',') !== -1) {
      const items = splitList(field.value);
      items[0] = value;
      value = items.join(', ');
    }
    this.headers[at] = { name: field.name, key: field.key, value };
    this.#vias = undefined;
    this.#topVia = next;
    return this;
  }

  /** Removes the top Via element, dropping its line when it held only that one. */
  removeTopVia(): this {
    const at = this.headers.findIndex((f) => f.key === 'via');
    if (at === -1) return this;
    const field = this.headers[at]!;
    const items = splitList(field.value);
    if (items.length <= 1) this.headers.splice(at, 1);
    else this.headers[at] = { ...field, value: items.slice(1).join(', ') };
    this.invalidate('via');
    return this;
  }

  setBody(body: Buffer | string, contentType?: string): this {
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (contentType !== undefined) this.setHeader('Content-Type', contentType);
    if (this.body.length === 0 && contentType === undefined) this.removeHeader('Content-Type');
    return this;
  }

  protected invalidate(key: string): void {
    switch (key) {
      case 'via':
        this.#topVia = undefined;
        this.#vias = undefined;
        return;
      case 'from':
        this.#from = undefined;
        return;
      case 'to':
        this.#to = undefined;
        return;
      case 'call-id':
        this.#callId = undefined;
        return;
      case 'cseq':
        this.#cseq = undefined;
        return;
    }
    if (!this.#cache) return;
    this.#cache.delete(key);
    this.#cache.delete(`${key}#`);
  }

  protected cached<T>(key: string, compute: () => T): T {
    let cache = this.#cache;
    if (cache?.has(key)) return cache.get(key) as T;
    const value = compute();
    if (!cache) {
      cache = new Map();
      this.#cache = cache;
    }
    cache.set(key, value);
    return value;
  }

  /** The single value of a header that must appear at most once, or undefined. */
  protected single(key: string, label: string): string | undefined {
    let found: string | undefined;
    for (const field of this.headers) {
      if (field.key !== key) continue;
      if (found !== undefined) throw new SipParseError('duplicate-header', `Duplicate ${label}`);
      found = field.value;
    }
    return found;
  }

  protected required(key: string, label: string): string {
    const value = this.single(key, label);
    if (value === undefined) throw missingHeader(label);
    return value;
  }

  // ---- typed accessors: RFC 3261 core ---------------------------------

  /** Every Via element, top first. */
  get vias(): Via[] {
    if (this.#vias === undefined) {
      const top = this.#topVia;
      this.#vias = this.listValues('via').map((v, i) => (i === 0 && top ? top : parseVia(v)));
    }
    return this.#vias;
  }

  /** The top Via; parses only that element (or reuses `vias` when read before). */
  get via(): Via {
    if (this.#topVia === undefined) {
      const all = this.#vias;
      if (all?.[0]) this.#topVia = all[0];
      else {
        const first = this.header('via');
        if (first === undefined) throw missingHeader('Via');
        this.#topVia = parseVia(first.indexOf(',') === -1 ? first : splitList(first)[0]!);
      }
    }
    return this.#topVia;
  }

  get from(): NameAddr {
    if (this.#from === undefined) this.#from = parseNameAddr(this.required('from', 'From'), 'From');
    return this.#from;
  }

  get to(): NameAddr {
    if (this.#to === undefined) this.#to = parseNameAddr(this.required('to', 'To'), 'To');
    return this.#to;
  }

  get fromTag(): string | undefined {
    return tagOf(this.from);
  }

  get toTag(): string | undefined {
    return tagOf(this.to);
  }

  get callId(): string {
    if (this.#callId === undefined) {
      const value = trimLws(this.required('call-id', 'Call-ID'));
      if (!isCallId(value)) throw headerFault('Call-ID');
      this.#callId = value;
    }
    return this.#callId;
  }

  get cseq(): CSeq {
    if (this.#cseq === undefined) this.#cseq = parseCSeq(this.required('cseq', 'CSeq'));
    return this.#cseq;
  }

  get maxForwards(): number | undefined {
    return this.cached('max-forwards', () => {
      const value = this.single('max-forwards', 'Max-Forwards');
      if (value === undefined) return undefined;
      const parsed = parseDigits(trimLws(value), 255);
      if (parsed === undefined) throw headerFault('Max-Forwards', 'not a number from 0 to 255');
      return parsed;
    });
  }

  /** Contact elements; empty for `Contact: *` (see `contactStar`) or when absent. */
  get contacts(): NameAddr[] {
    return this.cached('contact', () => {
      const items = this.listValues('contact');
      if (items.length === 1 && items[0] === '*') return [];
      return items.map((item) => {
        if (item === '*') throw headerFault('Contact', '* mixed with other contacts');
        return parseNameAddr(item, 'Contact');
      });
    });
  }

  /** True for `Contact: *` (REGISTER removing every binding). */
  get contactStar(): boolean {
    const items = this.listValues('contact');
    return items.length === 1 && items[0] === '*';
  }

  get routes(): NameAddr[] {
    return this.cached('route', () => this.listValues('route').map((v) => parseNameAddr(v, 'Route')));
  }

  get recordRoutes(): NameAddr[] {
    return this.cached('record-route', () =>
      this.listValues('record-route').map((v) => parseNameAddr(v, 'Record-Route')),
    );
  }

  get expires(): number | undefined {
    return this.cached('expires', () => {
      const value = this.single('expires', 'Expires');
      return value === undefined ? undefined : parseDeltaSeconds(value, 'Expires');
    });
  }

  get contentType(): MediaType | undefined {
    return this.cached('content-type', () => {
      const value = this.single('content-type', 'Content-Type');
      return value === undefined ? undefined : parseMediaType(value, 'Content-Type');
    });
  }

  /** The declared Content-Length (the parser has checked it against the body). */
  get contentLength(): number | undefined {
    const value = this.header('content-length');
    return value === undefined ? undefined : parseDigits(trimLws(value), Number.MAX_SAFE_INTEGER);
  }

  // ---- authentication ---------------------------------------------------

  get authorizations(): AuthHeader[] {
    return this.authList('authorization', 'Authorization');
  }

  get proxyAuthorizations(): AuthHeader[] {
    return this.authList('proxy-authorization', 'Proxy-Authorization');
  }

  get wwwAuthenticates(): AuthHeader[] {
    return this.authList('www-authenticate', 'WWW-Authenticate');
  }

  get proxyAuthenticates(): AuthHeader[] {
    return this.authList('proxy-authenticate', 'Proxy-Authenticate');
  }

  private authList(key: string, label: string): AuthHeader[] {
    return this.cached(key, () => this.headerValues(key).map((v) => parseAuthHeader(v, label)));
  }

  // ---- extensions and capabilities --------------------------------------

  get require(): string[] {
    return this.tokens('require', 'Require');
  }

  get proxyRequire(): string[] {
    return this.tokens('proxy-require', 'Proxy-Require');
  }

  get supported(): string[] {
    return this.tokens('supported', 'Supported');
  }

  get unsupported(): string[] {
    return this.tokens('unsupported', 'Unsupported');
  }

  /** Allowed methods, as written (methods are case-sensitive). */
  get allow(): string[] {
    return this.tokens('allow', 'Allow');
  }

  private tokens(key: string, label: string): string[] {
    return this.cached(key, () => parseTokenList(this.headerValues(key), label));
  }

  /** Accept media ranges; undefined when there is no Accept header. */
  get accept(): MediaType[] | undefined {
    return this.cached('accept', () => {
      const lines = this.headerValues('accept');
      if (lines.length === 0) return undefined;
      const out: MediaType[] = [];
      for (const line of lines) {
        if (trimLws(line) === '') continue;
        for (const item of splitList(line)) out.push(parseMediaType(item, 'Accept'));
      }
      return out;
    });
  }

  // ---- events, transfer, session timers, identity -------------------------

  get event(): EventHeader | undefined {
    return this.cached('event', () => {
      const value = this.single('event', 'Event');
      return value === undefined ? undefined : parseEvent(value);
    });
  }

  get subscriptionState(): SubscriptionState | undefined {
    return this.cached('subscription-state', () => {
      const value = this.single('subscription-state', 'Subscription-State');
      return value === undefined ? undefined : parseSubscriptionState(value);
    });
  }

  get referTo(): NameAddr | undefined {
    return this.cached('refer-to', () => {
      const value = this.single('refer-to', 'Refer-To');
      return value === undefined ? undefined : parseNameAddr(value, 'Refer-To');
    });
  }

  get replaces(): Replaces | undefined {
    return this.cached('replaces', () => {
      const value = this.single('replaces', 'Replaces');
      return value === undefined ? undefined : parseReplaces(value);
    });
  }

  get sessionExpires(): SessionExpires | undefined {
    return this.cached('session-expires', () => {
      const value = this.single('session-expires', 'Session-Expires');
      return value === undefined ? undefined : parseSessionExpires(value);
    });
  }

  get pAssertedIdentities(): NameAddr[] {
    return this.cached('p-asserted-identity', () =>
      this.listValues('p-asserted-identity').map((v) => parseNameAddr(v, 'P-Asserted-Identity')),
    );
  }

  get date(): Date | undefined {
    return this.cached('date', () => {
      const value = this.single('date', 'Date');
      return value === undefined ? undefined : parseSipDate(value);
    });
  }
}
