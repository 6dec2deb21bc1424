import type { RateRow, RateTable } from './rate-table.js';

/** Prefixes and numbers are E.164 digits: at most 15 (ITU-T E.164 §6.1). */
const maxDigits = 15;
const pow10 = Array.from({ length: maxDigits + 1 }, (_, i) => 10 ** i);
/** Keys are bucketed by their first 4 digits, so a lookup binary-searches one bucket, not the whole deck. */
const bucketDigits = 4;
const bucketCount = 10 ** bucketDigits;
const bucketDivisor = 10 ** (maxDigits - bucketDigits);

/** A rate found for a number: the deck row and its place in the table. */
export interface RateMatch extends RateRow {
  readonly row: number;
}

/**
 * Longest-prefix match over a rate deck, honouring effective dates.
 *
 * Each distinct prefix is a key `digits * 10^(15 - length)` (exact in a
 * double, as 10^15 < 2^53) sorted with its length as tie-break, which is the
 * lexicographic order of the digit strings with every prefix before its
 * extensions. Every prefix of a number sorts at or before the number, and
 * everything between a prefix of the number and the number extends that
 * prefix; so the longest matching prefix is the greatest key at or below
 * the number, or one of its ancestors, reached by `parent` links (the
 * nearest shorter prefix in the deck). A lookup is one binary search and a
 * walk of at most 15 links, over typed arrays: about 17 bytes per prefix.
 */
export class RateIndex {
  private constructor(
    readonly table: RateTable,
    private readonly keys: Float64Array,
    private readonly lengths: Uint8Array,
    private readonly parents: Int32Array,
    /** Rows sorted by prefix then effective date; each prefix owns the range [starts[u], starts[u + 1]). */
    private readonly rowsByPrefix: Int32Array,
    private readonly starts: Int32Array,
    /** Pairs of table rows with the same prefix and effective time (a bad deck); at most 100. */
    readonly duplicates: readonly (readonly [number, number])[],
    /** The first key of each leading-4-digit bucket; bucket b holds keys [buckets[b], buckets[b + 1]). */
    private readonly buckets: Int32Array,
  ) {}

  get prefixCount(): number {
    return this.keys.length;
  }

  static build(table: RateTable): RateIndex {
    const count = table.size;
    const rowKey = new Float64Array(count);
    const rowLength = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const prefix = table.prefixes[i] as string;
      const length = prefix.length;
      if (length === 0 || length > maxDigits || !/^[0-9]+$/.test(prefix)) {
        throw new Error(`rate row ${i}: prefix ${JSON.stringify(prefix)} is not 1 to 15 digits`);
      }
      rowKey[i] = Number(prefix) * (pow10[maxDigits - length] as number);
      rowLength[i] = length;
    }
    const effective = table.effectiveMs;
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort(
      (a, b) =>
        (rowKey[a] as number) - (rowKey[b] as number) ||
        (rowLength[a] as number) - (rowLength[b] as number) ||
        (effective[a] as number) - (effective[b] as number),
    );
    let distinct = 0;
    for (let k = 0; k < count; k++) {
      const row = order[k] as number;
      const previous = k > 0 ? (order[k - 1] as number) : -1;
      if (previous < 0 || rowKey[row] !== rowKey[previous] || rowLength[row] !== rowLength[previous])
        distinct++;
    }
    const keys = new Float64Array(distinct);
    const lengths = new Uint8Array(distinct);
    const starts = new Int32Array(distinct + 1);
    const duplicates: [number, number][] = [];
    let u = -1;
    for (let k = 0; k < count; k++) {
      const row = order[k] as number;
      if (u < 0 || rowKey[row] !== keys[u] || rowLength[row] !== lengths[u]) {
        u++;
        keys[u] = rowKey[row] as number;
        lengths[u] = rowLength[row] as number;
        starts[u] = k;
      } else {
        const previous = order[k - 1] as number;
        if (effective[previous] === effective[row] && duplicates.length < 100) {
          duplicates.push(previous < row ? [previous, row] : [row, previous]);
        }
      }
    }
    starts[distinct] = count;
    // Parent links by a sweep with a stack of the open ancestors.
    const parents = new Int32Array(distinct);
    const stack = new Int32Array(maxDigits + 1);
    let depth = 0;
    for (let v = 0; v < distinct; v++) {
      const key = keys[v] as number;
      while (depth > 0) {
        const top = stack[depth - 1] as number;
        const topLength = lengths[top] as number;
        if (key <= (keys[top] as number) + (pow10[maxDigits - topLength] as number) - 1) break;
        depth--;
      }
      parents[v] = depth > 0 ? (stack[depth - 1] as number) : -1;
      stack[depth++] = v;
    }
    const buckets = new Int32Array(bucketCount + 1);
    let k = 0;
    for (let b = 0; b <= bucketCount; b++) {
      while (k < distinct && Math.floor((keys[k] as number) / bucketDivisor) < b) k++;
      buckets[b] = k;
    }
    return new RateIndex(table, keys, lengths, parents, order, starts, duplicates, buckets);
  }

  /**
   * The table row of the rate in force at `at_ms` for the longest prefix of
   * `number` (E.164 digits, with or without `+`), or -1.
   */
  lookupRow(number: string, at_ms: number): number {
    let start = number.charCodeAt(0) === 43 /* + */ ? 1 : 0;
    const length = number.length - start;
    if (length <= 0 || length > maxDigits) return -1;
    let value = 0;
    for (; start < number.length; start++) {
      const digit = number.charCodeAt(start) - 48;
      if (digit < 0 || digit > 9) return -1;
      value = value * 10 + digit;
    }
    const key = value * (pow10[maxDigits - length] as number);
    const keys = this.keys;
    const lengths = this.lengths;
    const bucket = Math.floor(key / bucketDivisor);
    let lo = this.buckets[bucket] as number;
    let hi = (this.buckets[bucket + 1] as number) - 1;
    // Everything in earlier buckets sorts before the number: if nothing here does, the answer is just before.
    let found = lo - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const midKey = keys[mid] as number;
      if (midKey < key || (midKey === key && (lengths[mid] as number) <= length)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const effective = this.table.effectiveMs;
    for (let u = found; u >= 0; u = this.parents[u] as number) {
      const prefixLength = lengths[u] as number;
      if (
        prefixLength > length ||
        key > (keys[u] as number) + (pow10[maxDigits - prefixLength] as number) - 1
      ) {
        continue;
      }
      for (let k = (this.starts[u + 1] as number) - 1; k >= (this.starts[u] as number); k--) {
        const row = this.rowsByPrefix[k] as number;
        if ((effective[row] as number) <= at_ms) return row;
      }
    }
    return -1;
  }

  /** The rate in force at `at` for the longest matching prefix of an E.164 number. */
  lookup(number: string, at: Date | number = Date.now()): RateMatch | undefined {
    const row = this.lookupRow(number, typeof at === 'number' ? at : at.getTime());
    return row < 0 ? undefined : { ...this.table.row(row), row };
  }
}
