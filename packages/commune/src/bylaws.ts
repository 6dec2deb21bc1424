/**
 * Bylaws: the parameters members set by vote (venture-commune.md §2, §10).
 * None of them can suspend an invariant of §3; they only tune it.
 */

/** Commands the bylaws may reserve for a members' vote (§10). */
export const governedCommandTypes = [
  'amend-bylaws',
  'lease',
  'issue-bonds',
  'acquire-property',
  'liquidate-property',
  'distribute',
] as const;
export type GovernedCommandType = (typeof governedCommandTypes)[number];

export type DistributionPolicy = 'distribute' | 'retain';
export type AuctionKind = 'uniform-price';

export interface Bylaws {
  /** Recorded labour a person needs before a share is issued (§3.1). */
  readonly labour_threshold_hours: number;
  /** Currency outstanding may not exceed this ratio of the annual rent roll, in basis points (§4). */
  readonly rent_backing_ratio_bp: number;
  /** Share of rent left after bond service that goes to the reserve, in basis points (§7). */
  readonly reserve_rate_bp: number;
  /** What happens to the surplus of a period unless members vote otherwise (§7). */
  readonly distribution_policy: DistributionPolicy;
  /** How bond series are sold (§6): treasury-style single-rate auctions. */
  readonly auction_kind: AuctionKind;
  /** Share of members who must vote for a proposal to count, in basis points (§10). */
  readonly quorum_bp: number;
  /** Share of yes among yes+no votes a proposal must exceed, in basis points (§10). */
  readonly majority_bp: number;
  /** Days an enterprise may hold property before it must sell it to the commune (§3.2). */
  readonly grace_period_days: number;
  /** A lease defaults when an invoice stays unpaid this many periods after it fell due (§5). */
  readonly default_after_periods: number;
  /** Whether the commune buys its currency back for outside currency from its reserve (§4). */
  readonly currency_buyback: boolean;
  /** Commands that, once incorporated, only a passed proposal may carry out (§10). */
  readonly votes_required_for: readonly GovernedCommandType[];
}

export const defaultBylaws: Bylaws = {
  labour_threshold_hours: 500,
  rent_backing_ratio_bp: 10_000,
  reserve_rate_bp: 1_000,
  distribution_policy: 'distribute',
  auction_kind: 'uniform-price',
  quorum_bp: 5_000,
  majority_bp: 5_000,
  grace_period_days: 90,
  default_after_periods: 3,
  currency_buyback: true,
  votes_required_for: ['amend-bylaws', 'acquire-property', 'liquidate-property'],
};

/** Hours as integer hundredths, the unit labour is summed in. */
export function toCentihours(hours: number): number {
  return Math.round(hours * 100);
}

export function fromCentihours(centihours: number): number {
  return centihours / 100;
}
