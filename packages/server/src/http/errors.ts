/**
 * The one table from outcome codes to HTTP statuses (STYLE.md 7). Core
 * packages return codes; only this file knows HTTP. A code missing here is
 * a 400 if it is a rejection of the request, which is the safe default.
 */
const statusByCode: Record<string, number> = {
  // generic
  INVALID: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE: 409,
  RATE_LIMITED: 429,
  // commune (venture-commune.md §3, §11)
  SHARE_NOT_FOR_SALE: 422,
  INSUFFICIENT_LABOUR: 422,
  COMMUNE_TAKES_NO_INCOME: 422,
  PROPERTY_HELD_BY_ENTERPRISE: 422,
  ALREADY_MEMBER: 409,
  NOT_ELIGIBLE: 422,
  CURRENCY_CAP_EXCEEDED: 422,
  PERIOD_CLOSED: 409,
  CONCURRENCY_CONFLICT: 409,
  UNEQUAL_DISTRIBUTION: 422,
  UNBALANCED_TRANSACTION: 422,
  INSUFFICIENT_FUNDS: 422,
  BUYBACK_DISABLED: 422,
  OUT_OF_ORDER: 409,
  PERIOD_OPEN: 409,
  NOT_INCORPORATED: 409,
  ALREADY_INCORPORATED: 409,
  NOT_MEMBER: 403,
  NOT_EMPLOYED: 422,
  PROPERTY_LEASED: 409,
  PROPERTY_VACANT: 409,
  NOT_OWNER: 422,
  AUCTION_OPEN: 409,
  AUCTION_CLOSED: 409,
  BID_TOO_LOW: 422,
  BOND_SCHEDULE_NOT_RUN: 409,
  PROPOSAL_PENDING: 409,
  VOTE_REQUIRED: 403,
  PROPOSAL_CLOSED: 409,
  ALREADY_VOTED: 409,
};

export function httpStatusFor(code: string): number {
  return statusByCode[code] ?? 400;
}

/** The body of every error response. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

/** An expected failure a route reports; the error handler turns it into its status and body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(message);
  }
}
