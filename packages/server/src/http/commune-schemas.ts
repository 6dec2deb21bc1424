/**
 * Response schemas of the commune API (venture-commune.md §12), for
 * validation and for /openapi.json. Amounts are decimal strings of minor
 * units (cents), in fields named `*_minor`.
 */
import { governedCommandTypes } from '@telekommune/commune';
import { z } from 'zod';

const minor = z.string().describe('an amount in minor units (cents), as a decimal string');
const date = z.string().describe('YYYY-MM-DD');
const nullableDate = date.nullable();

export const summarySchema = z.object({
  name: z.string().nullable(),
  phase: z.enum(['pre-commune', 'incorporated']),
  incorporated_on: nullableDate,
  as_of: nullableDate,
  currency: z.string(),
  outside_currency: z.string(),
  members: z.number().int(),
  enterprises: z.number().int(),
  properties: z.number().int(),
  active_leases: z.number().int(),
  annual_rent_roll_minor: minor,
  entries: z.number().int(),
  head: z.string().describe('hash of the last log entry'),
});

export const trialBalanceSchema = z.object({
  as_of: nullableDate,
  currencies: z.array(
    z.object({
      currency: z.string(),
      rows: z.array(
        z.object({
          account: z.string(),
          owner: z.string(),
          kind: z.string(),
          debit_minor: minor,
          credit_minor: minor,
        }),
      ),
      total_debit_minor: minor,
      total_credit_minor: minor,
      balanced: z.boolean(),
    }),
  ),
});

const section = z.object({
  lines: z.array(z.object({ account: z.string(), name: z.string(), amount_minor: minor })),
  total_minor: minor,
});

export const balanceSheetSchema = z.object({
  owner: z.string(),
  as_of: nullableDate,
  currencies: z.array(
    z.object({
      currency: z.string(),
      assets: section,
      liabilities: section,
      equity: section,
      current_result_minor: minor,
      total_liabilities_and_equity_minor: minor,
      balanced: z.boolean(),
    }),
  ),
});

export const incomeStatementSchema = z.object({
  owner: z.string(),
  from: nullableDate,
  to: nullableDate,
  currencies: z.array(
    z.object({ currency: z.string(), income: section, expenses: section, net_minor: minor }),
  ),
});

const arrears = z.object({
  total_minor: minor,
  days_0_30_minor: minor,
  days_31_60_minor: minor,
  days_61_90_minor: minor,
  days_over_90_minor: minor,
});

export const rentRollSchema = z.object({
  as_of: date,
  properties: z.array(
    z.object({
      property: z.string(),
      description: z.string(),
      kind: z.string(),
      owner: z.string(),
      status: z.string(),
      vacant: z.boolean(),
      tenant: z.string().nullable(),
      lease: z.string().nullable(),
      currency: z.string().nullable(),
      contract_rent_minor: minor.nullable(),
      frequency: z.string().nullable(),
      annual_rent_minor: minor,
      last_auction_rent_minor: minor.nullable(),
      on_auction_until: nullableDate,
      book_value_minor: minor,
      series: z.string().nullable(),
      arrears: z.record(z.string(), arrears),
    }),
  ),
  enterprises: z.array(
    z.object({
      enterprise: z.string(),
      name: z.string(),
      status: z.string(),
      leases: z.number().int(),
      arrears: z.record(z.string(), arrears),
      held_property: z.array(z.string()),
      past_grace: z.array(z.string()),
      flagged: z.boolean(),
    }),
  ),
  annual_rent_roll_minor: minor,
});

export const memberRegisterSchema = z.object({
  as_of: nullableDate,
  members: z.array(
    z.object({
      person: z.string(),
      name: z.string(),
      share: z.string(),
      admitted_on: date,
      labour_hours: z.number(),
    }),
  ),
  shares_outstanding: z.number().int(),
  former_members: z.array(
    z.object({
      person: z.string(),
      name: z.string(),
      share: z.string(),
      admitted_on: date,
      resigned_on: date,
    }),
  ),
  eligible_non_members: z.array(
    z.object({
      person: z.string(),
      name: z.string(),
      employers: z.array(z.string()),
      labour_hours: z.number(),
      threshold_hours: z.number(),
      meets_threshold: z.boolean(),
      applied_on: nullableDate,
    }),
  ),
  threshold_hours: z.number(),
});

const governed = z.enum(governedCommandTypes);

export const bylawsSchema = z.object({
  labour_threshold_hours: z.number(),
  rent_backing_ratio_bp: z.number().int(),
  reserve_rate_bp: z.number().int(),
  distribution_policy: z.enum(['distribute', 'retain']),
  auction_kind: z.string(),
  quorum_bp: z.number().int(),
  majority_bp: z.number().int(),
  grace_period_days: z.number().int(),
  default_after_periods: z.number().int(),
  currency_buyback: z.boolean(),
  votes_required_for: z.array(governed).describe('commands only a passed proposal may carry out'),
});

export const governanceSchema = z.object({
  as_of: nullableDate,
  members: z.number().int(),
  quorum_votes: z.number().int().describe("votes a proposal needs cast to be quorate, with today's members"),
  bylaws: bylawsSchema,
  proposals: z
    .array(
      z.object({
        proposal: z.string(),
        title: z.string(),
        proposer: z.string(),
        kind: governed,
        payload: z
          .looseObject({ type: governed })
          .describe('the command the proposal carries out if it passes, amounts as decimal strings'),
        opened_on: date,
        closes_on: date,
        status: z.enum(['open', 'passed', 'failed']),
        yes: z.number().int(),
        no: z.number().int(),
        abstain: z.number().int(),
        members_at_close: z.number().int().nullable(),
        executed: z.boolean(),
        execution_error: z.string().nullable(),
        votes: z.array(z.object({ member: z.string(), choice: z.enum(['yes', 'no', 'abstain']) })),
      }),
    )
    .describe('newest first'),
});

const rentBid = z.object({ enterprise: z.string(), rent_minor: minor, placed_on: date });

export const rentAuctionsSchema = z.object({
  as_of: nullableDate,
  auctions: z.array(
    z.object({
      property: z.string(),
      description: z.string(),
      opened_on: date,
      closes_on: date,
      status: z.enum(['open', 'closed']),
      min_rent_minor: minor.nullable(),
      currency: z.string(),
      frequency: z.enum(['monthly', 'quarterly', 'annual']),
      term_months: z.number().int().nullable(),
      sealed_bids: z.number().int().describe('bids placed so far, while the auction is open'),
      bids: z.array(rentBid).describe('every bid, once the auction has closed'),
      winner: rentBid.nullable(),
    }),
  ),
});

const yieldRange = z.object({ low_bp: z.number().int(), high_bp: z.number().int() }).nullable();

export const auctionResultSchema = z.object({
  offered: z.number().int(),
  bids: z.number().int(),
  tendered: z.number().int(),
  eligible: z.number().int(),
  per_bidder_cap: z.number().int().nullable(),
  cleared: z.boolean(),
  stop_out_yield_bp: z.number().int().nullable(),
  bid_to_cover_bp: z.number().int(),
  yield_range: yieldRange,
  accepted_range: yieldRange,
  proration: z
    .object({
      yield_bp: z.number().int(),
      demand: z.number().int(),
      filled: z.number().int(),
      ratio_bp: z.number().int(),
    })
    .nullable(),
  allotments: z.array(
    z.object({
      bid: z.string(),
      bidder: z.string(),
      min_yield_bp: z.number().int(),
      requested: z.number().int(),
      eligible: z.number().int(),
      allotted: z.number().int(),
    }),
  ),
});

export const bondRegisterSchema = z.object({
  series: z.array(
    z.object({
      series: z.string(),
      purpose: z.string(),
      status: z.string(),
      sale: z.enum(['auction', 'direct']),
      property: z.string().nullable(),
      face_minor: minor,
      quantity: z.number().int(),
      term_months: z.number().int(),
      coupon_frequency: z.number().int(),
      coupon_bp: z.number().int().nullable(),
      closes_on: nullableDate,
      issued_on: nullableDate,
      maturity: z.string().nullable(),
      sealed_bids: z.number().int(),
      auction: auctionResultSchema.nullable(),
      holders: z.array(
        z.object({
          holder: z.string(),
          quantity: z.number().int(),
          principal_outstanding_minor: minor,
          coupons_paid_minor: minor,
          principal_paid_minor: minor,
          coupons_overdue_minor: minor,
          principal_overdue_minor: minor,
        }),
      ),
      schedule: z.array(
        z.object({
          period: z.string(),
          number: z.number().int(),
          coupon_minor: minor,
          principal_minor: minor,
          state: z.enum(['run', 'upcoming']),
        }),
      ),
      in_default: z.boolean(),
    }),
  ),
  outstanding_principal_minor: minor,
  overdue_minor: minor,
  runs: z.array(
    z.object({ period: z.string(), run_on: date, due_minor: minor, paid_minor: minor, missed_minor: minor }),
  ),
});

export const currencySchema = z.object({
  currency: z.string(),
  outside_currency: z.string(),
  issued_minor: minor,
  retired_minor: minor,
  outstanding_minor: minor,
  annual_rent_roll_minor: minor,
  backing_ratio_bp: z.number().int(),
  cap_minor: minor,
  headroom_minor: minor,
  over_cap: z.boolean(),
  buyback: z.boolean(),
  reserve_minor: minor,
});

export const waterfallSchema = z.object({
  currency: z.string(),
  received_minor: minor,
  bond_service_minor: minor,
  after_bonds_minor: minor,
  reserve_rate_bp: z.number().int(),
  reserve_minor: minor,
  surplus_minor: minor,
  policy: z.enum(['distribute', 'retain']),
  members: z.number().int(),
  each_minor: minor,
  distributed_minor: minor,
  kept_minor: minor,
});

export const distributionsSchema = z.array(
  z.object({
    period: z.string(),
    currency: z.string(),
    date,
    waterfall: waterfallSchema,
    arithmetic: z.array(z.string()),
  }),
);

const verification = z.object({
  valid: z.boolean(),
  entries: z.number().int(),
  head: z.string(),
  first_invalid: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
});

export const eventLogSchema = z.object({
  verification,
  rows: z.array(
    z.object({
      seq: z.number().int(),
      date,
      command: z.string(),
      idempotency_key: z.string(),
      events: z.array(z.string()),
      prev_hash: z.string(),
      hash: z.string(),
    }),
  ),
});

export const auditSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  events: z.number().int(),
  chain: verification,
  state_digest: z.string(),
  differences: z.array(z.object({ seq: z.number().int().nullable(), what: z.string(), detail: z.string() })),
  violations: z.array(z.object({ invariant: z.string(), code: z.string(), message: z.string() })),
});

const event = z
  .looseObject({ type: z.string(), date })
  .describe('an event; value-moving events carry `transactions`');

export const commandOutcomeSchema = z.union([
  z.object({
    status: z.literal('accepted'),
    seq: z.number().int(),
    hash: z.string(),
    events: z.array(event),
  }),
  z.object({ status: z.literal('duplicate'), seq: z.number().int().nullable() }),
  z.object({ status: z.literal('preview'), events: z.array(event) }),
]);

export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('per-field problems, when the request did not match its schema'),
});
