/**
 * The records the commune's state is made of (venture-commune.md §2). They are
 * immutable values: a change replaces the record.
 */
import type { AuctionResult } from './bond-auction.js';
import type { Bylaws } from './bylaws.js';
import type { ProposalPayload } from './commands.js';
import type { IsoDate, Period } from './dates.js';
import type { HolderRef } from './ledger/account.js';
import type { CurrencyCode } from './money.js';
import type { Waterfall } from './rent-waterfall.js';
import type { LeaseFrequency, PropertyKind } from './schema-primitives.js';

export type Phase = 'pre-commune' | 'incorporated';

export interface CommuneMeta {
  readonly phase: Phase;
  readonly name: string | null;
  readonly currency: CurrencyCode;
  readonly outside_currency: CurrencyCode;
  readonly bylaws: Bylaws;
  readonly incorporated_on: IsoDate | null;
  /** Effective date of the latest accepted command; dates never go back. */
  readonly last_date: IsoDate | null;
}

/**
 * Running counts kept beside the meta data (a change is one number, not a
 * new record): generated identifiers, ledger transactions, log entries, and
 * shares cancelled (issued minus cancelled is shares outstanding).
 */
export type CounterName =
  | 'share'
  | 'employment'
  | 'lease'
  | 'bid'
  | 'transaction'
  | 'entries'
  | 'shares_cancelled';

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly contact: string | null;
  readonly registered_on: IsoDate;
}

export type EnterpriseStatus = 'co-op' | 'commune-enterprise';

export interface Enterprise {
  readonly id: string;
  readonly name: string;
  readonly status: EnterpriseStatus;
  readonly founded_on: IsoDate;
}

export interface Employment {
  readonly id: string;
  readonly person: string;
  readonly enterprise: string;
  readonly from: IsoDate;
  readonly to: IsoDate | null;
}

export interface LabourTotal {
  readonly person: string;
  readonly centihours: number;
  /** Hours applied to the commune directly, not through an enterprise. */
  readonly commune_centihours: number;
  readonly records: number;
  readonly last_on: IsoDate;
}

export interface Application {
  readonly person: string;
  readonly filed_on: IsoDate;
}

export interface Share {
  readonly id: string;
  readonly person: string;
  readonly issued_on: IsoDate;
  readonly cancelled_on: IsoDate | null;
  /** The labour and threshold the share was issued against (§3.1). */
  readonly labour_centihours: number;
  readonly threshold_centihours: number;
}

export type PropertyOwner = { readonly commune: true } | { readonly enterprise: string };

export type PropertyStatus = 'held' | 'leased' | 'vacant' | 'liquidated';

export interface Property {
  readonly id: string;
  readonly kind: PropertyKind;
  readonly description: string;
  readonly currency: CurrencyCode;
  readonly cost_minor: bigint;
  readonly book_value_minor: bigint;
  readonly owner: PropertyOwner;
  readonly acquired_on: IsoDate;
  /** For property an enterprise acquired after incorporation: when the grace period started (§3.2). */
  readonly held_since: IsoDate | null;
  readonly status: PropertyStatus;
  /** The bond series that financed it and that its rent serves first (§6). */
  readonly series: string | null;
  readonly last_auction_rent_minor: bigint | null;
}

export interface Lease {
  readonly id: string;
  readonly property: string;
  readonly enterprise: string;
  readonly rent_minor: bigint;
  readonly currency: CurrencyCode;
  readonly frequency: LeaseFrequency;
  readonly start: IsoDate;
  /** The last period invoiced under the term, if the lease has a term. */
  readonly last_period: Period | null;
  readonly ended_on: IsoDate | null;
  readonly end_reason: 'surrendered' | 'expired' | 'default' | 'liquidated' | null;
  readonly source: 'lease' | 'leaseback' | 'acquisition' | 'auction';
}

export interface RentInvoice {
  readonly id: string;
  readonly lease: string;
  readonly property: string;
  readonly enterprise: string;
  readonly period: Period;
  readonly currency: CurrencyCode;
  readonly amount_minor: bigint;
  readonly due_on: IsoDate;
  readonly paid_minor: bigint;
}

export interface AcquisitionRequest {
  readonly id: string;
  readonly enterprise: string;
  readonly property: string;
  readonly kind: PropertyKind;
  readonly description: string;
  readonly price_minor: bigint;
  readonly seller: string;
  readonly rent_minor: bigint;
  readonly currency: CurrencyCode;
  readonly frequency: LeaseFrequency;
  readonly term_months: number | null;
  readonly requested_on: IsoDate;
  readonly status: 'open' | 'financing' | 'completed' | 'failed';
  readonly series: string | null;
}

export interface RentAuctionBid {
  readonly bid: string;
  readonly enterprise: string;
  readonly rent_minor: bigint;
  readonly seq: number;
  readonly placed_on: IsoDate;
}

export interface RentAuction {
  readonly property: string;
  readonly opened_on: IsoDate;
  readonly closes_on: IsoDate;
  readonly min_rent_minor: bigint | null;
  readonly currency: CurrencyCode;
  readonly frequency: LeaseFrequency;
  readonly term_months: number | null;
  readonly status: 'open' | 'closed';
  readonly bids: readonly RentAuctionBid[];
  readonly winner: RentAuctionBid | null;
}

export interface BondBid {
  readonly bid: string;
  readonly bidder: string;
  readonly quantity: number;
  readonly min_yield_bp: number;
  readonly seq: number;
  readonly placed_on: IsoDate;
}

export type SeriesStatus = 'auction' | 'issued' | 'failed' | 'redeemed';

export interface BondSeries {
  readonly id: string;
  readonly purpose: string;
  readonly request: string | null;
  /** The property the series finances: its collateral (§6). */
  readonly property: string | null;
  readonly face_minor: bigint;
  readonly quantity: number;
  readonly term_months: number;
  readonly coupon_frequency: number;
  readonly per_bidder_cap_bp: number | null;
  readonly opened_on: IsoDate;
  readonly closes_on: IsoDate | null;
  readonly sale: 'auction' | 'direct';
  readonly status: SeriesStatus;
  readonly coupon_bp: number | null;
  readonly issued_on: IsoDate | null;
  readonly bids: readonly BondBid[];
  readonly result: AuctionResult | null;
  /** Proceeds still earmarked for the series' purpose. */
  readonly earmarked_minor: bigint;
}

export interface BondHolding {
  readonly series: string;
  readonly holder: HolderRef;
  readonly quantity: number;
  readonly coupons_paid_minor: bigint;
  readonly principal_paid_minor: bigint;
  /** Coupons fallen due and not paid: a reported default (§6). */
  readonly coupons_overdue_minor: bigint;
  readonly principal_overdue_minor: bigint;
}

export interface BondRun {
  readonly period: Period;
  readonly run_on: IsoDate;
  readonly due_minor: bigint;
  readonly paid_minor: bigint;
  readonly missed_minor: bigint;
}

export interface Distribution {
  readonly period: Period;
  readonly currency: CurrencyCode;
  readonly date: IsoDate;
  readonly waterfall: Waterfall;
}

export interface Proposal {
  readonly id: string;
  readonly proposer: string;
  readonly title: string;
  readonly payload: ProposalPayload;
  readonly opened_on: IsoDate;
  readonly closes_on: IsoDate;
  readonly status: 'open' | 'passed' | 'failed';
  readonly yes: number;
  readonly no: number;
  readonly abstain: number;
  readonly members_at_close: number | null;
  readonly executed: boolean;
  readonly execution_error: string | null;
}

export interface JournalEntry {
  /** Transaction number, from 1. */
  readonly n: number;
  readonly date: IsoDate;
  readonly event: string;
  readonly currency: CurrencyCode;
  readonly memo: string;
  readonly lines: readonly { readonly account: string; readonly amount_minor: bigint }[];
}
