/**
 * The commands of venture-commune.md §11, as schemas. Each command carries an
 * idempotency key and an effective date; its arguments follow the section of
 * the spec that names it. The TypeScript types are the schemas' outputs, so
 * the wire format and the typed API cannot drift apart.
 */
import { z } from 'zod';
import { governedCommandTypes } from './bylaws.js';
import { limits } from './limits.js';
import {
  basisPoints,
  bondQuantity,
  couponFrequency,
  currency,
  hours,
  id,
  isoDate,
  leaseFrequency,
  leaseTerms,
  nonNegativeMinor,
  note,
  period,
  positiveBasisPoints,
  positiveMinor,
  propertyKind,
  termMonths,
  text,
  yieldBp,
} from './schema-primitives.js';

const envelope = {
  idempotency_key: z.string().min(1).max(limits.idempotencyKeyLength),
  effective_date: isoDate,
};

export const bylawsPatch = z.strictObject({
  labour_threshold_hours: z.number().positive().max(limits.labourThresholdHours).optional(),
  rent_backing_ratio_bp: z.number().int().min(0).max(100_000).optional(),
  reserve_rate_bp: basisPoints.optional(),
  distribution_policy: z.enum(['distribute', 'retain']).optional(),
  auction_kind: z.literal('uniform-price').optional(),
  quorum_bp: basisPoints.optional(),
  majority_bp: z.number().int().min(0).max(9_999).optional(),
  grace_period_days: z.number().int().min(0).max(limits.graceDays).optional(),
  default_after_periods: z.number().int().min(1).max(limits.defaultAfterPeriods).optional(),
  currency_buyback: z.boolean().optional(),
  votes_required_for: z.array(z.enum(governedCommandTypes)).max(governedCommandTypes.length).optional(),
});
export type BylawsPatch = z.output<typeof bylawsPatch>;

const bondTerms = z.strictObject({
  coupon_bp: yieldBp,
  term_months: termMonths,
  coupon_frequency: couponFrequency,
});

// ---- argument shapes (without envelope); governed ones may ride in a proposal ----

const args = {
  incorporate: {
    name: text,
    currency: currency.optional(),
    outside_currency: currency.optional(),
    bylaws: bylawsPatch.optional(),
    founding_bonds: bondTerms,
    leasebacks: z
      .array(z.strictObject({ property: id, ...leaseTerms.shape }))
      .max(limits.leasebacksPerIncorporation),
  },
  'amend-bylaws': { changes: bylawsPatch },
  'register-person': { person: id, name: text, contact: note.optional() },
  'found-enterprise': { enterprise: id, name: text, opening_cash_minor: nonNegativeMinor.optional() },
  employ: { person: id, enterprise: id },
  'end-employment': { person: id, enterprise: id },
  'record-labour': { person: id, enterprise: id.nullable().optional(), hours, note: note.optional() },
  apply: { person: id },
  'admit-member': { person: id },
  resign: { person: id },
  'register-property': {
    property: id,
    enterprise: id,
    kind: propertyKind,
    description: text,
    cost_minor: positiveMinor,
    book_value_minor: nonNegativeMinor.optional(),
  },
  'request-acquisition': {
    request: id,
    enterprise: id,
    property: id,
    kind: propertyKind,
    description: text,
    price_minor: positiveMinor,
    seller: text,
    lease: leaseTerms,
  },
  'acquire-property': {
    property: id,
    kind: propertyKind,
    description: text,
    cost_minor: positiveMinor,
    seller: text,
    paid_from: z.enum(['treasury', 'reserve', 'series']),
    series: id.optional(),
  },
  'sell-property-to-commune': {
    property: id,
    price_minor: positiveMinor.optional(),
    payment: z.enum(['outside', 'currency', 'bonds']),
    bonds: bondTerms.extend({ series: id }).optional(),
    lease: leaseTerms,
  },
  lease: { property: id, enterprise: id, ...leaseTerms.shape },
  'end-lease': { property: id, reason: z.enum(['surrendered', 'expired']).optional() },
  'offer-property': {
    property: id,
    closes_on: isoDate,
    min_rent_minor: positiveMinor.optional(),
    currency,
    frequency: leaseFrequency.optional(),
    term_months: termMonths.optional(),
  },
  'bid-rent': { property: id, enterprise: id, rent_minor: positiveMinor },
  'close-rent-auction': { property: id },
  'liquidate-property': { property: id, buyer: text, proceeds_minor: nonNegativeMinor },
  'run-rent-cycle': { period },
  'pay-rent': { enterprise: id, amount_minor: positiveMinor, currency },
  'fund-enterprise': { enterprise: id, amount_minor: positiveMinor },
  'redeem-currency': { enterprise: id, amount_minor: positiveMinor },
  'record-enterprise-revenue': {
    enterprise: id,
    amount_minor: positiveMinor,
    currency,
    category: id.optional(),
    note: note.optional(),
  },
  'record-enterprise-expense': {
    enterprise: id,
    amount_minor: positiveMinor,
    currency,
    category: id.optional(),
    payee: text.optional(),
    note: note.optional(),
  },
  'issue-bonds': {
    series: id,
    purpose: text,
    request: id.optional(),
    face_minor: positiveMinor,
    quantity: bondQuantity,
    term_months: termMonths,
    coupon_frequency: couponFrequency,
    closes_on: isoDate,
    per_bidder_cap_bp: positiveBasisPoints.optional(),
  },
  bid: { series: id, bidder: id, quantity: bondQuantity, min_yield_bp: yieldBp },
  'close-auction': { series: id },
  'run-bond-schedule': { period },
  distribute: { period, policy: z.enum(['distribute', 'retain']).optional() },
  vote: { proposal: id, member: id, choice: z.enum(['yes', 'no', 'abstain']) },
  'close-proposal': { proposal: id },
} as const;

function governed<T extends (typeof governedCommandTypes)[number]>(type: T) {
  return z.strictObject({ type: z.literal(type), ...args[type] });
}

/** What a proposal may carry out when it passes (§10): the governed commands, without envelope. */
export const proposalPayload = z.discriminatedUnion('type', [
  governed('amend-bylaws'),
  governed('lease'),
  governed('issue-bonds'),
  governed('acquire-property'),
  governed('liquidate-property'),
  governed('distribute'),
]);
export type ProposalPayload = z.output<typeof proposalPayload>;

const fullArgs = {
  ...args,
  propose: { proposal: id, proposer: id, title: text, closes_on: isoDate, payload: proposalPayload },
};

type ArgsTable = typeof fullArgs;
export type CommandType = keyof ArgsTable;

function command<T extends CommandType>(type: T) {
  return z.strictObject({ type: z.literal(type), ...envelope, ...fullArgs[type] });
}

export const commandSchema = z.discriminatedUnion('type', [
  command('incorporate'),
  command('amend-bylaws'),
  command('register-person'),
  command('found-enterprise'),
  command('employ'),
  command('end-employment'),
  command('record-labour'),
  command('apply'),
  command('admit-member'),
  command('resign'),
  command('register-property'),
  command('request-acquisition'),
  command('acquire-property'),
  command('sell-property-to-commune'),
  command('lease'),
  command('end-lease'),
  command('offer-property'),
  command('bid-rent'),
  command('close-rent-auction'),
  command('liquidate-property'),
  command('run-rent-cycle'),
  command('pay-rent'),
  command('fund-enterprise'),
  command('redeem-currency'),
  command('record-enterprise-revenue'),
  command('record-enterprise-expense'),
  command('issue-bonds'),
  command('bid'),
  command('close-auction'),
  command('run-bond-schedule'),
  command('distribute'),
  command('propose'),
  command('vote'),
  command('close-proposal'),
]);

/** A validated command: amounts are `bigint` minor units. */
export type Command = z.output<typeof commandSchema>;
/** A command as JSON carries it: amounts as decimal strings. */
export type CommandJson = z.input<typeof commandSchema>;
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** Every command type, in the order of the spec (§11) plus `redeem-currency` (§4, exchange). */
export const commandTypes = commandSchema.options.map((option) => option.shape.type.value) as CommandType[];

/**
 * Attempts to trade a share. No such command exists (§3.1); the engine names
 * them so that an attempt is refused with `SHARE_NOT_FOR_SALE` rather than an
 * anonymous `INVALID`.
 */
export const shareTradeTypes = ['buy-share', 'sell-share', 'transfer-share', 'inherit-share'] as const;
export type ShareTradeType = (typeof shareTradeTypes)[number];

/** Fields that would attach money, an heir or a buyer to a membership command (§3.1, §8). */
export const shareTradeFields = [
  'price_minor',
  'payment_minor',
  'amount_minor',
  'paid_minor',
  'buyer',
  'seller',
  'heir',
  'successor',
  'transfer_to',
  'from_person',
] as const;

export const membershipCommandTypes = ['apply', 'admit-member', 'resign', 'record-labour'] as const;
