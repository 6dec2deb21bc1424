import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuctionBid, runBondAuction } from './bond-auction.js';

function bid(seq: number, bidder: string, quantity: number, min_yield_bp: number): AuctionBid {
  return { bid: `b${seq}`, bidder, quantity, min_yield_bp, seq };
}

describe('uniform-price bond auction (venture-commune.md §6)', () => {
  it('accepts bids from the lowest yield up; the highest accepted yield is everyone’s coupon', () => {
    const result = runBondAuction({ quantity: 100 }, [
      bid(1, 'a', 40, 300),
      bid(2, 'b', 50, 350),
      bid(3, 'c', 30, 420),
      bid(4, 'd', 50, 500),
    ]);
    expect(result.cleared).toBe(true);
    expect(result.stop_out_yield_bp).toBe(420);
    expect(result.allotments.map((a) => a.allotted)).toEqual([40, 50, 10, 0]);
    expect(result.bid_to_cover_bp).toBe(17_000);
    expect(result.yield_range).toEqual({ low_bp: 300, high_bp: 500 });
    expect(result.accepted_range).toEqual({ low_bp: 300, high_bp: 420 });
    expect(result.proration).toEqual({ yield_bp: 420, demand: 30, filled: 10, ratio_bp: 3_333 });
  });

  it('fills bids at the stop-out pro rata, rounding down, the leftover bonds one each to the earliest bids', () => {
    // 10 bonds left at 400 bp for 3 bids of 4, 4 and 4: 3.33 each -> 3, 3, 3 and one left -> the earliest.
    const result = runBondAuction({ quantity: 20 }, [
      bid(5, 'late', 4, 400),
      bid(1, 'low', 10, 200),
      bid(2, 'early', 4, 400),
      bid(3, 'middle', 4, 400),
    ]);
    const allotted = Object.fromEntries(result.allotments.map((a) => [a.bidder, a.allotted]));
    expect(allotted).toEqual({ low: 10, early: 4, middle: 3, late: 3 });
    expect(result.proration).toEqual({ yield_bp: 400, demand: 12, filled: 10, ratio_bp: 8_333 });
  });

  it('breaks ties by time, not by the order bids are listed', () => {
    const bids = [bid(3, 'c', 5, 100), bid(1, 'a', 5, 100), bid(2, 'b', 5, 100)];
    const result = runBondAuction({ quantity: 7 }, bids);
    const allotted = Object.fromEntries(result.allotments.map((a) => [a.bidder, a.allotted]));
    expect(allotted).toEqual({ a: 3, b: 2, c: 2 });
  });

  it('does not clear an undersubscribed series: nothing is allotted', () => {
    const result = runBondAuction({ quantity: 100 }, [bid(1, 'a', 60, 300), bid(2, 'b', 39, 900)]);
    expect(result.cleared).toBe(false);
    expect(result.stop_out_yield_bp).toBeNull();
    expect(result.proration).toBeNull();
    expect(result.allotments.every((a) => a.allotted === 0)).toBe(true);
    expect(result.bid_to_cover_bp).toBe(9_900);
  });

  it('does not clear with no bids', () => {
    expect(runBondAuction({ quantity: 1 }, [])).toMatchObject({
      cleared: false,
      yield_range: null,
      bid_to_cover_bp: 0,
    });
  });

  it('caps each bidder’s allotment, trimming their highest-yield bids first, and counts only what is left toward cover', () => {
    const bids = [
      bid(1, 'whale', 80, 100),
      bid(2, 'whale', 50, 50),
      bid(3, 'minnow', 30, 300),
      bid(4, 'fish', 30, 400),
    ];
    const result = runBondAuction({ quantity: 100, per_bidder_cap_bp: 5_000 }, bids);
    // The whale's 50 at 50 bp come first, leaving room for 0 more at 100 bp.
    expect(result.per_bidder_cap).toBe(50);
    expect(result.allotments.map((a) => [a.bidder, a.eligible, a.allotted])).toEqual([
      ['whale', 0, 0],
      ['whale', 50, 50],
      ['minnow', 30, 30],
      ['fish', 30, 20],
    ]);
    expect(result.stop_out_yield_bp).toBe(400);
    const capped = runBondAuction({ quantity: 100, per_bidder_cap_bp: 5_000 }, [
      bid(1, 'whale', 100, 100),
      bid(2, 'other', 40, 200),
    ]);
    expect(capped.cleared).toBe(false);
    expect(capped.tendered).toBe(140);
    expect(capped.eligible).toBe(90);
  });

  const bidsArb = fc
    .array(
      fc.record({
        bidder: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
        quantity: fc.integer({ min: 1, max: 1_000 }),
        min_yield_bp: fc.integer({ min: 0, max: 20 }).map((n) => n * 25),
      }),
      { maxLength: 40 },
    )
    .map((rows) => rows.map((row, i) => ({ ...row, bid: `b${i}`, seq: i + 1 })));
  const offerArb = fc.record({
    quantity: fc.integer({ min: 1, max: 5_000 }),
    per_bidder_cap_bp: fc.option(fc.integer({ min: 1_000, max: 10_000 }), { nil: undefined }),
  });

  it('allots exactly the series when it clears, never more than a bid or the cap allows, all at one yield', () => {
    fc.assert(
      fc.property(offerArb, bidsArb, (offer, bids) => {
        const result = runBondAuction(offer, bids);
        const total = result.allotments.reduce((sum, a) => sum + a.allotted, 0);
        expect(result.cleared).toBe(result.eligible >= offer.quantity);
        if (!result.cleared) {
          expect(total).toBe(0);
          return;
        }
        expect(total).toBe(offer.quantity);
        const stop = result.stop_out_yield_bp!;
        const perBidder = new Map<string, number>();
        for (const a of result.allotments) {
          expect(a.allotted).toBeLessThanOrEqual(a.eligible);
          expect(a.eligible).toBeLessThanOrEqual(a.requested);
          if (a.min_yield_bp < stop) expect(a.allotted).toBe(a.eligible);
          if (a.min_yield_bp > stop) expect(a.allotted).toBe(0);
          perBidder.set(a.bidder, (perBidder.get(a.bidder) ?? 0) + a.allotted);
        }
        if (result.per_bidder_cap !== null)
          for (const q of perBidder.values()) expect(q).toBeLessThanOrEqual(result.per_bidder_cap);
        // Pro rata at the stop-out: within one bond of the exact share.
        const atStop = result.allotments.filter((a) => a.min_yield_bp === stop);
        const demand = atStop.reduce((s, a) => s + a.eligible, 0);
        const filled = atStop.reduce((s, a) => s + a.allotted, 0);
        for (const a of atStop) {
          const exact = Math.floor((a.eligible * filled) / demand);
          expect(a.allotted - exact).toBeGreaterThanOrEqual(0);
          expect(a.allotted - exact).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result for the same bids in any listing order', () => {
    fc.assert(
      fc.property(offerArb, bidsArb, fc.integer(), (offer, bids, seed) => {
        const shuffled = [...bids].sort(
          (x, y) => ((x.seq * 7919 + seed) % 101) - ((y.seq * 7919 + seed) % 101),
        );
        const a = runBondAuction(offer, bids);
        const b = runBondAuction(offer, shuffled);
        const byBid = (r: typeof a) => Object.fromEntries(r.allotments.map((x) => [x.bid, x.allotted]));
        expect(byBid(b)).toEqual(byBid(a));
        expect(b.stop_out_yield_bp).toBe(a.stop_out_yield_bp);
      }),
      { numRuns: 200 },
    );
  });
});
