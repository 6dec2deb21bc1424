/**
 * The rent roll (venture-commune.md §5, §12): per property its tenant,
 * contract rent, the last auction's rent, arrears by age and vacancy; per
 * enterprise its arrears and whether it holds property past the grace period.
 */
import { daysBetween, type IsoDate } from '../dates.js';
import { annualRent, heldPastGrace } from '../queries.js';
import type { LeaseFrequency, PropertyKind } from '../schema-primitives.js';
import type { CommuneState } from '../state.js';

export interface Arrears {
  readonly total_minor: bigint;
  readonly days_0_30_minor: bigint;
  readonly days_31_60_minor: bigint;
  readonly days_61_90_minor: bigint;
  readonly days_over_90_minor: bigint;
}

export interface RentRollRow {
  readonly property: string;
  readonly description: string;
  readonly kind: PropertyKind;
  readonly owner: string;
  readonly status: string;
  readonly vacant: boolean;
  readonly tenant: string | null;
  readonly lease: string | null;
  readonly currency: string | null;
  readonly contract_rent_minor: bigint | null;
  readonly frequency: LeaseFrequency | null;
  readonly annual_rent_minor: bigint;
  readonly last_auction_rent_minor: bigint | null;
  readonly on_auction_until: IsoDate | null;
  readonly book_value_minor: bigint;
  readonly series: string | null;
  /** Per currency. */
  readonly arrears: Readonly<Record<string, Arrears>>;
}

export interface EnterpriseRow {
  readonly enterprise: string;
  readonly name: string;
  readonly status: string;
  readonly leases: number;
  readonly arrears: Readonly<Record<string, Arrears>>;
  readonly held_property: readonly string[];
  readonly past_grace: readonly string[];
  readonly flagged: boolean;
}

export interface RentRoll {
  readonly as_of: IsoDate;
  readonly properties: readonly RentRollRow[];
  readonly enterprises: readonly EnterpriseRow[];
  readonly annual_rent_roll_minor: bigint;
}

type MutableArrears = { -readonly [K in keyof Arrears]: Arrears[K] };

function empty(): MutableArrears {
  return {
    total_minor: 0n,
    days_0_30_minor: 0n,
    days_31_60_minor: 0n,
    days_61_90_minor: 0n,
    days_over_90_minor: 0n,
  };
}

function addArrears(
  bucket: Record<string, MutableArrears>,
  currency: string,
  amount: bigint,
  ageDays: number,
) {
  const a = bucket[currency] ?? empty();
  a.total_minor += amount;
  if (ageDays <= 30) a.days_0_30_minor += amount;
  else if (ageDays <= 60) a.days_31_60_minor += amount;
  else if (ageDays <= 90) a.days_61_90_minor += amount;
  else a.days_over_90_minor += amount;
  bucket[currency] = a;
}

export function rentRoll(state: CommuneState, asOf?: IsoDate): RentRoll {
  const date = asOf ?? state.meta.value.last_date ?? '1970-01-01';
  const byProperty = new Map<string, Record<string, MutableArrears>>();
  const byEnterprise = new Map<string, Record<string, MutableArrears>>();
  for (const invoice of state.invoices.values()) {
    const unpaid = invoice.amount_minor - invoice.paid_minor;
    if (unpaid === 0n || invoice.due_on > date) continue;
    const age = daysBetween(invoice.due_on, date);
    const p = byProperty.get(invoice.property) ?? {};
    addArrears(p, invoice.currency, unpaid, age);
    byProperty.set(invoice.property, p);
    const e = byEnterprise.get(invoice.enterprise) ?? {};
    addArrears(e, invoice.currency, unpaid, age);
    byEnterprise.set(invoice.enterprise, e);
  }
  const properties: RentRollRow[] = [];
  for (const property of state.properties.values()) {
    const leaseId = state.activeLease.get(property.id);
    const lease = leaseId === undefined ? undefined : state.leases.get(leaseId);
    const auction = state.rentAuctions.get(property.id);
    const owned = 'commune' in property.owner;
    properties.push({
      property: property.id,
      description: property.description,
      kind: property.kind,
      owner: owned ? 'commune' : `enterprise:${(property.owner as { enterprise: string }).enterprise}`,
      status: property.status,
      vacant: owned && property.status === 'vacant',
      tenant: lease?.enterprise ?? null,
      lease: lease?.id ?? null,
      currency: lease?.currency ?? null,
      contract_rent_minor: lease?.rent_minor ?? null,
      frequency: lease?.frequency ?? null,
      annual_rent_minor: lease ? annualRent(lease) : 0n,
      last_auction_rent_minor: property.last_auction_rent_minor,
      on_auction_until: auction?.status === 'open' ? auction.closes_on : null,
      book_value_minor: property.book_value_minor,
      series: property.series,
      arrears: byProperty.get(property.id) ?? {},
    });
  }
  const enterprises: EnterpriseRow[] = [];
  for (const enterprise of state.enterprises.values()) {
    const held = state.heldByEnterprise.get(enterprise.id) ?? [];
    const late = heldPastGrace(state, enterprise.id, date).map((p) => p.id);
    enterprises.push({
      enterprise: enterprise.id,
      name: enterprise.name,
      status: enterprise.status,
      leases: state.activeLeaseCount.get(enterprise.id) ?? 0,
      arrears: byEnterprise.get(enterprise.id) ?? {},
      held_property: held,
      past_grace: late,
      flagged: late.length > 0,
    });
  }
  return {
    as_of: date,
    properties: properties.sort((a, b) => (a.property < b.property ? -1 : 1)),
    enterprises: enterprises.sort((a, b) => (a.enterprise < b.enterprise ? -1 : 1)),
    annual_rent_roll_minor: state.rentRollAnnual.value,
  };
}
