/**
 * Histograms of deviations in 10 µs buckets (up to 200 ms), their
 * percentiles, and medians: what the pacing benches report.
 */

export const BUCKET_US = 10;
export const BUCKETS = 20_000;

export function histogram(): number[] {
  return new Array<number>(BUCKETS).fill(0);
}

/** Counts `value_ms` in its bucket; anything beyond the last bucket counts in the last. */
export function record(buckets: number[], value_ms: number): void {
  buckets[Math.min(BUCKETS - 1, Math.floor((value_ms * 1000) / BUCKET_US))]!++;
}

/** The upper edge, in ms, of the bucket where `fraction` of the counts are reached. */
export function percentile(buckets: number[], fraction: number): number {
  const total = buckets.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= total * fraction) return ((i + 1) * BUCKET_US) / 1000;
  }
  return (buckets.length * BUCKET_US) / 1000;
}

/** The upper edge, in ms, of the highest bucket with a count (0 when empty). */
export function maxOf(buckets: number[]): number {
  for (let i = buckets.length - 1; i >= 0; i--) if (buckets[i]! > 0) return ((i + 1) * BUCKET_US) / 1000;
  return 0;
}

/** The median of the finite values (the mean of the middle two for an even count); NaN when none. */
export function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
