/**
 * Read-only questions about the state, shared by deciders, invariants and
 * reports.
 */
import { toCentihours } from './bylaws.js';
import { addDays, type IsoDate } from './dates.js';
import { commune, type HolderRef } from './ledger/account.js';
import { basisPointsOf } from './money.js';
import type { Lease, Property, Share } from './records.js';
import type { LeaseFrequency } from './schema-primitives.js';
import type { CommuneState } from './state.js';

export function key(...parts: readonly (string | number)[]): string {
  return parts.join(' ');
}

export function frequencyMonths(frequency: LeaseFrequency): number {
  return frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
}

/** Rent per year of a lease, at par across currencies (§4). */
export function annualRent(lease: Pick<Lease, 'rent_minor' | 'frequency'>): bigint {
  return lease.rent_minor * BigInt(12 / frequencyMonths(lease.frequency));
}

export function balance(state: CommuneState, account: string, currency: string): bigint {
  return state.balances.get(key(currency, account)) ?? 0n;
}

export function isMember(state: CommuneState, person: string): boolean {
  return state.members.has(person);
}

export function labourCentihours(state: CommuneState, person: string): number {
  return state.labour.get(person)?.centihours ?? 0;
}

export function thresholdCentihours(state: CommuneState): number {
  return toCentihours(state.bylaws.labour_threshold_hours);
}

export function meetsThreshold(state: CommuneState, person: string): boolean {
  return labourCentihours(state, person) >= thresholdCentihours(state);
}

/** Enterprises a person works for now. */
export function employersOf(state: CommuneState, person: string): string[] {
  const ids = state.employmentsByPerson.get(person) ?? [];
  const employers: string[] = [];
  for (const id of ids) {
    const employment = state.employments.get(id);
    if (employment && employment.to === null) employers.push(employment.enterprise);
  }
  return employers;
}

export function holdsLease(state: CommuneState, enterprise: string): boolean {
  return (state.activeLeaseCount.get(enterprise) ?? 0) > 0;
}

/**
 * Eligible for membership (§3.4): the person's labour works commune property,
 * because they are employed by an enterprise that leases it or they work for
 * the commune directly.
 */
export function isEligible(state: CommuneState, person: string): boolean {
  if (state.meta.value.phase !== 'incorporated') return false;
  if ((state.labour.get(person)?.commune_centihours ?? 0) > 0) return true;
  return employersOf(state, person).some((enterprise) => holdsLease(state, enterprise));
}

/** Properties an enterprise has held past the bylaw grace period on `date` (§3.2). */
export function heldPastGrace(state: CommuneState, enterprise: string, date: IsoDate): Property[] {
  const ids = state.heldByEnterprise.get(enterprise) ?? [];
  const grace = state.bylaws.grace_period_days;
  const late: Property[] = [];
  for (const id of ids) {
    const property = state.properties.get(id);
    if (property?.held_since && addDays(property.held_since, grace) < date) late.push(property);
  }
  return late;
}

/** Commune currency issued and not retired (§4). */
export function currencyOutstanding(state: CommuneState): bigint {
  return -balance(state, commune.currencyOutstanding, state.meta.value.currency);
}

/** The most currency that may be outstanding: backing ratio × annual rent roll (§4). */
export function currencyCap(state: CommuneState): bigint {
  return basisPointsOf(state.rentRollAnnual.value, state.bylaws.rent_backing_ratio_bp);
}

/** Shares in issue on a date, in order of issue. */
export function sharesAt(state: CommuneState, date: IsoDate): Share[] {
  const shares: Share[] = [];
  for (const share of state.shares.values()) {
    if (share.issued_on <= date && (share.cancelled_on === null || share.cancelled_on > date))
      shares.push(share);
  }
  return shares;
}

export function holderRef(kind: 'person' | 'enterprise', id: string): HolderRef {
  return `${kind}:${id}`;
}

export function activeLeaseOf(state: CommuneState, property: string): Lease | undefined {
  const id = state.activeLease.get(property);
  return id === undefined ? undefined : state.leases.get(id);
}
