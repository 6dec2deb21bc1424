import type { RatedCall } from './call-rating.js';
import type { RateTable } from './rate-table.js';

export type BalanceEntryKind = 'topup' | 'adjustment' | 'payment';

/** A movement of a tenant's balance other than calls: a prepaid top-up, a payment, a correction. */
export interface BalanceEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly at_ms: number;
  readonly kind: BalanceEntryKind;
  /** Positive credits the tenant, negative debits. */
  readonly amount_micro: bigint;
  readonly note: string;
}

/** The storage port of rating and balances; packages/store implements it. */
export interface BillingRepository {
  /** Records a rated call once; false when this call was already charged. */
  recordCharge(call: RatedCall): Promise<boolean>;
  addBalanceEntry(entry: BalanceEntry): Promise<void>;
  /** Entries minus charged prices, over all time before `before_ms` (default: now and ever). */
  balance(tenantId: string, before_ms?: number): Promise<bigint>;
  /** Charges answered in [from_ms, to_ms), oldest first; every tenant when tenantId is undefined. */
  charges(query: { tenantId?: string; from_ms: number; to_ms: number; limit?: number }): Promise<RatedCall[]>;
  balanceEntries(tenantId: string, from_ms: number, to_ms: number): Promise<BalanceEntry[]>;
  /** Price per tenant and extension of calls answered since `since_ms` (the fraud guard's spend today). */
  spendSince(
    since_ms: number,
  ): Promise<{ tenantId: string; extension: string | undefined; price_micro: bigint }[]>;
  /** The period's revenue booking, if it was booked. */
  revenueBooking(period: string): Promise<RevenueBooking | undefined>;
  saveRevenueBooking(booking: RevenueBooking): Promise<void>;
}

export interface RevenueBooking {
  readonly period: string;
  readonly amount_minor: bigint;
  readonly currency: string;
  readonly bookedAt: string;
  /** What the ledger answered, e.g. the commune transaction id, or why nothing was booked. */
  readonly reference: string;
}

/** Who a rate deck belongs to: a carrier (its costs) or a price list (tenants' prices). */
export type RateDeckOwner =
  | { readonly kind: 'carrier'; readonly id: string }
  | { readonly kind: 'pricelist'; readonly id: string };

export function ownerKey(owner: RateDeckOwner): string {
  return `${owner.kind}:${owner.id}`;
}

export function parseOwnerKey(key: string): RateDeckOwner | undefined {
  const match = /^(carrier|pricelist):([a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?)$/.exec(key);
  return match ? { kind: match[1] as 'carrier' | 'pricelist', id: match[2] as string } : undefined;
}

export interface RateDeckInfo {
  readonly owner: RateDeckOwner;
  readonly id: string;
  readonly currency: string;
  readonly rows: number;
  readonly sha256: string;
  readonly source: string;
  readonly importedAt: string;
}

/** The storage port of rate decks. */
export interface RateDeckRepository {
  /**
   * Replaces the owner's deck with this one in one transaction: readers see
   * the old deck or the new one, never a mix or none.
   */
  replaceDeck(
    info: Omit<RateDeckInfo, 'id' | 'rows'>,
    table: RateTable,
    onProgress?: (rowsWritten: number) => void,
  ): Promise<RateDeckInfo>;
  loadDeck(owner: RateDeckOwner): Promise<{ info: RateDeckInfo; table: RateTable } | undefined>;
  listDecks(): Promise<RateDeckInfo[]>;
  deleteDeck(owner: RateDeckOwner): Promise<boolean>;
}
