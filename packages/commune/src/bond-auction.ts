/**
 * The uniform-price (single-rate) bond auction of venture-commune.md §6, as
 * treasuries run it: bids sorted by yield ascending are accepted until the
 * series is filled; the highest accepted yield (the stop-out) becomes every
 * holder's coupon; bids at the stop-out are filled pro rata, rounding down,
 * and the bonds left by rounding go one each to the earliest of those bids.
 * A series whose bids do not cover it does not clear and allots nothing.
 *
 * Pure and deterministic: the same offer and bids always give the same result.
 */

export interface AuctionBid {
  readonly bid: string;
  readonly bidder: string;
  readonly quantity: number;
  readonly min_yield_bp: number;
  /** Submission order; earlier bids win ties. */
  readonly seq: number;
}

export interface AuctionOffer {
  readonly quantity: number;
  /** No bidder may be allotted more than this share of the series, in basis points. */
  readonly per_bidder_cap_bp?: number | undefined;
}

export interface Allotment {
  readonly bid: string;
  readonly bidder: string;
  readonly min_yield_bp: number;
  /** What the bid asked for. */
  readonly requested: number;
  /** What the per-bidder cap left of it. */
  readonly eligible: number;
  readonly allotted: number;
}

export interface YieldRange {
  readonly low_bp: number;
  readonly high_bp: number;
}

export interface Proration {
  readonly yield_bp: number;
  /** Eligible bonds bid at the stop-out yield. */
  readonly demand: number;
  /** Bonds allotted at the stop-out yield. */
  readonly filled: number;
  /** filled / demand, in basis points, rounded down. */
  readonly ratio_bp: number;
}

export interface AuctionResult {
  readonly offered: number;
  readonly bids: number;
  /** Bonds asked for by all bids. */
  readonly tendered: number;
  /** Bonds asked for once the per-bidder cap is applied. */
  readonly eligible: number;
  readonly per_bidder_cap: number | null;
  readonly cleared: boolean;
  readonly stop_out_yield_bp: number | null;
  /** tendered / offered, in basis points, rounded down (20 000 = covered twice). */
  readonly bid_to_cover_bp: number;
  /** Lowest and highest yield bid. */
  readonly yield_range: YieldRange | null;
  /** Lowest accepted yield and the stop-out. */
  readonly accepted_range: YieldRange | null;
  readonly proration: Proration | null;
  /** One row per bid, in submission order. */
  readonly allotments: readonly Allotment[];
}

function byYieldThenTime(a: AuctionBid, b: AuctionBid): number {
  return a.min_yield_bp - b.min_yield_bp || a.seq - b.seq;
}

export function perBidderCap(offer: AuctionOffer): number | null {
  if (offer.per_bidder_cap_bp === undefined) return null;
  return Math.floor((offer.quantity * offer.per_bidder_cap_bp) / 10_000);
}

export function runBondAuction(offer: AuctionOffer, bids: readonly AuctionBid[]): AuctionResult {
  const cap = perBidderCap(offer);
  const ordered = [...bids].sort(byYieldThenTime);

  // The per-bidder cap trims each bidder's bids from their lowest yield up.
  const eligible = new Map<string, number>();
  const used = new Map<string, number>();
  for (const bid of ordered) {
    const already = used.get(bid.bidder) ?? 0;
    const room = cap === null ? bid.quantity : Math.max(0, cap - already);
    const take = Math.min(bid.quantity, room);
    eligible.set(bid.bid, take);
    used.set(bid.bidder, already + take);
  }

  const tendered = bids.reduce((sum, bid) => sum + bid.quantity, 0);
  const eligibleTotal = [...eligible.values()].reduce((sum, quantity) => sum + quantity, 0);
  const yields = bids.map((bid) => bid.min_yield_bp);
  const yield_range =
    yields.length === 0 ? null : { low_bp: Math.min(...yields), high_bp: Math.max(...yields) };
  const bid_to_cover_bp = offer.quantity === 0 ? 0 : Math.floor((tendered * 10_000) / offer.quantity);

  const allotted = new Map<string, number>();
  let stopOut: number | null = null;
  let proration: Proration | null = null;
  const cleared = eligibleTotal >= offer.quantity && offer.quantity > 0;

  if (cleared) {
    let remaining = offer.quantity;
    let index = 0;
    while (remaining > 0 && index < ordered.length) {
      const yieldBp = ordered[index]!.min_yield_bp;
      const group: AuctionBid[] = [];
      while (index < ordered.length && ordered[index]!.min_yield_bp === yieldBp) {
        group.push(ordered[index]!);
        index += 1;
      }
      const demand = group.reduce((sum, bid) => sum + (eligible.get(bid.bid) ?? 0), 0);
      if (demand === 0) continue;
      stopOut = yieldBp;
      if (demand <= remaining) {
        for (const bid of group) allotted.set(bid.bid, eligible.get(bid.bid) ?? 0);
        remaining -= demand;
        proration = { yield_bp: yieldBp, demand, filled: demand, ratio_bp: 10_000 };
        continue;
      }
      // Pro rata at the stop-out: round down, then one bond each to the earliest bids.
      const fill = BigInt(remaining);
      const total = BigInt(demand);
      let given = 0;
      for (const bid of group) {
        const share = Number((BigInt(eligible.get(bid.bid) ?? 0) * fill) / total);
        allotted.set(bid.bid, share);
        given += share;
      }
      let leftover = remaining - given;
      for (const bid of group) {
        if (leftover === 0) break;
        const current = allotted.get(bid.bid) ?? 0;
        if (current < (eligible.get(bid.bid) ?? 0)) {
          allotted.set(bid.bid, current + 1);
          leftover -= 1;
        }
      }
      proration = {
        yield_bp: yieldBp,
        demand,
        filled: remaining,
        ratio_bp: Math.floor((remaining * 10_000) / demand),
      };
      remaining = 0;
    }
  }

  const acceptedYields = ordered
    .filter((bid) => (allotted.get(bid.bid) ?? 0) > 0)
    .map((bid) => bid.min_yield_bp);
  return {
    offered: offer.quantity,
    bids: bids.length,
    tendered,
    eligible: eligibleTotal,
    per_bidder_cap: cap,
    cleared,
    stop_out_yield_bp: cleared ? stopOut : null,
    bid_to_cover_bp,
    yield_range,
    accepted_range:
      cleared && acceptedYields.length > 0
        ? { low_bp: acceptedYields[0]!, high_bp: acceptedYields[acceptedYields.length - 1]! }
        : null,
    proration: cleared ? proration : null,
    allotments: bids.map((bid) => ({
      bid: bid.bid,
      bidder: bid.bidder,
      min_yield_bp: bid.min_yield_bp,
      requested: bid.quantity,
      eligible: eligible.get(bid.bid) ?? 0,
      allotted: cleared ? (allotted.get(bid.bid) ?? 0) : 0,
    })),
  };
}
