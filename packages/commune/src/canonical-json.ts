/**
 * Canonical JSON for hashing and storage: object keys sorted, `bigint` as a
 * decimal string, `undefined` fields left out. Every amount field is named
 * `*_minor`, so decoding knows which strings are amounts without a schema.
 */

export function canonicalJson(value: unknown): string {
  return encode(value);
}

/** Quoted object keys, memoised: the same few dozen field names recur in every entry. */
const quotedKeys = new Map<string, string>();
const maxQuotedKeys = 10_000;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < maxQuotedKeys) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function encode(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'bigint':
      return `"${value.toString()}"`;
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : encode(item);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${quoteKey(key)}:${encode(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}

const integerPattern = /^-?\d+$/;

function toBigint(value: unknown): unknown {
  if (typeof value === 'string' && integerPattern.test(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toBigint);
  return value;
}

/** Turn `*_minor` fields into `bigint`, in place, everywhere below `value`. */
function reviveAmounts(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) reviveAmounts(item);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (key.endsWith('_minor')) record[key] = toBigint(item);
    else if (item !== null && typeof item === 'object') reviveAmounts(item);
  }
}

/** Parse canonical JSON back, turning `*_minor` strings into `bigint`. */
export function parseCanonicalJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  reviveAmounts(value);
  return value;
}

/** Plain JSON-safe data (bigint as strings), for APIs and files. */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(canonicalJson(value));
}

/** The inverse of `toJsonValue` for data whose amounts are named `*_minor`. */
export function fromJsonValue(value: unknown): unknown {
  return parseCanonicalJson(JSON.stringify(value));
}
