/**
 * Leases and re-letting (venture-commune.md §5): commune property is rented
 * to commune enterprises; a property that comes back is re-let by auction,
 * the highest rent winning and ties going to the earliest bid.
 */

import type { CommandOf } from '../commands.js';
import type { CommuneEvent } from '../events.js';
import { limits } from '../limits.js';
import { formatMinor as m } from '../money.js';
import { activeLeaseOf, heldPastGrace } from '../queries.js';
import { rentAuctionWinner } from '../rent-auction.js';
import {
  accept,
  type Context,
  checkWindow,
  type Decision,
  findActiveEnterprise,
  isRefused,
  refuse,
  requireCurrency,
  requireIncorporated,
  requireVote,
} from './context.js';
import { lastPeriod } from './incorporation.js';
import { findVacantCommuneProperty } from './property.js';

export function lease(cmd: CommandOf<'lease'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? requireVote(ctx, 'lease') ?? requireCurrency(ctx, cmd.currency);
  if (refused) return refused;
  const property = findVacantCommuneProperty(ctx, cmd.property);
  if (isRefused(property)) return property;
  const enterprise = findActiveEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  return accept({
    type: 'lease-started',
    date: ctx.date,
    lease: ctx.ids.next('lease'),
    property: property.id,
    enterprise: enterprise.id,
    rent_minor: cmd.rent_minor,
    currency: cmd.currency,
    frequency: cmd.frequency ?? 'monthly',
    last_period: lastPeriod(ctx.date, cmd.term_months),
    source: 'lease',
  });
}

export function endLease(cmd: CommandOf<'end-lease'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx);
  if (refused) return refused;
  if (!ctx.state.properties.has(cmd.property)) return refuse('NOT_FOUND', `no property "${cmd.property}"`);
  const active = activeLeaseOf(ctx.state, cmd.property);
  if (!active) return refuse('PROPERTY_VACANT', `${cmd.property} has no active lease`);
  return accept({
    type: 'lease-ended',
    date: ctx.date,
    lease: active.id,
    property: cmd.property,
    reason: cmd.reason ?? 'surrendered',
  });
}

export function offerProperty(cmd: CommandOf<'offer-property'>, ctx: Context): Decision {
  const refused =
    requireIncorporated(ctx) ?? requireCurrency(ctx, cmd.currency) ?? checkWindow(ctx, cmd.closes_on);
  if (refused) return refused;
  const property = findVacantCommuneProperty(ctx, cmd.property);
  if (isRefused(property)) return property;
  return accept({
    type: 'rent-auction-opened',
    date: ctx.date,
    property: property.id,
    closes_on: cmd.closes_on,
    min_rent_minor: cmd.min_rent_minor ?? null,
    currency: cmd.currency,
    frequency: cmd.frequency ?? 'monthly',
    term_months: cmd.term_months ?? null,
  });
}

export function bidRent(cmd: CommandOf<'bid-rent'>, ctx: Context): Decision {
  const auction = ctx.state.rentAuctions.get(cmd.property);
  if (!auction) return refuse('NOT_FOUND', `${cmd.property} is not offered for rent`);
  if (auction.status !== 'open' || ctx.date > auction.closes_on) {
    return refuse('AUCTION_CLOSED', `the rent auction for ${cmd.property} closed on ${auction.closes_on}`);
  }
  const enterprise = findActiveEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  if (auction.min_rent_minor !== null && cmd.rent_minor < auction.min_rent_minor) {
    return refuse('BID_TOO_LOW', `the minimum rent for ${cmd.property} is ${m(auction.min_rent_minor)}`);
  }
  if (auction.bids.length >= limits.bidsPerAuction)
    return refuse('INVALID', `an auction takes at most ${limits.bidsPerAuction} bids`);
  const seq = ctx.ids.nextNumber('bid');
  return accept({
    type: 'rent-bid-placed',
    date: ctx.date,
    property: cmd.property,
    bid: `bid#${seq}`,
    enterprise: enterprise.id,
    rent_minor: cmd.rent_minor,
    seq,
  });
}

export function closeRentAuction(cmd: CommandOf<'close-rent-auction'>, ctx: Context): Decision {
  const auction = ctx.state.rentAuctions.get(cmd.property);
  if (!auction) return refuse('NOT_FOUND', `${cmd.property} is not offered for rent`);
  if (auction.status !== 'open')
    return refuse('AUCTION_CLOSED', `the rent auction for ${cmd.property} is already closed`);
  if (ctx.date < auction.closes_on)
    return refuse('AUCTION_OPEN', `bids are sealed until ${auction.closes_on}`);
  // A bidder that has since fallen past its grace period cannot take the lease (§3.2).
  const admissible = auction.bids.filter(
    (bid) => heldPastGrace(ctx.state, bid.enterprise, ctx.date).length === 0,
  );
  const winner = rentAuctionWinner(admissible);
  const events: CommuneEvent[] = [
    {
      type: 'rent-auction-closed',
      date: ctx.date,
      property: cmd.property,
      bids: auction.bids.length,
      winner: winner === null ? null : (auction.bids.find((bid) => bid.bid === winner.bid) ?? null),
    },
  ];
  if (winner !== null) {
    events.push({
      type: 'lease-started',
      date: ctx.date,
      lease: ctx.ids.next('lease'),
      property: cmd.property,
      enterprise: winner.enterprise,
      rent_minor: winner.rent_minor,
      currency: auction.currency,
      frequency: auction.frequency,
      last_period: lastPeriod(ctx.date, auction.term_months),
      source: 'auction',
    });
  }
  return accept(...events);
}
