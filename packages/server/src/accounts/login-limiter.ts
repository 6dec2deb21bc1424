import { isIPv6 } from 'node:net';

/** Limits on password guessing (STYLE.md 14). Each is a named, configurable number. */
export interface LoginLimits {
  /** Failed logins for one user name within the window before it is refused. */
  readonly perAccountFailures: number;
  /** Failed logins from one address (an IPv6 /64) within the window before it is refused. */
  readonly perAddressFailures: number;
  readonly window_ms: number;
  /** User names and addresses remembered at once; the oldest are forgotten first. */
  readonly maxTrackedKeys: number;
}

export const defaultLoginLimits: LoginLimits = {
  perAccountFailures: 5,
  perAddressFailures: 20,
  window_ms: 15 * 60_000,
  maxTrackedKeys: 50_000,
};

/** Failure times per key within a sliding window, in bounded memory. */
class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly window_ms: number,
    private readonly maxKeys: number,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  wait_ms(key: string, now_ms: number): number {
    const times = this.live(key, now_ms);
    if (times.length < this.limit) return 0;
    const oldest = times[times.length - this.limit] ?? now_ms;
    return Math.max(1, oldest + this.window_ms - now_ms);
  }

  record(key: string, now_ms: number): void {
    const times = this.live(key, now_ms);
    times.push(now_ms);
    // Only the last `limit` failures matter for the decision.
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.failures.delete(key);
    this.failures.set(key, times);
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  get size(): number {
    return this.failures.size;
  }

  private live(key: string, now_ms: number): number[] {
    const times = this.failures.get(key) ?? [];
    const cutoff = now_ms - this.window_ms;
    const kept = times.filter((t) => t > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    return kept;
  }
}

/** The part of an address one party controls: an IPv4 address, or an IPv6 /64. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export type LoginPermission = { ok: true } | { ok: false; retryAfter_s: number };

/**
 * Refuses logins for a user name or from an address after too many recent
 * failures, whether or not the user name exists. A success clears the user
 * name's failures (not the address's).
 */
export class LoginLimiter {
  private readonly byAccount: FailureWindow;
  private readonly byAddress: FailureWindow;

  constructor(
    readonly limits: LoginLimits = defaultLoginLimits,
    private readonly now_ms: () => number = Date.now,
  ) {
    this.byAccount = new FailureWindow(limits.perAccountFailures, limits.window_ms, limits.maxTrackedKeys);
    this.byAddress = new FailureWindow(limits.perAddressFailures, limits.window_ms, limits.maxTrackedKeys);
  }

  check(username: string, address: string): LoginPermission {
    const now = this.now_ms();
    const wait = Math.max(
      this.byAccount.wait_ms(username.toLowerCase(), now),
      this.byAddress.wait_ms(addressKey(address), now),
    );
    return wait === 0 ? { ok: true } : { ok: false, retryAfter_s: Math.ceil(wait / 1000) };
  }

  failed(username: string, address: string): void {
    const now = this.now_ms();
    this.byAccount.record(username.toLowerCase(), now);
    this.byAddress.record(addressKey(address), now);
  }

  succeeded(username: string): void {
    this.byAccount.clear(username.toLowerCase());
  }

  /** Keys currently remembered (for tests and metrics). */
  get tracked(): { accounts: number; addresses: number } {
    return { accounts: this.byAccount.size, addresses: this.byAddress.size };
  }
}
