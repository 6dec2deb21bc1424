/**
 * Canonical JSON for hashing and storage: object keys sorted, `bigint` as a
 * decimal string, `undefined` fields left out. Every amount field is named
 * `*_minor`, so decoding knows which strings are amounts without a schema.
 */

export function canonicalJson(value: unknown): string {
  return encode(value);
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
      if (Array.isArray(value))
        return `[${value.map((item) => (item === undefined ? 'null' : encode(item))).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k])}`).join(',')}}`;
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

/** Parse canonical JSON back, turning `*_minor` strings into `bigint`. */
export function parseCanonicalJson(text: string): unknown {
  return JSON.parse(text, (key, value) => (key.endsWith('_minor') ? toBigint(value) : value));
}

/** Plain JSON-safe data (bigint as strings), for APIs and files. */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(canonicalJson(value));
}

/** The inverse of `toJsonValue` for data whose amounts are named `*_minor`. */
export function fromJsonValue(value: unknown): unknown {
  return parseCanonicalJson(JSON.stringify(value));
}
