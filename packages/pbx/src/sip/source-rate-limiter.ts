/** Per-source request rate limit (pbx.md §6): a token bucket per IP address. */
export interface SourceRateLimits {
  /** Requests per second one address may send on average; 0 turns the limit off. */
  readonly perSecond: number;
  /** How many it may send at once after a quiet spell (default: two seconds' worth). */
  readonly burst?: number;
  /** Addresses tracked at once; the least recently seen are forgotten past this. */
  readonly maxTracked?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Whether this address is being throttled now (for the one log line when it starts). */
  throttled: boolean;
}

/**
 * Token buckets per source address, refilled continuously: `take(address)`
 * says whether one more request from it is within its rate. A flood from one
 * address is cut to the rate while every other address keeps its own
 * allowance; `onThrottle` hears once each time an address starts being cut.
 */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly maxTracked: number;
  /** Requests refused since start. */
  dropped = 0;

  constructor(
    private readonly limits: SourceRateLimits,
    private readonly now: () => number = () => performance.now(),
    private readonly onThrottle?: (address: string) => void,
  ) {
    this.burst = limits.burst ?? Math.max(1, limits.perSecond * 2);
    this.maxTracked = limits.maxTracked ?? 100_000;
  }

  take(address: string): boolean {
    if (this.limits.perSecond <= 0) return true;
    const now = this.now();
    let bucket = this.buckets.get(address);
    if (bucket) {
      bucket.tokens = Math.min(
        this.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * this.limits.perSecond,
      );
      bucket.at = now;
      // Most recently seen last, so the oldest is first to forget.
      this.buckets.delete(address);
      this.buckets.set(address, bucket);
    } else {
      if (this.buckets.size >= this.maxTracked) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.burst, at: now, throttled: false };
      this.buckets.set(address, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.throttled = false;
      return true;
    }
    this.dropped++;
    if (!bucket.throttled) {
      bucket.throttled = true;
      this.onThrottle?.(address);
    }
    return false;
  }
}
