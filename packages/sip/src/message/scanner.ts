import { headerFault } from '../errors.js';

/**
 * Lexical helpers for RFC 3261 §25.1 over header values that the parser has
 * already unfolded (no CRLF left, only SP and HTAB as white space).
 */

function charTable(chars: string, ranges: Array<[string, string]> = []): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  for (const [from, to] of ranges) {
    for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) table[code] = 1;
  }
  return table;
}

const ALNUM: Array<[string, string]> = [
  ['a', 'z'],
  ['A', 'Z'],
  ['0', '9'],
];

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = charTable("-.!%*_+`'~", ALNUM);
/** word (Call-ID) = token chars plus ( ) < > : \ DQUOTE / [ ] ? { } */
export const WORD = charTable('-.!%*_+`\'~()<>:\\"/[]?{}', ALNUM);
/** gen-value characters that are not quoted: token / host (incl. IPv6 reference). */
export const PARAM_VALUE = charTable("-.!%*_+`'~:[]", ALNUM);

export function isIn(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isIn(TOKEN, text.charCodeAt(i))) return false;
  }
  return true;
}

export function isWord(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!isIn(WORD, text.charCodeAt(i))) return false;
  }
  return true;
}

export function isWs(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

export function skipWs(text: string, from: number): number {
  let i = from;
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

export function scanWhile(text: string, from: number, table: Uint8Array): number {
  let i = from;
  while (i < text.length && isIn(table, text.charCodeAt(i))) i++;
  return i;
}

export interface Quoted {
  /** The content with quoted-pairs resolved. */
  readonly text: string;
  /** Index just past the closing DQUOTE. */
  readonly end: number;
}

/**
 * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, starting at the
 * DQUOTE at `from`. Undefined when unterminated or holding a bare CR/LF.
 */
export function readQuoted(text: string, from: number): Quoted | undefined {
  let out = '';
  let runStart = from + 1;
  for (let i = from + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      out += text.slice(runStart, i);
      return { text: out, end: i + 1 };
    }
    if (code === 0x5c) {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      const next = text.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 0x0a || next === 0x0d || next > 0x7f) return undefined;
      out += text.slice(runStart, i) + text[i + 1];
      i++;
      runStart = i + 1;
      continue;
    }
    if (code === 0x0a || code === 0x0d) return undefined;
  }
  return undefined;
}

/** The index of the DQUOTE closing the quoted string opened at `from`, or -1. */
export function quotedEnd(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code === 0x5c) i++;
  }
  return -1;
}

export function quote(text: string): string {
  let out = '"';
  for (const c of text) out += c === '"' || c === '\\' ? `\\${c}` : c;
  return `${out}"`;
}

/** Strips the DQUOTEs of a quoted parameter value and resolves quoted-pairs. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.charCodeAt(0) === 0x22) {
    const quoted = readQuoted(value, 0);
    if (quoted && quoted.end === value.length) return quoted.text;
  }
  return value;
}

/**
 * Splits a header value at the commas that separate list elements, skipping
 * commas inside quoted strings and <...>. Elements are trimmed; an empty
 * element is kept so the caller can reject it.
 */
export function splitList(text: string): string[] {
  if (text.indexOf(',') === -1) return [trimLws(text)];
  const out: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      const end = quotedEnd(text, i);
      if (end === -1) break;
      i = end - 1;
    } else if (code === 0x3c) {
      angle = true;
    } else if (code === 0x3e) {
      angle = false;
    } else if (code === 0x2c && !angle) {
      out.push(trimLws(text.slice(start, i)));
      start = i + 1;
    }
  }
  out.push(trimLws(text.slice(start)));
  return out;
}

/** Header parameters, in order; names lower-cased; value null when absent. Quoted values keep their DQUOTEs. */
export type Params = ReadonlyMap<string, string | null>;

/**
 * The parameters of everything parsed without any: one shared instance
 * (read-only by type), since most URIs and many header values have none.
 */
export const NO_PARAMS: Params = new Map();

export interface ParamsResult {
  readonly params: Params;
  readonly end: number;
}

/**
 * *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
 * gen-value = token / host / quoted-string, with SWS allowed around ; and =.
 * Parses from `from` to the end of `text`; throws a fault naming `header`.
 */
export function parseParams(text: string, from: number, header: string): Params {
  let i = skipWs(text, from);
  if (i >= text.length) return NO_PARAMS;
  const params = new Map<string, string | null>();
  while (i < text.length) {
    if (text.charCodeAt(i) !== 0x3b) throw headerFault(header, 'unexpected text before parameter');
    i = skipWs(text, i + 1);
    const nameEnd = scanWhile(text, i, TOKEN);
    if (nameEnd === i) throw headerFault(header, 'empty parameter');
    const name = text.slice(i, nameEnd).toLowerCase();
    i = skipWs(text, nameEnd);
    let value: string | null = null;
    if (i < text.length && text.charCodeAt(i) === 0x3d) {
      i = skipWs(text, i + 1);
      if (text.charCodeAt(i) === 0x22) {
        const end = quotedEnd(text, i);
        if (end === -1) throw headerFault(header, 'unterminated quoted string');
        value = text.slice(i, end);
        i = end;
      } else {
        const end = scanWhile(text, i, PARAM_VALUE);
        if (end === i) throw headerFault(header, `empty value for ${name}`);
        value = text.slice(i, end);
        i = end;
      }
      i = skipWs(text, i);
    }
    const before = params.size;
    params.set(name, value);
    if (params.size === before) throw headerFault(header, `duplicate parameter ${name}`);
  }
  return params;
}

export function formatParams(params: ReadonlyMap<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** A parameter value that must be a plain token (e.g. tag, branch). */
export function tokenParam(params: Params, name: string, header: string): string | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === null || !isToken(value)) throw headerFault(header, `bad ${name}`);
  return value;
}

/** 1*DIGIT as a number, or undefined when not digits or above `max`. */
export function parseDigits(text: string, max: number): number | undefined {
  if (text.length === 0 || text.length > 20) return undefined;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i) - 0x30;
    if (code < 0 || code > 9) return undefined;
    value = value * 10 + code;
  }
  return value > max ? undefined : value;
}

/** True when `text` is 1*DIGIT (of any length). */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** Trims SP and HTAB only (String.prototype.trim would also eat U+FEFF, NBSP and others). */
export function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWs(text.charCodeAt(start))) start++;
  while (end > start && isWs(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
