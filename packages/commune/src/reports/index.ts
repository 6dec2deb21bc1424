/**
 * The reports of venture-commune.md §12, as plain data (amounts in `bigint`
 * minor units; `toJsonValue` turns them into JSON).
 */
import type { IsoDate } from '../dates.js';
import { checkInvariants, type Violation } from '../invariants.js';
import type { CommuneState } from '../state.js';
import { bondRegister } from './bond-register.js';
import { currencyReport } from './currency.js';
import { distributionHistory } from './distributions.js';
import { balanceSheet, incomeStatement } from './financial-statements.js';
import { memberRegister } from './member-register.js';
import { rentRoll } from './rent-roll.js';
import { trialBalance } from './trial-balance.js';

export { type BondRegister, bondRegister } from './bond-register.js';
export { type CurrencyReport, currencyReport } from './currency.js';
export { type DistributionRow, distributionHistory } from './distributions.js';
export { type EventLogReport, eventLog } from './event-log.js';
export {
  type BalanceSheet,
  balanceSheet,
  type IncomeStatement,
  incomeStatement,
} from './financial-statements.js';
export { type GovernanceReport, governanceReport, type ProposalRow } from './governance.js';
export { type MemberRegister, memberRegister } from './member-register.js';
export { type RentAuctionsReport, rentAuctionsReport } from './rent-auctions.js';
export { type RentRoll, rentRoll } from './rent-roll.js';
export { type TrialBalance, trialBalance } from './trial-balance.js';

export interface InvariantReport {
  readonly ok: boolean;
  readonly violations: readonly Violation[];
}

export function invariantReport(state: CommuneState): InvariantReport {
  const violations = checkInvariants(state);
  return { ok: violations.length === 0, violations };
}

export interface CommuneSummary {
  readonly name: string | null;
  readonly phase: string;
  readonly incorporated_on: IsoDate | null;
  readonly as_of: IsoDate | null;
  readonly currency: string;
  readonly outside_currency: string;
  readonly members: number;
  readonly enterprises: number;
  readonly properties: number;
  readonly active_leases: number;
  readonly annual_rent_roll_minor: bigint;
  readonly entries: number;
}

export function summary(state: CommuneState): CommuneSummary {
  const meta = state.meta.value;
  return {
    name: meta.name,
    phase: meta.phase,
    incorporated_on: meta.incorporated_on,
    as_of: meta.last_date,
    currency: meta.currency,
    outside_currency: meta.outside_currency,
    members: state.members.size,
    enterprises: state.enterprises.size,
    properties: state.properties.size,
    active_leases: state.activeLease.size,
    annual_rent_roll_minor: state.rentRollAnnual.value,
    entries: state.count('entries'),
  };
}

/** Every report that depends only on the state, for audits that compare them. */
export function allReports(state: CommuneState) {
  return {
    summary: summary(state),
    trial_balance: trialBalance(state),
    balance_sheet: balanceSheet(state, 'commune'),
    income_statement: incomeStatement(state, 'commune'),
    enterprises: [...state.enterprises.keys()].sort().map((id) => ({
      enterprise: id,
      balance_sheet: balanceSheet(state, `enterprise:${id}`),
      income_statement: incomeStatement(state, `enterprise:${id}`),
    })),
    rent_roll: rentRoll(state),
    member_register: memberRegister(state),
    bond_register: bondRegister(state),
    currency: currencyReport(state),
    distributions: distributionHistory(state),
  };
}
