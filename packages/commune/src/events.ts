/**
 * The events of the commune: facts, in the past tense. Every event carries the
 * effective date of the command that caused it; every event that moves value
 * carries its balanced transactions (venture-commune.md §4, §11). Amount
 * fields end in `_minor` (the canonical encoding relies on it).
 */
import type { AuctionResult } from './bond-auction.js';
import type { Bylaws } from './bylaws.js';
import type { ProposalPayload } from './commands.js';
import type { IsoDate, Period } from './dates.js';
import type { HolderRef } from './ledger/account.js';
import type { Transaction } from './ledger/transaction.js';
import type { CurrencyCode } from './money.js';
import type { EnterpriseStatus, Lease, RentAuctionBid } from './records.js';
import type { Waterfall } from './rent-waterfall.js';
import type { LeaseFrequency, PropertyKind } from './schema-primitives.js';

interface Fact<T extends string> {
  readonly type: T;
  readonly date: IsoDate;
}

interface Posting {
  readonly transactions: readonly Transaction[];
}

export interface CommuneIncorporated extends Fact<'commune-incorporated'> {
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly outside_currency: CurrencyCode;
  readonly bylaws: Bylaws;
}

export interface BylawsAmended extends Fact<'bylaws-amended'> {
  readonly bylaws: Bylaws;
}

export interface PersonRegistered extends Fact<'person-registered'> {
  readonly person: string;
  readonly name: string;
  readonly contact: string | null;
}

export interface EnterpriseFounded extends Fact<'enterprise-founded'>, Posting {
  readonly enterprise: string;
  readonly name: string;
  readonly status: EnterpriseStatus;
}

export interface EnterpriseJoinedCommune extends Fact<'enterprise-joined-commune'> {
  readonly enterprise: string;
}

export interface EmploymentStarted extends Fact<'employment-started'> {
  readonly employment: string;
  readonly person: string;
  readonly enterprise: string;
}

export interface EmploymentEnded extends Fact<'employment-ended'> {
  readonly employment: string;
}

export interface LabourRecorded extends Fact<'labour-recorded'> {
  readonly person: string;
  readonly enterprise: string | null;
  readonly centihours: number;
  readonly note: string | null;
}

export interface ApplicationFiled extends Fact<'application-filed'> {
  readonly person: string;
}

export interface MemberAdmitted extends Fact<'member-admitted'> {
  readonly person: string;
  readonly share: string;
  readonly labour_centihours: number;
  readonly threshold_centihours: number;
  readonly via: 'incorporation' | 'application' | 'admission';
}

export interface MemberResigned extends Fact<'member-resigned'> {
  readonly person: string;
  readonly share: string;
}

export interface PropertyRegistered extends Fact<'property-registered'>, Posting {
  readonly property: string;
  readonly enterprise: string;
  readonly kind: PropertyKind;
  readonly description: string;
  readonly currency: CurrencyCode;
  readonly cost_minor: bigint;
  readonly book_value_minor: bigint;
  readonly held_since: IsoDate | null;
}

export interface AcquisitionRequested extends Fact<'acquisition-requested'> {
  readonly request: string;
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
}

export interface AcquisitionFailed extends Fact<'acquisition-failed'> {
  readonly request: string;
  readonly reason: string;
}

export interface PropertyAcquired extends Fact<'property-acquired'>, Posting {
  readonly property: string;
  readonly kind: PropertyKind;
  readonly description: string;
  readonly currency: CurrencyCode;
  readonly cost_minor: bigint;
  readonly seller: string;
  readonly series: string | null;
  readonly request: string | null;
  /** Earmarked proceeds the purchase did not need, released to the treasury. */
  readonly released_minor: bigint;
}

export interface PropertyTransferred extends Fact<'property-transferred'>, Posting {
  readonly property: string;
  readonly enterprise: string;
  readonly price_minor: bigint;
  readonly payment: 'outside' | 'currency' | 'bonds';
  readonly series: string | null;
}

export interface LeaseStarted extends Fact<'lease-started'> {
  readonly lease: string;
  readonly property: string;
  readonly enterprise: string;
  readonly rent_minor: bigint;
  readonly currency: CurrencyCode;
  readonly frequency: LeaseFrequency;
  readonly last_period: Period | null;
  readonly source: Lease['source'];
}

export interface LeaseEnded extends Fact<'lease-ended'> {
  readonly lease: string;
  readonly property: string;
  readonly reason: NonNullable<Lease['end_reason']>;
}

export interface RentAuctionOpened extends Fact<'rent-auction-opened'> {
  readonly property: string;
  readonly closes_on: IsoDate;
  readonly min_rent_minor: bigint | null;
  readonly currency: CurrencyCode;
  readonly frequency: LeaseFrequency;
  readonly term_months: number | null;
}

export interface RentBidPlaced extends Fact<'rent-bid-placed'> {
  readonly property: string;
  readonly bid: string;
  readonly enterprise: string;
  readonly rent_minor: bigint;
  readonly seq: number;
}

export interface RentAuctionClosed extends Fact<'rent-auction-closed'> {
  readonly property: string;
  readonly bids: number;
  readonly winner: RentAuctionBid | null;
}

export interface PropertyLiquidated extends Fact<'property-liquidated'>, Posting {
  readonly property: string;
  readonly buyer: string;
  readonly proceeds_minor: bigint;
}

export interface RentInvoiced extends Fact<'rent-invoiced'>, Posting {
  readonly invoice: string;
  readonly lease: string;
  readonly property: string;
  readonly enterprise: string;
  readonly period: Period;
  readonly currency: CurrencyCode;
  readonly amount_minor: bigint;
  readonly due_on: IsoDate;
}

export interface RentAllocation {
  readonly invoice: string;
  readonly property: string;
  readonly amount_minor: bigint;
}

export interface RentPaid extends Fact<'rent-paid'>, Posting {
  readonly enterprise: string;
  readonly currency: CurrencyCode;
  readonly amount_minor: bigint;
  readonly allocations: readonly RentAllocation[];
}

export interface EnterpriseFunded extends Fact<'enterprise-funded'>, Posting {
  readonly enterprise: string;
  readonly amount_minor: bigint;
}

export interface CurrencyRedeemed extends Fact<'currency-redeemed'>, Posting {
  readonly enterprise: string;
  readonly amount_minor: bigint;
}

export interface EnterpriseRevenueRecorded extends Fact<'enterprise-revenue-recorded'>, Posting {
  readonly enterprise: string;
  readonly currency: CurrencyCode;
  readonly amount_minor: bigint;
  readonly category: string;
  readonly note: string | null;
}

export interface EnterpriseExpenseRecorded extends Fact<'enterprise-expense-recorded'>, Posting {
  readonly enterprise: string;
  readonly currency: CurrencyCode;
  readonly amount_minor: bigint;
  readonly category: string;
  readonly payee: string | null;
  readonly note: string | null;
}

export interface BondSeriesOpened extends Fact<'bond-series-opened'> {
  readonly series: string;
  readonly purpose: string;
  readonly request: string | null;
  readonly property: string | null;
  readonly face_minor: bigint;
  readonly quantity: number;
  readonly term_months: number;
  readonly coupon_frequency: number;
  readonly closes_on: IsoDate;
  readonly per_bidder_cap_bp: number | null;
}

export interface BondBidPlaced extends Fact<'bond-bid-placed'> {
  readonly series: string;
  readonly bid: string;
  readonly bidder: string;
  readonly quantity: number;
  readonly min_yield_bp: number;
  readonly seq: number;
}

export interface BondAuctionClosed extends Fact<'bond-auction-closed'>, Posting {
  readonly series: string;
  readonly result: AuctionResult;
}

export interface BondsIssuedDirectly extends Fact<'bonds-issued-directly'> {
  readonly series: string;
  readonly purpose: string;
  readonly property: string;
  readonly holder: HolderRef;
  readonly face_minor: bigint;
  readonly quantity: number;
  readonly coupon_bp: number;
  readonly term_months: number;
  readonly coupon_frequency: number;
}

export interface BondPayment {
  readonly series: string;
  readonly holder: HolderRef;
  readonly coupon_due_minor: bigint;
  readonly principal_due_minor: bigint;
  /** Paid in this run, against overdue amounts first, then what fell due now. */
  readonly coupon_paid_minor: bigint;
  readonly principal_paid_minor: bigint;
}

export interface BondScheduleRun extends Fact<'bond-schedule-run'>, Posting {
  readonly period: Period;
  readonly payments: readonly BondPayment[];
  readonly due_minor: bigint;
  readonly paid_minor: bigint;
  readonly missed_minor: bigint;
}

export interface DistributionMade extends Fact<'distribution-made'>, Posting {
  readonly period: Period;
  readonly waterfall: Waterfall;
  /** The members at the period's end, each paid `waterfall.each_minor`. */
  readonly members: readonly string[];
}

export interface ProposalOpened extends Fact<'proposal-opened'> {
  readonly proposal: string;
  readonly proposer: string;
  readonly title: string;
  readonly payload: ProposalPayload;
  readonly closes_on: IsoDate;
}

export interface VoteCast extends Fact<'vote-cast'> {
  readonly proposal: string;
  readonly member: string;
  readonly choice: 'yes' | 'no' | 'abstain';
}

export interface ProposalClosed extends Fact<'proposal-closed'> {
  readonly proposal: string;
  readonly passed: boolean;
  readonly yes: number;
  readonly no: number;
  readonly abstain: number;
  readonly members: number;
  readonly executed: boolean;
  readonly execution_error: string | null;
}

export type CommuneEvent =
  | CommuneIncorporated
  | BylawsAmended
  | PersonRegistered
  | EnterpriseFounded
  | EnterpriseJoinedCommune
  | EmploymentStarted
  | EmploymentEnded
  | LabourRecorded
  | ApplicationFiled
  | MemberAdmitted
  | MemberResigned
  | PropertyRegistered
  | AcquisitionRequested
  | AcquisitionFailed
  | PropertyAcquired
  | PropertyTransferred
  | LeaseStarted
  | LeaseEnded
  | RentAuctionOpened
  | RentBidPlaced
  | RentAuctionClosed
  | PropertyLiquidated
  | RentInvoiced
  | RentPaid
  | EnterpriseFunded
  | CurrencyRedeemed
  | EnterpriseRevenueRecorded
  | EnterpriseExpenseRecorded
  | BondSeriesOpened
  | BondBidPlaced
  | BondAuctionClosed
  | BondsIssuedDirectly
  | BondScheduleRun
  | DistributionMade
  | ProposalOpened
  | VoteCast
  | ProposalClosed;

export type EventType = CommuneEvent['type'];
export type EventOf<T extends EventType> = Extract<CommuneEvent, { type: T }>;

export function hasTransactions(event: CommuneEvent): event is Extract<CommuneEvent, Posting> {
  return 'transactions' in event;
}
