import { aorKey, type Binding, bindingKey } from './binding.js';
import {
  defaultRegistrarLimits,
  processRegister,
  type RegisterOutcome,
  type RegisterRequest,
  type RegistrarLimits,
} from './register-request.js';
import type { RegistrationRepository } from './registration-repository.js';

export interface LocationServiceOptions {
  readonly repository: RegistrationRepository;
  readonly limits?: RegistrarLimits;
  readonly now?: () => number;
  /** How often pending changes are written in one transaction. */
  readonly flushInterval_ms?: number;
  /** How often expired bindings are swept from memory and storage. */
  readonly sweepInterval_ms?: number;
  readonly onError?: (error: unknown) => void;
  /** Told when an AoR's set of bindings changes (for presence, MWI and the console). */
  readonly onChange?: (tenantId: string, aor: string, bindings: readonly Binding[]) => void;
}

/**
 * The location service (RFC 3261 §10): every device binding, in memory for
 * lookups on the call path, written behind to the store in batches so a
 * restart keeps registrations with their remaining lifetime. A crash loses
 * at most the refreshes of the last flush interval, which phones repeat.
 */
export class LocationService {
  private readonly byAor = new Map<string, Binding[]>();
  private pendingUpserts = new Map<string, Binding>();
  private pendingRemovals = new Map<string, Binding>();
  private flushTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly limits: RegistrarLimits;
  private readonly now: () => number;

  constructor(private readonly options: LocationServiceOptions) {
    this.limits = options.limits ?? defaultRegistrarLimits;
    this.now = options.now ?? Date.now;
  }

  /** Loads the stored bindings that are still alive and starts the flush and sweep timers. */
  async start(): Promise<number> {
    const bindings = await this.options.repository.loadActive(this.now());
    for (const binding of bindings) {
      const key = aorKey(binding.tenantId, binding.aor);
      const list = this.byAor.get(key) ?? [];
      list.push(binding);
      this.byAor.set(key, list);
    }
    this.flushTimer = setInterval(() => void this.flush(), this.options.flushInterval_ms ?? 200);
    this.flushTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepInterval_ms ?? 10_000);
    this.sweepTimer.unref();
    return bindings.length;
  }

  /** Stops the timers and writes what is pending. */
  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.flushTimer = undefined;
    this.sweepTimer = undefined;
    await this.flush();
  }

  /** Applies a REGISTER; on success the change is visible at once and persisted at the next flush. */
  register(request: RegisterRequest): RegisterOutcome {
    const key = aorKey(request.tenantId, request.aor);
    const now = this.now();
    const outcome = processRegister(this.byAor.get(key) ?? [], request, now, this.limits);
    if (outcome.status !== 200) return outcome;
    if (outcome.bindings.length > 0) this.byAor.set(key, [...outcome.bindings]);
    else this.byAor.delete(key);
    for (const binding of outcome.removals) {
      const id = bindingKey(binding);
      this.pendingUpserts.delete(id);
      this.pendingRemovals.set(id, binding);
    }
    for (const binding of outcome.upserts) {
      const id = bindingKey(binding);
      this.pendingRemovals.delete(id);
      this.pendingUpserts.set(id, binding);
    }
    if (outcome.upserts.length > 0 || outcome.removals.length > 0) {
      this.options.onChange?.(request.tenantId, request.aor, outcome.bindings);
    }
    return outcome;
  }

  /** The live bindings of an extension, best first (highest q, then most recent). */
  lookup(tenantId: string, aor: string): Binding[] {
    const now = this.now();
    const list = (this.byAor.get(aorKey(tenantId, aor)) ?? []).filter((b) => b.expiresAt_ms > now);
    return list.sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.registeredAt_ms - a.registeredAt_ms);
  }

  /** Every live binding, optionally of one tenant (for the API and the console). */
  list(tenantId?: string): Binding[] {
    const now = this.now();
    const out: Binding[] = [];
    for (const bindings of this.byAor.values()) {
      for (const binding of bindings) {
        if (binding.expiresAt_ms > now && (tenantId === undefined || binding.tenantId === tenantId))
          out.push(binding);
      }
    }
    return out.sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.aor.localeCompare(b.aor));
  }

  /** Removes a binding whose flow is known dead (a closed connection, failed keep-alives). */
  drop(binding: Binding): void {
    const key = aorKey(binding.tenantId, binding.aor);
    const remaining = (this.byAor.get(key) ?? []).filter((b) => b.contact !== binding.contact);
    if (remaining.length > 0) this.byAor.set(key, remaining);
    else this.byAor.delete(key);
    const id = bindingKey(binding);
    this.pendingUpserts.delete(id);
    this.pendingRemovals.set(id, binding);
    this.options.onChange?.(binding.tenantId, binding.aor, remaining);
  }

  /** Drops every binding made over a stream connection that has closed (RFC 5626 flows). */
  dropConnection(connectionId: string): void {
    for (const bindings of [...this.byAor.values()]) {
      for (const binding of bindings) if (binding.flow.connectionId === connectionId) this.drop(binding);
    }
  }

  /** Forgets an extension's bindings, e.g. when the extension is deleted. */
  dropAor(tenantId: string, aor: string): void {
    for (const binding of this.byAor.get(aorKey(tenantId, aor)) ?? []) this.drop(binding);
  }

  get size(): number {
    let count = 0;
    for (const list of this.byAor.values()) count += list.length;
    return count;
  }

  /** Writes pending changes in one transaction; on failure they stay pending for the next try. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pendingUpserts.size === 0 && this.pendingRemovals.size === 0) return Promise.resolve();
    const upserts = this.pendingUpserts;
    const removals = this.pendingRemovals;
    this.pendingUpserts = new Map();
    this.pendingRemovals = new Map();
    this.flushing = this.options.repository
      .applyChanges([...upserts.values()], [...removals.values()])
      .catch((error: unknown) => {
        // Put them back unless a newer change for the same binding arrived meanwhile.
        for (const [id, binding] of upserts) {
          if (!this.pendingUpserts.has(id) && !this.pendingRemovals.has(id))
            this.pendingUpserts.set(id, binding);
        }
        for (const [id, binding] of removals) {
          if (!this.pendingUpserts.has(id) && !this.pendingRemovals.has(id))
            this.pendingRemovals.set(id, binding);
        }
        this.options.onError?.(error);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async sweep(): Promise<void> {
    const now = this.now();
    for (const [key, bindings] of this.byAor) {
      const live = bindings.filter((b) => b.expiresAt_ms > now);
      if (live.length === bindings.length) continue;
      const first = bindings[0];
      if (live.length > 0) this.byAor.set(key, live);
      else this.byAor.delete(key);
      if (first) this.options.onChange?.(first.tenantId, first.aor, live);
    }
    try {
      await this.options.repository.purgeExpired(now);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
