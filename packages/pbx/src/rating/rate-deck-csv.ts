import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { parseBillingIncrement } from './billing-increment.js';
import { maxMicro, microPerMajor, parseMicro } from './money.js';
import { RateIndex } from './rate-index.js';
import { type RateRow, RateTable } from './rate-table.js';

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
    max_record_size: limits.maxLineBytes,
    relax_column_count: true,
  });
  const input = typeof source === 'string' ? Readable.from([source]) : Readable.from(source);
  let columns: Map<Column, number> | undefined;
  let reader: RowReader | undefined;
  const caches = new FieldCaches();
  let stopped = false;
  // Records are handled synchronously as the parser emits them, so its live
  // `info.lines` is the line the record ends on (cheaper than `info: true`).
  const onRecord = (record: string[]) => {
    if (stopped) return;
    const line = parser.info.lines;
    if (columns === undefined) {
      columns = readHeader(record, line, fail);
      if (columns === undefined) stop();
      else reader = new RowReader(columns.size, columns, limits, caches, fail);
      return;
    }
    if (table.size >= limits.maxRows) {
      fail(line, `the deck has more than ${limits.maxRows} rows`);
      truncated = true;
      stop();
      return;
    }
    const row = reader?.read(record, line);
    if (row) {
      table.push(row);
      lines.push(line);
      if (options.onProgress && table.size % every === 0) options.onProgress(table.size, parser.info.bytes);
    }
    if (truncated) stop();
  };
  const done = new Promise<void>((resolve) => {
    parser.on('data', onRecord);
    parser.once('end', resolve);
    parser.once('close', resolve);
    parser.once('error', (error: Error & { lines?: number }) => {
      if (!stopped) fail(error.lines ?? parser.info.lines, `malformed CSV: ${error.message}`);
      resolve();
    });
    input.once('error', (error) => {
      fail(parser.info.lines, `could not read the deck: ${error.message}`);
      resolve();
    });
  });
  function stop() {
    stopped = true;
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
  input.pipe(parser);
  await done;
  const bytes = parser.info.bytes;
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

/** Reads data rows by column position; no closures per row (they cost at a million rows). */
class RowReader {
  private readonly at: Record<Column, number>;
  private good = true;
  private line = 0;

  constructor(
    private readonly columnCount: number,
    columns: ReadonlyMap<Column, number>,
    private readonly limits: RateDeckLimits,
    private readonly caches: FieldCaches,
    private readonly fail: (line: number, message: string, column?: Column) => void,
  ) {
    this.at = {
      prefix: columns.get('prefix') ?? -1,
      destination: columns.get('destination') ?? -1,
      rate_per_minute: columns.get('rate_per_minute') ?? -1,
      connect_fee: columns.get('connect_fee') ?? -1,
      billing_increment: columns.get('billing_increment') ?? -1,
      effective_from: columns.get('effective_from') ?? -1,
    };
  }

  read(record: readonly string[], line: number): RateRow | undefined {
    if (record.length !== this.columnCount) {
      this.fail(line, `expected ${this.columnCount} fields, found ${record.length}`);
      return undefined;
    }
    this.good = true;
    this.line = line;
    let prefix = record[this.at.prefix] ?? '';
    if (prefix.charCodeAt(0) === 43 /* + */) prefix = prefix.slice(1);
    if (!/^[1-9][0-9]{0,14}$/.test(prefix)) {
      this.bad(
        'prefix',
        /^0/.test(prefix)
          ? `prefix ${JSON.stringify(prefix)} starts with 0: prefixes are E.164 digits (0049 is 49)`
          : `prefix ${JSON.stringify(prefix)} is not 1 to 15 digits`,
      );
    }
    const destination = record[this.at.destination] ?? '';
    if (destination === '' || destination.length > 120 || /[\u0000-\u001f]/.test(destination)) {
      this.bad('destination', 'expected a destination name of 1 to 120 characters on one line');
    }
    const rateText = record[this.at.rate_per_minute];
    const rate =
      rateText === undefined || rateText === '' ? undefined : this.amount('rate_per_minute', rateText);
    if (rateText === undefined || rateText === '')
      this.bad('rate_per_minute', 'expected a rate per minute, e.g. 0.0123');
    const connectText = this.at.connect_fee < 0 ? '' : (record[this.at.connect_fee] ?? '');
    const connect = connectText === '' ? 0n : this.amount('connect_fee', connectText);
    const incrementText = this.at.billing_increment < 0 ? '' : (record[this.at.billing_increment] ?? '');
    const increment = incrementText === '' ? defaultIncrement : this.caches.increment(incrementText);
    if (!increment) {
      this.bad(
        'billing_increment',
        `billing_increment ${JSON.stringify(incrementText)}: expected e.g. 60/60, 1/1 or 30/6`,
      );
    }
    const effectiveText = this.at.effective_from < 0 ? '' : (record[this.at.effective_from] ?? '');
    const effective = effectiveText === '' ? 0 : this.caches.date(effectiveText);
    if (effective === undefined) {
      this.bad(
        'effective_from',
        `effective_from ${JSON.stringify(effectiveText)}: expected a date such as 2025-01-31`,
      );
    }
    if (!this.good || !increment || effective === undefined || rate === undefined || connect === undefined)
      return undefined;
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

  private bad(column: Column, message: string): void {
    this.fail(this.line, message, column);
    this.good = false;
  }

  private amount(column: Column, text: string): bigint | undefined {
    const parsed = parseMicro(text);
    if (!parsed.ok) {
      this.bad(column, `${column} ${JSON.stringify(text)}: ${parsed.message}`);
      return undefined;
    }
    if (parsed.micro > this.limits.maxRateMicro || parsed.micro > maxMicro) {
      this.bad(column, `${column} ${text} is above the limit of ${this.limits.maxRateMicro / microPerMajor}`);
      return undefined;
    }
    return parsed.micro;
  }
}

const defaultIncrement = { initial_s: 60, increment_s: 60 } as const;

/**
 * Per-import memo of field parses: a deck repeats few distinct dates and
 * increments, so each distinct text is parsed once.
 */
class FieldCaches {
  private readonly dates = new Map<string, number | undefined>();
  private readonly increments = new Map<string, ReturnType<typeof parseBillingIncrement>>();

  date(text: string): number | undefined {
    if (!this.dates.has(text)) this.dates.set(text, parseEffectiveDate(text));
    return this.dates.get(text);
  }

  increment(text: string): ReturnType<typeof parseBillingIncrement> {
    if (!this.increments.has(text)) this.increments.set(text, parseBillingIncrement(text));
    return this.increments.get(text);
  }
}
