/**
 * The rent waterfall of venture-commune.md §7, for one period and one
 * currency: rent received pays bond service first, then the reserve at the
 * bylaw rate; the surplus is paid out equally to every member (to the minor
 * unit, the remainder kept undistributed) or kept for acquisitions.
 */
import type { DistributionPolicy } from './bylaws.js';
import { basisPointsOf, type CurrencyCode, formatMinor, minMinor } from './money.js';

export interface WaterfallInput {
  readonly currency: CurrencyCode;
  readonly received_minor: bigint;
  /** Bond coupons and principal paid in the period, from the bond schedule. */
  readonly bond_service_minor: bigint;
  readonly reserve_rate_bp: number;
  readonly members: number;
  readonly policy: DistributionPolicy;
}

export interface Waterfall {
  readonly currency: CurrencyCode;
  readonly received_minor: bigint;
  /** Bond service charged to this rent: at most the rent received. */
  readonly bond_service_minor: bigint;
  readonly after_bonds_minor: bigint;
  readonly reserve_rate_bp: number;
  readonly reserve_minor: bigint;
  readonly surplus_minor: bigint;
  readonly policy: DistributionPolicy;
  readonly members: number;
  /** What each member receives (0 when retained or when there are no members). */
  readonly each_minor: bigint;
  readonly distributed_minor: bigint;
  /** Surplus kept in the undistributed account: the remainder, or all of it when retained. */
  readonly kept_minor: bigint;
}

export function rentWaterfall(input: WaterfallInput): Waterfall {
  const received = input.received_minor;
  const bondService = minMinor(input.bond_service_minor, received);
  const afterBonds = received - bondService;
  const reserve = basisPointsOf(afterBonds, input.reserve_rate_bp);
  const surplus = afterBonds - reserve;
  const paying = input.policy === 'distribute' && input.members > 0;
  const each = paying ? surplus / BigInt(input.members) : 0n;
  const distributed = each * BigInt(input.members);
  return {
    currency: input.currency,
    received_minor: received,
    bond_service_minor: bondService,
    after_bonds_minor: afterBonds,
    reserve_rate_bp: input.reserve_rate_bp,
    reserve_minor: reserve,
    surplus_minor: surplus,
    policy: input.policy,
    members: input.members,
    each_minor: each,
    distributed_minor: distributed,
    kept_minor: surplus - distributed,
  };
}

/** The waterfall's arithmetic, one line per step, as a treasurer checks it. */
export function waterfallArithmetic(w: Waterfall): string[] {
  const c = w.currency;
  const m = (amount: bigint) => `${c} ${formatMinor(amount)}`;
  const lines = [
    `rent received                          ${m(w.received_minor)}`,
    `1. bond coupons and principal        - ${m(w.bond_service_minor)}`,
    `   left after bond service           = ${m(w.after_bonds_minor)}`,
    `2. reserve at ${(w.reserve_rate_bp / 100).toFixed(2)} %               - ${m(w.reserve_minor)}`,
    `3. surplus                           = ${m(w.surplus_minor)}`,
  ];
  if (w.policy === 'retain') {
    lines.push(`   retained for acquisitions by vote    ${m(w.kept_minor)}`);
  } else if (w.members === 0) {
    lines.push(`   no members at the period's end: kept ${m(w.kept_minor)}`);
  } else {
    lines.push(
      `   ${m(w.surplus_minor)} / ${w.members} members = ${m(w.each_minor)} each`,
      `   paid out ${m(w.each_minor)} x ${w.members} = ${m(w.distributed_minor)}`,
      `   remainder kept undistributed        ${m(w.kept_minor)}`,
    );
  }
  return lines;
}
