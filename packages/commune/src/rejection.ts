/**
 * Rejections: a refused command is a value with a stable code and a human
 * message (venture-commune.md §11), never an exception.
 */
export const rejectionCodes = [
  // §3.1 ownership only by labour
  'SHARE_NOT_FOR_SALE',
  'INSUFFICIENT_LABOUR',
  // §3.2 return is rent, never income
  'COMMUNE_TAKES_NO_INCOME',
  'PROPERTY_HELD_BY_ENTERPRISE',
  // §3.3 equal ownership
  'ALREADY_MEMBER',
  'UNEQUAL_DISTRIBUTION',
  // §3.4 open membership
  'NOT_ELIGIBLE',
  // §4 money
  'CURRENCY_CAP_EXCEEDED',
  'INSUFFICIENT_FUNDS',
  'UNBALANCED_TRANSACTION',
  'BUYBACK_DISABLED',
  // general (§11)
  'NOT_FOUND',
  'INVALID',
  'DUPLICATE',
  'CONCURRENCY_CONFLICT',
  'OUT_OF_ORDER',
  'PERIOD_CLOSED',
  'PERIOD_OPEN',
  // life cycle
  'NOT_INCORPORATED',
  'ALREADY_INCORPORATED',
  'NOT_MEMBER',
  'NOT_EMPLOYED',
  // property and leases
  'PROPERTY_LEASED',
  'PROPERTY_VACANT',
  'NOT_OWNER',
  // auctions
  'AUCTION_OPEN',
  'AUCTION_CLOSED',
  'BID_TOO_LOW',
  // bonds and distribution
  'BOND_SCHEDULE_NOT_RUN',
  'PROPOSAL_PENDING',
  // governance
  'VOTE_REQUIRED',
  'PROPOSAL_CLOSED',
  'ALREADY_VOTED',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

export function reject(code: RejectionCode, message: string): { readonly rejection: Rejection } {
  return { rejection: { code, message } };
}

export function isRejectionCode(value: string): value is RejectionCode {
  return (rejectionCodes as readonly string[]).includes(value);
}
