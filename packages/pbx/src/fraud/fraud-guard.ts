import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { NumberClass } from '../numbering/number-class.js';
import type { FraudAlert, FraudAlertSink } from './fraud-alert.js';
import type { FraudLimits, FraudPolicy } from './fraud-policy.js';

/** An outside call as the fraud guard sees it. */
export interface FraudCall {
  readonly callId: string;
  readonly tenantId: string;
  /** The extension responsible (the caller, or whose forwarding or ring group leads outside). */
  readonly extension: string | undefined;
  readonly e164: string;
  readonly numberClass: NumberClass;
}

export type FraudDenyReason =
  | 'suspended'
  | 'blocked-prefix'
  | 'blocked-class'
  | 'tenant-concurrency'
  | 'extension-concurrency'
  | 'new-destination-concurrency'
  | 'tenant-spend'
  | 'extension-spend'
  | 'new-destination-spend'
  | 'unknown-tenant';

export type FraudDecision = { readonly allow: true } | FraudDenial;

export interface FraudDenial {
  readonly allow: false;
  readonly reason: FraudDenyReason;
  readonly message: string;
}

export interface Suspension {
  readonly tenantId: string;
  /** Undefined: the whole tenant's outside calling. */
  readonly extension: string | undefined;
  readonly reason: string;
  readonly since_ms: number;
}

export interface KnownDestination {
  readonly tenantId: string;
  readonly key: string;
  readonly firstCalled_ms: number;
}

/** What the guard tells the rest of the system; the server persists and acts on these. */
export interface FraudGuardHooks {
  readonly alerts: FraudAlertSink;
  /** Calls to end now because their scope breached a limit or was suspended. */
  cut?(callIds: readonly string[], reason: string): void;
  suspended?(suspension: Suspension): void;
  lifted?(tenantId: string, extension: string | undefined): void;
  destinationFirstCalled?(destination: KnownDestination): void;
}

interface ActiveCall {
  readonly call: FraudCall;
  readonly newDestination: boolean;
}

const hour_ms = 3_600_000;
const day_ms = 86_400_000;
/** At most one limit-denied alert per scope in this time. */
const alertQuiet_ms = 60_000;

const tenantScope = (tenantId: string) => `${tenantId}\u0000`;
const extensionScope = (tenantId: string, extension: string | undefined) =>
  `${tenantId}\u0000${extension ?? ''}`;

/**
 * The toll-fraud guard (pbx.md §6), in memory on the call path: the router
 * asks `authorise` before routing an outside call, reports `callStarted`,
 * `costAccrued` while it lasts and `callEnded`. Limits per tenant and per
 * extension on concurrent outside calls and spend per UTC day; blocked
 * prefixes and number classes; lower limits for international destinations
 * (by country code) first called today; and on a breach, an alert and
 * automatic suspension of the scope's outside calling, with its calls cut.
 * Emergency calls are always allowed. Persisted state (suspensions, known
 * destinations, today's spend) is loaded with `restore`.
 */
export class FraudGuard {
  private readonly active = new Map<string, ActiveCall>();
  private readonly concurrent = new Map<string, number>();
  private readonly spend = new Map<string, bigint>();
  private day = -1;
  private readonly suspensions = new Map<string, Suspension>();
  private readonly known = new Map<string, number>();
  private readonly denials = new Map<string, number[]>();
  private readonly lastAlert = new Map<string, number>();

  constructor(
    private readonly policyOf: (tenantId: string) => FraudPolicy | undefined,
    private readonly hooks: FraudGuardHooks,
    private readonly now: () => number = Date.now,
  ) {}

  restore(state: {
    suspensions?: readonly Suspension[];
    knownDestinations?: readonly KnownDestination[];
    spendToday?: readonly { tenantId: string; extension: string | undefined; price_micro: bigint }[];
  }): void {
    for (const s of state.suspensions ?? []) this.suspensions.set(extensionScope(s.tenantId, s.extension), s);
    for (const d of state.knownDestinations ?? [])
      this.known.set(`${d.tenantId}\u0000${d.key}`, d.firstCalled_ms);
    this.rollDay();
    for (const s of state.spendToday ?? []) {
      this.addSpend(`t:${tenantScope(s.tenantId)}`, s.price_micro);
      this.addSpend(`e:${extensionScope(s.tenantId, s.extension)}`, s.price_micro);
    }
  }

  authorise(call: FraudCall): FraudDecision {
    if (call.numberClass === 'emergency') return { allow: true };
    const policy = this.policyOf(call.tenantId);
    if (!policy) return { allow: false, reason: 'unknown-tenant', message: `no tenant ${call.tenantId}` };
    this.rollDay();
    const suspension =
      this.suspensions.get(tenantScope(call.tenantId)) ??
      this.suspensions.get(extensionScope(call.tenantId, call.extension));
    if (suspension) {
      return {
        allow: false,
        reason: 'suspended',
        message: `outside calling is suspended: ${suspension.reason}`,
      };
    }
    const digits = call.e164.startsWith('+') ? call.e164.slice(1) : call.e164;
    const prefix = policy.blockedPrefixes.find((p) => digits.startsWith(p));
    if (prefix !== undefined) {
      return { allow: false, reason: 'blocked-prefix', message: `calls to +${prefix} are blocked` };
    }
    if (policy.blockedClasses.has(call.numberClass)) {
      return {
        allow: false,
        reason: 'blocked-class',
        message: `calls to ${call.numberClass} numbers are blocked`,
      };
    }
    const limits = policy.extension(call.extension);
    const isNew = this.isNewDestination(call);
    const denial =
      this.overLimit(
        call,
        'tenant',
        policy.tenant,
        `t:${tenantScope(call.tenantId)}`,
        tenantScope(call.tenantId),
      ) ??
      this.overLimit(
        call,
        'extension',
        limits,
        `e:${extensionScope(call.tenantId, call.extension)}`,
        extensionScope(call.tenantId, call.extension),
      ) ??
      (isNew
        ? this.overLimit(
            call,
            'new-destination',
            policy.newDestination,
            `n:${tenantScope(call.tenantId)}`,
            `n:${tenantScope(call.tenantId)}`,
          )
        : undefined);
    if (denial) {
      this.recordDenial(call, policy, denial.message);
      return denial;
    }
    return { allow: true };
  }

  /** The router started routing an authorised call to a carrier; it counts as concurrent until `callEnded`. */
  callStarted(call: FraudCall): void {
    if (call.numberClass === 'emergency' || this.active.has(call.callId)) return;
    const newDestination = this.isNewDestination(call);
    const key = destinationKey(call);
    if (key !== undefined && !this.known.has(`${call.tenantId}\u0000${key}`)) {
      const firstCalled_ms = this.now();
      this.known.set(`${call.tenantId}\u0000${key}`, firstCalled_ms);
      this.hooks.destinationFirstCalled?.({ tenantId: call.tenantId, key, firstCalled_ms });
    }
    this.active.set(call.callId, { call, newDestination });
    this.bump(tenantScope(call.tenantId), 1);
    this.bump(extensionScope(call.tenantId, call.extension), 1);
    if (newDestination) this.bump(`n:${tenantScope(call.tenantId)}`, 1);
  }

  callEnded(callId: string): void {
    const entry = this.active.get(callId);
    if (!entry) return;
    this.active.delete(callId);
    const { call } = entry;
    this.bump(tenantScope(call.tenantId), -1);
    this.bump(extensionScope(call.tenantId, call.extension), -1);
    if (entry.newDestination) this.bump(`n:${tenantScope(call.tenantId)}`, -1);
  }

  /**
   * Adds what a call has cost so far (the router reports as it goes, e.g.
   * each increment, and the rest at the end). Crossing a spend limit
   * suspends the scope and cuts its calls.
   */
  costAccrued(callId: string, price_micro: bigint): void {
    const entry = this.active.get(callId);
    if (!entry || price_micro <= 0n) return;
    this.rollDay();
    const { call } = entry;
    const policy = this.policyOf(call.tenantId);
    if (!policy) return;
    const tenantKey = `t:${tenantScope(call.tenantId)}`;
    const extensionKey = `e:${extensionScope(call.tenantId, call.extension)}`;
    const newKey = `n:${tenantScope(call.tenantId)}`;
    this.addSpend(tenantKey, price_micro);
    this.addSpend(extensionKey, price_micro);
    if (entry.newDestination) this.addSpend(newKey, price_micro);
    const over = (key: string, limits: FraudLimits) =>
      (this.spend.get(key) ?? 0n) > limits.maxSpendPerDay_micro;
    if (over(tenantKey, policy.tenant)) {
      this.breach(call, undefined, 'the tenant spend limit per day was exceeded', policy);
    } else if (over(extensionKey, policy.extension(call.extension))) {
      this.breach(
        call,
        call.extension,
        `extension ${call.extension ?? '-'} exceeded its spend limit per day`,
        policy,
      );
    } else if (entry.newDestination && over(newKey, policy.newDestination)) {
      this.breach(
        call,
        call.extension,
        'spend on newly called destinations exceeded its limit per day',
        policy,
      );
    }
  }

  /** Suspends outside calling of a tenant (extension undefined) or one extension, and cuts its calls. */
  suspend(tenantId: string, extension: string | undefined, reason: string): Suspension {
    const scope = extensionScope(tenantId, extension);
    const existing = this.suspensions.get(scope);
    if (existing) return existing;
    const suspension: Suspension = { tenantId, extension, reason, since_ms: this.now() };
    this.suspensions.set(scope, suspension);
    this.hooks.suspended?.(suspension);
    this.alert({ kind: 'suspended', tenantId, extension, message: `outside calling suspended: ${reason}` });
    const cut = [...this.active.values()]
      .filter(
        (a) => a.call.tenantId === tenantId && (extension === undefined || a.call.extension === extension),
      )
      .map((a) => a.call.callId);
    if (cut.length > 0) this.hooks.cut?.(cut, reason);
    return suspension;
  }

  lift(tenantId: string, extension: string | undefined): boolean {
    const scope = extensionScope(tenantId, extension);
    if (!this.suspensions.delete(scope)) return false;
    this.denials.delete(scope);
    this.hooks.lifted?.(tenantId, extension);
    this.alert({ kind: 'lifted', tenantId, extension, message: 'outside calling resumed' });
    return true;
  }

  listSuspensions(tenantId?: string): Suspension[] {
    return [...this.suspensions.values()].filter((s) => tenantId === undefined || s.tenantId === tenantId);
  }

  /** Today's figures for a tenant, for the API. */
  usage(tenantId: string): { concurrentCalls: number; spentToday_micro: bigint } {
    this.rollDay();
    return {
      concurrentCalls: this.concurrent.get(tenantScope(tenantId)) ?? 0,
      spentToday_micro: this.spend.get(`t:${tenantScope(tenantId)}`) ?? 0n,
    };
  }

  private isNewDestination(call: FraudCall): boolean {
    const key = destinationKey(call);
    if (key === undefined) return false;
    const first = this.known.get(`${call.tenantId}\u0000${key}`);
    return first === undefined || Math.floor(first / day_ms) === Math.floor(this.now() / day_ms);
  }

  private overLimit(
    call: FraudCall,
    scope: 'tenant' | 'extension' | 'new-destination',
    limits: FraudLimits,
    spendKey: string,
    concurrencyKey: string,
  ): FraudDenial | undefined {
    const what =
      scope === 'tenant'
        ? 'the tenant'
        : scope === 'extension'
          ? `extension ${call.extension ?? '-'}`
          : 'new destinations';
    if ((this.concurrent.get(concurrencyKey) ?? 0) >= limits.maxConcurrentCalls) {
      return {
        allow: false,
        reason: `${scope}-concurrency`,
        message: `${what} already has ${limits.maxConcurrentCalls} concurrent outside calls`,
      };
    }
    if ((this.spend.get(spendKey) ?? 0n) >= limits.maxSpendPerDay_micro) {
      return { allow: false, reason: `${scope}-spend`, message: `${what} reached its spend limit for today` };
    }
    return undefined;
  }

  private recordDenial(call: FraudCall, policy: FraudPolicy, message: string): void {
    const scope = extensionScope(call.tenantId, call.extension);
    const now = this.now();
    const recent = (this.denials.get(scope) ?? []).filter((t) => now - t < hour_ms);
    recent.push(now);
    // Bounded: only the count within the hour matters.
    this.denials.set(scope, recent.slice(-policy.maxDeniedPerHour));
    if ((this.lastAlert.get(scope) ?? -Infinity) + alertQuiet_ms <= now) {
      this.lastAlert.set(scope, now);
      this.alert(
        {
          kind: 'limit-denied',
          tenantId: call.tenantId,
          extension: call.extension,
          callId: call.callId,
          message: `call to ${call.e164} refused: ${message}`,
        },
        policy,
      );
    }
    if (recent.length >= policy.maxDeniedPerHour) {
      this.suspend(
        call.tenantId,
        call.extension,
        `${recent.length} outside calls refused for limits within an hour`,
      );
    }
  }

  private breach(call: FraudCall, extension: string | undefined, reason: string, policy: FraudPolicy): void {
    this.alert(
      { kind: 'spend-breach', tenantId: call.tenantId, extension, callId: call.callId, message: reason },
      policy,
    );
    this.suspend(call.tenantId, extension, reason);
  }

  private alert(alert: Omit<FraudAlert, 'at'>, policy = this.policyOf(alert.tenantId)): void {
    this.hooks.alerts.alert({ ...alert, at: new Date(this.now()).toISOString() }, policy?.alertWebhook);
  }

  private bump(key: string, delta: number): void {
    const next = (this.concurrent.get(key) ?? 0) + delta;
    if (next <= 0) this.concurrent.delete(key);
    else this.concurrent.set(key, next);
  }

  private addSpend(key: string, micro: bigint): void {
    this.spend.set(key, (this.spend.get(key) ?? 0n) + micro);
  }

  /** Spend counts per UTC day: a new day starts from zero. */
  private rollDay(): void {
    const today = Math.floor(this.now() / day_ms);
    if (today !== this.day) {
      this.day = today;
      this.spend.clear();
    }
  }
}

/** International and premium calls are tracked by country calling code; domestic calls are never "new". */
function destinationKey(call: FraudCall): string | undefined {
  if (call.numberClass !== 'international' && call.numberClass !== 'premium') return undefined;
  return parsePhoneNumberFromString(call.e164)?.countryCallingCode ?? call.e164.slice(1, 4);
}
