/** Limits of the brute-force defence (pbx.md §6); every one configurable. */
export interface SecurityLimits {
  /** Failed authentications from one address within `window_ms` that trigger a ban. */
  readonly maxFailures: number;
  readonly window_ms: number;
  readonly ban_ms: number;
  /** Addresses tracked at once; the oldest are forgotten past this. */
  readonly maxTracked: number;
}

export const defaultSecurityLimits: SecurityLimits = {
  maxFailures: 20,
  window_ms: 60_000,
  ban_ms: 15 * 60_000,
  maxTracked: 50_000,
};

/** User-Agent prefixes of well-known SIP scanners; they get no answer at all. */
const scannerAgents =
  /^(friendly-scanner|sipvicious|sipcli|sip-scan|sundayddr|iWar|SIVuS|Gulp|sipsak|VaxSIPUserAgent|smap|PortSIP VoIP SDK|pplsip)/i;

interface Record {
  failures: number;
  windowStart: number;
  bannedUntil: number;
}

/**
 * Per-source defence against scanners and password guessing: counts failed
 * digest authentications per address (a first request without credentials,
 * or a stale nonce, is the normal exchange and not counted) and bans an
 * address that fails too often; banned addresses and known scanners are not
 * answered at all.
 */
export class SecurityMonitor {
  private readonly sources = new Map<string, Record>();

  constructor(
    private readonly limits: SecurityLimits = defaultSecurityLimits,
    private readonly now: () => number = Date.now,
    private readonly onBan?: (address: string, failures: number) => void,
  ) {}

  /** Whether to drop a request silently: a banned source or a scanner's User-Agent. */
  shouldDrop(address: string, userAgent: string | undefined): boolean {
    return this.isScanner(userAgent) || this.isBanned(address);
  }

  /** Whether a User-Agent names a well-known SIP scanner. */
  isScanner(userAgent: string | undefined): boolean {
    return userAgent !== undefined && scannerAgents.test(userAgent);
  }

  /** Whether an address is banned now. */
  isBanned(address: string): boolean {
    const record = this.sources.get(address);
    return record !== undefined && record.bannedUntil > this.now();
  }

  authFailed(address: string, _username: string | undefined): void {
    const now = this.now();
    let record = this.sources.get(address);
    if (!record) {
      if (this.sources.size >= this.limits.maxTracked) {
        const oldest = this.sources.keys().next().value;
        if (oldest !== undefined) this.sources.delete(oldest);
      }
      record = { failures: 0, windowStart: now, bannedUntil: 0 };
      this.sources.set(address, record);
    }
    if (now - record.windowStart > this.limits.window_ms) {
      record.failures = 0;
      record.windowStart = now;
    }
    record.failures++;
    if (record.failures >= this.limits.maxFailures && record.bannedUntil <= now) {
      record.bannedUntil = now + this.limits.ban_ms;
      this.onBan?.(address, record.failures);
    }
  }

  /** A successful authentication clears the address's failure count. */
  authSucceeded(address: string): void {
    const record = this.sources.get(address);
    if (record && record.bannedUntil <= this.now()) this.sources.delete(address);
  }

  banned(): { address: string; until_ms: number }[] {
    const now = this.now();
    return [...this.sources.entries()]
      .filter(([, r]) => r.bannedUntil > now)
      .map(([address, r]) => ({ address, until_ms: r.bannedUntil }));
  }

  unban(address: string): boolean {
    return this.sources.delete(address);
  }
}
