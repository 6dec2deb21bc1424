/**
 * Header field names: the key a header is stored under (its full name,
 * lower-cased, compact forms expanded per RFC 3261 §7.3.3 and the RFCs that
 * define the others) and the spelling used when writing it.
 */

/** Compact form -> full name, lower-cased. */
const COMPACT: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

const CANONICAL = [
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Diversion',
  'Error-Info',
  'Event',
  'Expires',
  'From',
  'History-Info',
  'Identity',
  'Identity-Info',
  'In-Reply-To',
  'Max-Forwards',
  'Min-Expires',
  'Min-SE',
  'MIME-Version',
  'Organization',
  'P-Asserted-Identity',
  'P-Preferred-Identity',
  'Path',
  'Priority',
  'Privacy',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'RAck',
  'Reason',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'Reject-Contact',
  'Replaces',
  'Reply-To',
  'Request-Disposition',
  'Require',
  'Retry-After',
  'Route',
  'RSeq',
  'Server',
  'Service-Route',
  'Session-Expires',
  'SIP-ETag',
  'SIP-If-Match',
  'Subject',
  'Subscription-State',
  'Supported',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];

const CANONICAL_BY_KEY = new Map(CANONICAL.map((name) => [name.toLowerCase(), name]));

export interface HeaderName {
  /** Lower-cased full name: the lookup key. */
  readonly key: string;
  /** How the name is written on output. */
  readonly name: string;
}

const cache = new Map<string, HeaderName>();
const CACHE_LIMIT = 4096;

function compute(raw: string): HeaderName {
  const lower = raw.toLowerCase();
  const key = COMPACT[lower] ?? lower;
  return { key, name: CANONICAL_BY_KEY.get(key) ?? raw };
}

/** Resolves a header name as written (any case, compact or full). */
export function headerName(raw: string): HeaderName {
  const hit = cache.get(raw);
  if (hit) return hit;
  const resolved = compute(raw);
  // Bounded: hostile input can invent endless names; only remember a few thousand.
  if (cache.size < CACHE_LIMIT) cache.set(raw, resolved);
  return resolved;
}

// ---- lookup straight from a message's text ---------------------------------

/**
 * Every known name (canonical and compact) in an open-addressing table keyed by
 * a case-insensitive hash, so the parser resolves a field name where it stands
 * in the header section, without copying it into a string of its own first.
 */
const TABLE_SIZE = 512;
const tableNames: Array<string | undefined> = new Array(TABLE_SIZE);
const tableValues: Array<HeaderName | undefined> = new Array(TABLE_SIZE);

/** One step of the case-insensitive hash of a header name, for callers that scan the name anyway. */
export function headerNameHashStep(hash: number, code: number): number {
  return (hash * 31 + (code | 0x20)) | 0;
}

function hashLower(text: string, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i++) hash = headerNameHashStep(hash, text.charCodeAt(i));
  return hash;
}

for (const lower of [...CANONICAL_BY_KEY.keys(), ...Object.keys(COMPACT)]) {
  const resolved = compute(lower);
  if (!CANONICAL_BY_KEY.has(resolved.key)) continue; // written as received: no fixed spelling
  let slot = hashLower(lower, 0, lower.length) & (TABLE_SIZE - 1);
  while (tableNames[slot] !== undefined) slot = (slot + 1) & (TABLE_SIZE - 1);
  tableNames[slot] = lower;
  tableValues[slot] = resolved;
}

/**
 * Resolves the header name `text[from, to)` (a token, in any case). Same
 * answer as `headerName(text.slice(from, to))`. `hash`, when the caller has
 * it from its own scan (`headerNameHashStep` over the name), saves a pass.
 */
export function headerNameAt(
  text: string,
  from: number,
  to: number,
  hash = hashLower(text, from, to),
): HeaderName {
  const length = to - from;
  let slot = hash & (TABLE_SIZE - 1);
  for (;;) {
    const candidate = tableNames[slot];
    if (candidate === undefined) break;
    if (candidate.length === length) {
      let i = 0;
      // Letters compare case-insensitively; a token's other characters are never changed by | 0x20 into letters.
      while (i < length && (text.charCodeAt(from + i) | 0x20) === candidate.charCodeAt(i)) i++;
      if (i === length) return tableValues[slot]!;
    }
    slot = (slot + 1) & (TABLE_SIZE - 1);
  }
  return headerName(text.slice(from, to));
}

/** The lookup key for a header name given by code, e.g. 'call-id' for 'Call-ID' or 'i'. */
export function headerKey(raw: string): string {
  return headerName(raw).key;
}
