import type { BillingIncrement } from './billing-increment.js';

/** One rate of a deck: a prefix's price from a date on. Money in micro-units (rating/money.ts). */
export interface RateRow extends BillingIncrement {
  /** E.164 digits without `+`, 1 to 15 of them. */
  readonly prefix: string;
  readonly destination: string;
  readonly rate_micro_per_min: bigint;
  readonly connect_micro: bigint;
  /** Midnight UTC of the day the rate takes effect, as milliseconds since the epoch. */
  readonly effective_ms: number;
}

/**
 * The rows of a rate deck in columns: compact enough for millions of rows
 * (typed arrays, destination names shared), and the one shape the CSV
 * importer produces, the store writes and the index is built from.
 */
export class RateTable {
  private capacity: number;
  private count = 0;
  prefixes: string[] = [];
  destinations: string[] = [];
  rateMicro: BigInt64Array;
  connectMicro: BigInt64Array;
  initial: Uint16Array;
  increment: Uint16Array;
  effectiveMs: Float64Array;
  private readonly names = new Map<string, string>();

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.rateMicro = new BigInt64Array(this.capacity);
    this.connectMicro = new BigInt64Array(this.capacity);
    this.initial = new Uint16Array(this.capacity);
    this.increment = new Uint16Array(this.capacity);
    this.effectiveMs = new Float64Array(this.capacity);
  }

  get size(): number {
    return this.count;
  }

  static from(rows: readonly RateRow[]): RateTable {
    const table = new RateTable(rows.length);
    for (const row of rows) table.push(row);
    return table;
  }

  push(row: RateRow): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.prefixes.push(row.prefix);
    let name = this.names.get(row.destination);
    if (name === undefined) {
      name = row.destination;
      this.names.set(name, name);
    }
    this.destinations.push(name);
    this.rateMicro[i] = row.rate_micro_per_min;
    this.connectMicro[i] = row.connect_micro;
    this.initial[i] = row.initial_s;
    this.increment[i] = row.increment_s;
    this.effectiveMs[i] = row.effective_ms;
  }

  row(i: number): RateRow {
    if (i < 0 || i >= this.count) throw new RangeError(`no row ${i}`);
    return {
      prefix: this.prefixes[i] as string,
      destination: this.destinations[i] as string,
      rate_micro_per_min: this.rateMicro[i] as bigint,
      connect_micro: this.connectMicro[i] as bigint,
      initial_s: this.initial[i] as number,
      increment_s: this.increment[i] as number,
      effective_ms: this.effectiveMs[i] as number,
    };
  }

  *rows(): IterableIterator<RateRow> {
    for (let i = 0; i < this.count; i++) yield this.row(i);
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = <T extends BigInt64Array | Uint16Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(this.capacity);
      next.set(old as never);
      return next;
    };
    this.rateMicro = grow(this.rateMicro, (n) => new BigInt64Array(n));
    this.connectMicro = grow(this.connectMicro, (n) => new BigInt64Array(n));
    this.initial = grow(this.initial, (n) => new Uint16Array(n));
    this.increment = grow(this.increment, (n) => new Uint16Array(n));
    this.effectiveMs = grow(this.effectiveMs, (n) => new Float64Array(n));
  }
}
