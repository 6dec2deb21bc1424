import { headerFault, SipParseError } from '../errors.js';
import {
  formatParams,
  isToken,
  NO_PARAMS,
  type Params,
  parseParams,
  quote,
  readQuoted,
  skipWs,
  trimLws,
} from './scanner.js';
import { formatUri, parseUri, type Uri } from './uri.js';

/**
 * ( name-addr / addr-spec ) *( SEMI param ), RFC 3261 §20.10 and §25.1:
 * the value of From, To, Contact, Route, Record-Route, Refer-To,
 * P-Asserted-Identity and the like. Parsed name-addrs read their URI lazily:
 * `uri` may throw a fault naming the header on first read
 * (`validateRequest` reads every one, so a validated request never does).
 */
export interface NameAddr {
  /** Display name, unquoted; undefined when absent. */
  readonly displayName: string | undefined;
  readonly uri: Uri;
  /** Header parameters (not URI parameters): tag, expires, q, ... Quoted values keep their DQUOTEs. */
  readonly params: Params;
}

/**
 * A parsed name-addr whose URI is parsed on first read: the transaction layer
 * reads only From/To tags, so most messages never pay for their URIs.
 */
class LazyNameAddr implements NameAddr {
  #uri: Uri | undefined;
  readonly #uriText: string;
  readonly #header: string;
  constructor(
    readonly displayName: string | undefined,
    uriText: string,
    readonly params: Params,
    header: string,
  ) {
    this.#uriText = uriText;
    this.#header = header;
  }
  get uri(): Uri {
    if (this.#uri === undefined) this.#uri = parseUriIn(this.#uriText, this.#header);
    return this.#uri;
  }
}

function parseUriIn(text: string, header: string): Uri {
  try {
    return parseUri(text);
  } catch (error) {
    if (error instanceof SipParseError)
      throw headerFault(header, error.reason.replace('Malformed URI: ', 'URI with '));
    throw error;
  }
}

export function parseNameAddr(value: string, header: string): NameAddr {
  const text = trimLws(value);
  if (text.length === 0) throw headerFault(header, 'empty value');
  let displayName: string | undefined;
  let open: number;
  if (text.charCodeAt(0) === 0x22) {
    const quoted = readQuoted(text, 0);
    if (!quoted) throw headerFault(header, 'unterminated quoted string');
    displayName = quoted.text;
    open = skipWs(text, quoted.end);
    if (text.charCodeAt(open) !== 0x3c) throw headerFault(header, 'display name without <URI>');
  } else {
    open = text.indexOf('<');
    if (open === -1) return parseAddrSpec(text, header);
    const words = trimLws(text.slice(0, open));
    if (words.length > 0) {
      // display-name = *(token LWS) / quoted-string
      for (const word of words.split(/[ \t]+/)) {
        if (!isToken(word)) throw headerFault(header, 'display name is neither token nor quoted string');
      }
      displayName = words;
    }
  }
  const close = text.indexOf('>', open);
  if (close === -1) throw headerFault(header, 'unterminated <URI>');
  const uriText = text.slice(open + 1, close);
  if (uriText.length === 0 || uriText.indexOf(' ') !== -1 || uriText.indexOf('\t') !== -1) {
    throw headerFault(header, 'white space or nothing inside <>');
  }
  return new LazyNameAddr(displayName, uriText, parseParams(text, close + 1, header), header);
}

/**
 * addr-spec without angle brackets: every ;param belongs to the header, and the
 * URI may hold no comma, question mark or semicolon (RFC 3261 §20).
 */
function parseAddrSpec(text: string, header: string): NameAddr {
  const semi = text.indexOf(';');
  const uriText = trimLws(semi === -1 ? text : text.slice(0, semi));
  if (/[?,\s]/.test(uriText)) throw headerFault(header, 'URI with ? , or space must be enclosed in <>');
  const params = semi === -1 ? NO_PARAMS : parseParams(text, semi, header);
  return new LazyNameAddr(undefined, uriText, params, header);
}

export function formatNameAddr(nameAddr: NameAddr): string {
  const display = nameAddr.displayName === undefined ? '' : `${quote(nameAddr.displayName)} `;
  return `${display}<${formatUri(nameAddr.uri)}>${formatParams(nameAddr.params)}`;
}

export interface NameAddrInit {
  displayName?: string | undefined;
  uri: Uri;
  params?: Iterable<readonly [string, string | null]>;
}

export function nameAddr(init: NameAddrInit): NameAddr {
  const params = new Map<string, string | null>();
  for (const [name, value] of init.params ?? []) params.set(name.toLowerCase(), value);
  return { displayName: init.displayName, uri: init.uri, params };
}

/** The tag parameter (From/To), undefined when absent. */
export function tagOf(value: NameAddr): string | undefined {
  const tag = value.params.get('tag');
  return tag === null ? undefined : tag;
}

/** A copy with one header parameter set (or removed with `null` value and `remove`). */
export function withParam(value: NameAddr, name: string, param: string | null): NameAddr {
  const params = new Map(value.params);
  params.set(name.toLowerCase(), param);
  return { displayName: value.displayName, uri: value.uri, params };
}

/** A copy without one header parameter. */
export function withoutParam(value: NameAddr, name: string): NameAddr {
  const params = new Map(value.params);
  params.delete(name.toLowerCase());
  return { displayName: value.displayName, uri: value.uri, params };
}
