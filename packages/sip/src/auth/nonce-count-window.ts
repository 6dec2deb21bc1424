/**
 * Replay protection for digest nonce-counts (RFC 7616 §3.4.5) in bounded
 * memory. Per nonce it keeps the highest nc seen and a 64-entry window below
 * it, so requests that overtake each other on UDP still pass but no nc is
 * accepted twice. When full, the least recently used nonce is forgotten and
 * every nonce issued no later than it is refused from then on (the client
 * gets `stale=true` and a fresh nonce), so forgetting never opens a replay.
 */
const WINDOW = 64n;

interface Entry {
  issuedAt_ms: number;
  highest: number;
  /** Bit i set: nc = highest - i was seen. */
  seen: bigint;
}

export class NonceCountWindow {
  readonly #entries = new Map<string, Entry>();
  #watermark_ms = Number.NEGATIVE_INFINITY;
  #lastSweep_ms = Number.NEGATIVE_INFINITY;

  constructor(
    readonly capacity: number,
    readonly ttl_ms: number,
  ) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** True when (nonce, nc) is new; records it. `now_ms` lets expired nonces be dropped first. */
  accept(nonce: string, issuedAt_ms: number, nc: number, now_ms: number): boolean {
    if (!(nc >= 1) || !Number.isSafeInteger(nc)) return false;
    const entry = this.#entries.get(nonce);
    if (!entry) {
      if (issuedAt_ms <= this.#watermark_ms) return false;
      this.#makeRoom(now_ms);
      this.#entries.set(nonce, { issuedAt_ms, highest: nc, seen: 1n });
      return true;
    }
    // Touch for LRU order.
    this.#entries.delete(nonce);
    this.#entries.set(nonce, entry);
    if (nc > entry.highest) {
      const shift = BigInt(nc - entry.highest);
      entry.seen = shift >= WINDOW ? 1n : ((entry.seen << shift) | 1n) & ((1n << WINDOW) - 1n);
      entry.highest = nc;
      return true;
    }
    const back = BigInt(entry.highest - nc);
    if (back >= WINDOW) return false;
    const bit = 1n << back;
    if ((entry.seen & bit) !== 0n) return false;
    entry.seen |= bit;
    return true;
  }

  #makeRoom(now_ms: number): void {
    if (this.#entries.size < this.capacity) return;
    // Expired nonces are refused as stale anyway: drop them without raising the
    // watermark. The sweep is O(n), so it runs at most once per quarter TTL.
    if (now_ms - this.#lastSweep_ms >= this.ttl_ms / 4) {
      this.#lastSweep_ms = now_ms;
      for (const [nonce, entry] of this.#entries) {
        if (entry.issuedAt_ms + this.ttl_ms < now_ms) this.#entries.delete(nonce);
      }
    }
    while (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.entries().next().value;
      if (!oldest) break;
      this.#entries.delete(oldest[0]);
      this.#watermark_ms = Math.max(this.#watermark_ms, oldest[1].issuedAt_ms);
    }
  }
}
