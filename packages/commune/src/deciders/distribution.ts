/**
 * `distribute PERIOD` (venture-commune.md §7): applies the rent received in
 * the period through the waterfall, once; each currency separately. Members
 * are those holding a share at the period's end; each is paid the same amount
 * to the minor unit and the remainder stays undistributed.
 */

import { paymentIn } from '../bond-schedule.js';
import type { CommandOf } from '../commands.js';
import { periodEnd } from '../dates.js';
import type { CommuneEvent } from '../events.js';
import { commune } from '../ledger/account.js';
import { type Transaction, TransactionBuilder } from '../ledger/transaction.js';
import { formatMinor as m } from '../money.js';
import { balance, currencyCap, currencyOutstanding, key, sharesAt } from '../queries.js';
import { rentWaterfall } from '../rent-waterfall.js';
import { accept, type Context, type Decision, refuse, requireIncorporated, requireVote } from './context.js';

function bondScheduleDue(ctx: Context, period: string): boolean {
  for (const series of ctx.state.series.values()) {
    if (series.status !== 'issued' || series.issued_on === null) continue;
    if (paymentIn(series.issued_on, series.term_months, series.coupon_frequency, period)) return true;
  }
  return false;
}

export function distribute(cmd: CommandOf<'distribute'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireVote(ctx, 'distribute');
  if (refused) return refused;
  const { state } = ctx;
  const bylaws = state.bylaws;
  const policy = cmd.policy ?? bylaws.distribution_policy;
  if (ctx.proposal === null && policy !== bylaws.distribution_policy) {
    return refuse(
      'VOTE_REQUIRED',
      `the bylaws say "${bylaws.distribution_policy}"; only a members' vote can choose otherwise for ${cmd.period}`,
    );
  }
  if (state.distributedPeriods.has(cmd.period)) return accept();
  if (ctx.proposal === null) {
    for (const proposal of state.proposals.values()) {
      if (
        proposal.status === 'open' &&
        proposal.payload.type === 'distribute' &&
        proposal.payload.period === cmd.period
      ) {
        return refuse('PROPOSAL_PENDING', `members are voting on ${cmd.period} in proposal ${proposal.id}`);
      }
    }
  }
  const end = periodEnd(cmd.period);
  if (ctx.date <= end)
    return refuse('PERIOD_OPEN', `${cmd.period} ends on ${end}; membership is fixed at the period's end`);
  if (!state.bondRuns.has(cmd.period) && bondScheduleDue(ctx, cmd.period)) {
    return refuse(
      'BOND_SCHEDULE_NOT_RUN',
      `bond payments fall due in ${cmd.period}: run the bond schedule first`,
    );
  }
  const members = sharesAt(state, end).map((share) => share.person);
  const meta = state.meta.value;
  const events: CommuneEvent[] = [];
  for (const currency of [meta.outside_currency, meta.currency]) {
    const received = state.rentReceived.get(key(cmd.period, currency)) ?? 0n;
    if (received === 0n && currency !== meta.outside_currency) continue;
    const isOutside = currency === meta.outside_currency;
    const waterfall = rentWaterfall({
      currency,
      received_minor: received,
      bond_service_minor: isOutside ? (state.bondRuns.get(cmd.period)?.paid_minor ?? 0n) : 0n,
      reserve_rate_bp: bylaws.reserve_rate_bp,
      members: members.length,
      policy,
    });
    const memo = `distribution of ${cmd.period} rent`;
    const appropriation = new TransactionBuilder(currency, `${memo}: appropriation`)
      .move(commune.appropriations, commune.reserveFund, waterfall.reserve_minor)
      .move(commune.appropriations, commune.undistributed, waterfall.kept_minor);
    const payment = new TransactionBuilder(currency, `${memo}: payment`);
    if (waterfall.each_minor > 0n) {
      for (const member of members) {
        appropriation.move(commune.appropriations, commune.dividendsPayable(member), waterfall.each_minor);
        payment.move(
          commune.dividendsPayable(member),
          isOutside ? commune.cash : commune.currencyOutstanding,
          waterfall.each_minor,
        );
      }
    }
    if (isOutside) {
      payment.move(commune.reserve, commune.cash, waterfall.reserve_minor);
      const cash = balance(state, commune.cash, currency);
      const needed = waterfall.distributed_minor + waterfall.reserve_minor;
      if (cash < needed) {
        return refuse(
          'INSUFFICIENT_FUNDS',
          `the treasury holds ${m(cash)} ${currency}; the distribution and reserve need ${m(needed)}`,
        );
      }
    } else {
      const outstanding = currencyOutstanding(state) + waterfall.distributed_minor;
      const cap = currencyCap(state);
      if (outstanding > cap) {
        return refuse(
          'CURRENCY_CAP_EXCEEDED',
          `paying members ${m(waterfall.distributed_minor)} ${currency} would put ${m(outstanding)} outstanding, over the cap of ${m(cap)}`,
        );
      }
    }
    const transactions: Transaction[] = [appropriation.build(), payment.build()].filter(
      (t) => t.lines.length > 0,
    );
    events.push({
      type: 'distribution-made',
      date: ctx.date,
      period: cmd.period,
      waterfall,
      members,
      transactions,
    });
  }
  return accept(...events);
}
