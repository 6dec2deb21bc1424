import { randomUUID } from 'node:crypto';
import type { CarrierConfig } from '../carriers/carrier-config.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import type { BalanceEntry, BalanceEntryKind, BillingRepository } from './billing-repository.js';
import { type OutsideCallEnded, type RatedCall, type RatingFailure, rateCall } from './call-rating.js';
import { type CreditCheck, checkCredit } from './credit.js';
import type { RateDeckCache } from './rate-deck-cache.js';
import { buildStatement, periodRange, type Statement } from './statement.js';

export type ChargeOutcome =
  | { readonly kind: 'charged'; readonly rated: RatedCall }
  | { readonly kind: 'duplicate'; readonly rated: RatedCall }
  | {
      readonly kind: 'not-rated';
      readonly reason: RatingFailure | 'unknown-tenant' | 'unknown-carrier' | 'currency-mismatch';
    };

export const defaultCurrency = 'EUR';

/**
 * Rating and balances for the running process: charges each answered
 * outside call once (cost from the carrier deck, price from the tenant's
 * price list or cost plus margin), answers credit checks before calls, takes
 * top-ups and builds monthly statements.
 */
export class BillingService {
  constructor(
    private readonly deps: {
      readonly repository: BillingRepository;
      readonly decks: RateDeckCache;
      readonly tenant: (id: string) => TenantConfig | undefined;
      readonly carrier: (id: string) => CarrierConfig | undefined;
      readonly now?: () => number;
    },
  ) {}

  currencyOf(tenant: TenantConfig): string {
    return tenant.billing?.currency ?? defaultCurrency;
  }

  /** Rates and records an ended outside call (idempotent by call id). */
  async chargeCall(call: OutsideCallEnded): Promise<ChargeOutcome> {
    const tenant = this.deps.tenant(call.tenantId);
    if (!tenant) return { kind: 'not-rated', reason: 'unknown-tenant' };
    const carrier = this.deps.carrier(call.carrierId);
    if (!carrier) return { kind: 'not-rated', reason: 'unknown-carrier' };
    const currency = this.currencyOf(tenant);
    const priceListId = tenant.billing?.priceList;
    const priceList =
      priceListId === undefined ? undefined : this.deps.decks.get({ kind: 'pricelist', id: priceListId });
    const pricedByList = priceList?.lookup(call.e164, call.answeredAt_ms ?? call.endedAt_ms) !== undefined;
    if (carrier.currency !== currency && !pricedByList)
      return { kind: 'not-rated', reason: 'currency-mismatch' };
    const outcome = rateCall(
      call,
      { carrier: this.deps.decks.get({ kind: 'carrier', id: carrier.id }), priceList },
      tenant.billing,
      currency,
    );
    if (!outcome.ok) return { kind: 'not-rated', reason: outcome.reason };
    const recorded = await this.deps.repository.recordCharge(outcome.rated);
    return { kind: recorded ? 'charged' : 'duplicate', rated: outcome.rated };
  }

  balance(tenantId: string): Promise<bigint> {
    return this.deps.repository.balance(tenantId);
  }

  /** Whether the tenant's balance and credit limit allow another outside call. */
  async creditCheck(tenantId: string): Promise<CreditCheck> {
    const tenant = this.deps.tenant(tenantId);
    return checkCredit(await this.deps.repository.balance(tenantId), tenant?.billing);
  }

  async addEntry(
    tenantId: string,
    kind: BalanceEntryKind,
    amount_micro: bigint,
    note: string,
  ): Promise<BalanceEntry> {
    const entry: BalanceEntry = {
      id: randomUUID(),
      tenantId,
      at_ms: this.deps.now?.() ?? Date.now(),
      kind,
      amount_micro,
      note,
    };
    await this.deps.repository.addBalanceEntry(entry);
    return entry;
  }

  /** A tenant's statement for a month `YYYY-MM`, or undefined for a malformed period. */
  async statement(
    tenantId: string,
    period: string,
    currency = defaultCurrency,
  ): Promise<Statement | undefined> {
    const range = periodRange(period);
    if (!range) return undefined;
    const tenant = this.deps.tenant(tenantId);
    const [opening, calls, entries] = await Promise.all([
      this.deps.repository.balance(tenantId, range.from_ms),
      this.deps.repository.charges({ tenantId, ...range }),
      this.deps.repository.balanceEntries(tenantId, range.from_ms, range.to_ms),
    ]);
    return buildStatement({
      tenantId,
      period,
      currency: tenant ? this.currencyOf(tenant) : currency,
      openingBalance_micro: opening,
      calls,
      entries,
    });
  }
}
