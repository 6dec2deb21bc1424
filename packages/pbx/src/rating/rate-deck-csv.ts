import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { parseBillingIncrement } from './billing-increment.js';
import { maxMicro, microPerMajor, parseMicro } from './money.js';
import { RateIndex } from './rate-index.js';
import { RateTable } from './rate-table.js';

/**
 * The CSV format of rate decks and price lists (docs/carriers.md):
 *
 *     prefix,destination,rate_per_minute,connect_fee,billing_increment,effective_from
 *     49,Germany,0.0100,0,60/60,2025-01-01
 *     4915,Germany Mobile,0.0450,0.0100,30/6,2025-01-01
 *
 * `prefix`, `destination` and `rate_per_minute` are required; `connect_fee`
 * defaults to 0, `billing_increment` to 60/60, `effective_from` to always.
 * Amounts are decimals in the deck's currency (at most 6 decimals).
 */
export const rateDeckColumns = [
  'prefix',
  'destination',
  'rate_per_minute',
  'connect_fee',
  'billing_increment',
  'effective_from',
] as const;
type Column = (typeof rateDeckColumns)[number];
const requiredColumns: readonly Column[] = ['prefix', 'destination', 'rate_per_minute'];

export interface RateDeckLimits {
  readonly maxRows: number;
  /** Errors reported before the import stops collecting them. */
  readonly maxErrors: number;
  readonly maxLineBytes: number;
  /** Highest rate per minute and connect fee accepted, in micro-units. */
  readonly maxRateMicro: bigint;
}

export const defaultRateDeckLimits: RateDeckLimits = {
  maxRows: 2_000_000,
  maxErrors: 100,
  maxLineBytes: 1024,
  maxRateMicro: 1000n * microPerMajor,
};

export interface RateDeckError {
  /** 1-based line of the CSV file. */
  readonly line: number;
  readonly column?: Column;
  readonly message: string;
}

export type RateDeckParse =
  | {
      readonly ok: true;
      readonly table: RateTable;
      readonly index: RateIndex;
      readonly rows: number;
      readonly bytes: number;
    }
  | { readonly ok: false; readonly errors: readonly RateDeckError[]; readonly truncated: boolean };

export interface RateDeckParseOptions {
  readonly limits?: Partial<RateDeckLimits>;
  /** Called every `progressEvery` rows and at the end with rows and bytes read so far. */
  readonly onProgress?: (rows: number, bytes: number) => void;
  readonly progressEvery?: number;
}

const dayPattern = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** An effective date: `YYYY-MM-DD` (midnight UTC) or an ISO 8601 time with `Z` or an offset. */
export function parseEffectiveDate(text: string): number | undefined {
  const day = dayPattern.exec(text);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return new Date(ms).toISOString().startsWith(text) ? ms : undefined;
  }
  if (
    !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/.test(
      text,
    )
  ) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Reads a rate deck CSV completely and validates every row, reporting
 * errors with their line numbers. Nothing is returned unless every row is
 * good, so a failed import can never replace a working deck.
 */
export async function parseRateDeck(
  source: Readable | AsyncIterable<string | Buffer> | string,
  options: RateDeckParseOptions = {},
): Promise<RateDeckParse> {
  const limits = { ...defaultRateDeckLimits, ...options.limits };
  const every = options.progressEvery ?? 10_000;
  const errors: RateDeckError[] = [];
  let truncated = false;
  const fail = (line: number, message: string, column?: Column) => {
    if (errors.length >= limits.maxErrors) truncated = true;
    else errors.push({ line, message, ...(column ? { column } : {}) });
  };
  const table = new RateTable(16_384);
  const lines: number[] = [];
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: limits.maxLineBytes,
    relax_column_count: true,
  });
  const input = typeof source === 'string' ? Readable.from([source]) : Readable.from(source);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let columns: Map<Column, number> | undefined;
  let bytes = 0;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      const { record, info } = item;
      const line = info.lines;
      bytes = info.bytes;
      if (columns === undefined) {
        columns = readHeader(record, line, fail);
        if (columns === undefined) break;
        continue;
      }
      if (table.size >= limits.maxRows) {
        fail(line, `the deck has more than ${limits.maxRows} rows`);
        truncated = true;
        break;
      }
      const row = readRow(record, columns, line, limits, fail);
      if (row) {
        table.push(row);
        lines.push(line);
        if (options.onProgress && table.size % every === 0) options.onProgress(table.size, bytes);
      }
      if (truncated) break;
    }
  } catch (error) {
    const csv = error as { lines?: number; message?: string };
    fail(csv.lines ?? 0, `malformed CSV: ${csv.message ?? String(error)}`);
  } finally {
    input.unpipe(parser);
    input.destroy();
  }
  if (columns === undefined && errors.length === 0) fail(1, 'the file is empty: expected a header line');
  if (errors.length === 0 && table.size === 0) fail(1, 'the deck has no rates');
  if (errors.length > 0) return { ok: false, errors, truncated };
  const index = RateIndex.build(table);
  for (const [a, b] of index.duplicates) {
    fail(
      lines[b] ?? 0,
      `prefix ${table.prefixes[b]} has two rates effective from the same time (also line ${lines[a]})`,
      'prefix',
    );
  }
  if (errors.length > 0) return { ok: false, errors, truncated };
  options.onProgress?.(table.size, bytes);
  return { ok: true, table, index, rows: table.size, bytes };
}

function readHeader(
  record: readonly string[],
  line: number,
  fail: (line: number, message: string) => void,
): Map<Column, number> | undefined {
  const columns = new Map<Column, number>();
  let good = true;
  record.forEach((raw, position) => {
    const name = raw.toLowerCase().replace(/[\s-]+/g, '_') as Column;
    if (!rateDeckColumns.includes(name)) {
      fail(line, `unknown column ${JSON.stringify(raw)}; expected ${rateDeckColumns.join(', ')}`);
      good = false;
    } else if (columns.has(name)) {
      fail(line, `column ${name} appears twice`);
      good = false;
    } else columns.set(name, position);
  });
  for (const name of requiredColumns) {
    if (!columns.has(name)) {
      fail(line, `missing column ${name} in the header line`);
      good = false;
    }
  }
  return good ? columns : undefined;
}

function readRow(
  record: readonly string[],
  columns: ReadonlyMap<Column, number>,
  line: number,
  limits: RateDeckLimits,
  fail: (line: number, message: string, column?: Column) => void,
) {
  if (record.length !== columns.size) {
    fail(line, `expected ${columns.size} fields, found ${record.length}`);
    return undefined;
  }
  const field = (name: Column): string | undefined => {
    const at = columns.get(name);
    return at === undefined ? undefined : record[at];
  };
  let good = true;
  const bad = (column: Column, message: string) => {
    fail(line, message, column);
    good = false;
  };
  let prefix = field('prefix') ?? '';
  if (prefix.startsWith('+')) prefix = prefix.slice(1);
  if (!/^[1-9][0-9]{0,14}$/.test(prefix)) {
    bad(
      'prefix',
      /^0/.test(prefix)
        ? `prefix ${JSON.stringify(prefix)} starts with 0: prefixes are E.164 digits (0049 is 49)`
        : `prefix ${JSON.stringify(prefix)} is not 1 to 15 digits`,
    );
  }
  const destination = field('destination') ?? '';
  if (destination === '' || destination.length > 120)
    bad('destination', 'expected a destination name of 1 to 120 characters');
  const amount = (column: Column, text: string | undefined, fallback: bigint): bigint => {
    if (text === undefined || text === '') {
      if (column === 'rate_per_minute') bad(column, 'expected a rate per minute, e.g. 0.0123');
      return fallback;
    }
    const parsed = parseMicro(text);
    if (!parsed.ok) {
      bad(column, `${column} ${JSON.stringify(text)}: ${parsed.message}`);
      return fallback;
    }
    if (parsed.micro > limits.maxRateMicro || parsed.micro > maxMicro) {
      bad(column, `${column} ${text} is above the limit of ${limits.maxRateMicro / microPerMajor}`);
    }
    return parsed.micro;
  };
  const rate = amount('rate_per_minute', field('rate_per_minute'), 0n);
  const connect = amount('connect_fee', field('connect_fee'), 0n);
  const incrementText = field('billing_increment');
  const increment =
    incrementText === undefined || incrementText === ''
      ? { initial_s: 60, increment_s: 60 }
      : parseBillingIncrement(incrementText);
  if (!increment)
    bad(
      'billing_increment',
      `billing_increment ${JSON.stringify(incrementText)}: expected e.g. 60/60, 1/1 or 30/6`,
    );
  const effectiveText = field('effective_from');
  const effective =
    effectiveText === undefined || effectiveText === '' ? 0 : parseEffectiveDate(effectiveText);
  if (effective === undefined) {
    bad(
      'effective_from',
      `effective_from ${JSON.stringify(effectiveText)}: expected a date such as 2025-01-31`,
    );
  }
  if (!good || !increment || effective === undefined) return undefined;
  return {
    prefix,
    destination,
    rate_micro_per_min: rate,
    connect_micro: connect,
    initial_s: increment.initial_s,
    increment_s: increment.increment_s,
    effective_ms: effective,
  };
}
