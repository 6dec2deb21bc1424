import { describe, expect, it } from 'vitest';
import { rentAuctionWinner } from './rent-auction.js';

describe('rent re-letting auction (venture-commune.md §5)', () => {
  it('picks the highest rent; a tie goes to the earliest bid; no bid, no winner', () => {
    expect(rentAuctionWinner([])).toBeNull();
    const bids = [
      { bid: 'x', enterprise: 'late', rent_minor: 900n, seq: 9 },
      { bid: 'y', enterprise: 'low', rent_minor: 500n, seq: 1 },
      { bid: 'z', enterprise: 'early', rent_minor: 900n, seq: 4 },
    ];
    expect(rentAuctionWinner(bids)?.enterprise).toBe('early');
  });
});
