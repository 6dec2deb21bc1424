/**
 * Re-letting by auction (venture-commune.md §5): the highest rent wins; a tie
 * goes to the earliest bid; no bid leaves the property vacant.
 */

export interface RentBid {
  readonly bid: string;
  readonly enterprise: string;
  readonly rent_minor: bigint;
  readonly seq: number;
}

export function rentAuctionWinner(bids: readonly RentBid[]): RentBid | null {
  let best: RentBid | null = null;
  for (const bid of bids) {
    if (
      best === null ||
      bid.rent_minor > best.rent_minor ||
      (bid.rent_minor === best.rent_minor && bid.seq < best.seq)
    ) {
      best = bid;
    }
  }
  return best;
}
