/**
 * Re-letting auctions (venture-commune.md §5): each property's latest
 * auction. Like bond bids, rent bids are sealed while the auction is open:
 * only their number shows; once it closes, every bid and the winner do.
 */
import type { IsoDate } from '../dates.js';
import type { LeaseFrequency } from '../schema-primitives.js';
import type { CommuneState } from '../state.js';

export interface RentBidRow {
  readonly enterprise: string;
  readonly rent_minor: bigint;
  readonly placed_on: IsoDate;
}

export interface RentAuctionRow {
  readonly property: string;
  readonly description: string;
  readonly opened_on: IsoDate;
  readonly closes_on: IsoDate;
  readonly status: 'open' | 'closed';
  readonly min_rent_minor: bigint | null;
  readonly currency: string;
  readonly frequency: LeaseFrequency;
  readonly term_months: number | null;
  readonly sealed_bids: number;
  /** Every bid, once the auction has closed (empty while it is open). */
  readonly bids: readonly RentBidRow[];
  /** The highest rent (earliest on a tie); null while open, or when nobody bid. */
  readonly winner: RentBidRow | null;
}

export interface RentAuctionsReport {
  readonly as_of: IsoDate | null;
  /** Open auctions first, then by closing date, newest first. */
  readonly auctions: readonly RentAuctionRow[];
}

export function rentAuctionsReport(state: CommuneState): RentAuctionsReport {
  const row = (bid: { enterprise: string; rent_minor: bigint; placed_on: IsoDate }): RentBidRow => ({
    enterprise: bid.enterprise,
    rent_minor: bid.rent_minor,
    placed_on: bid.placed_on,
  });
  const auctions = [...state.rentAuctions.values()]
    .sort((a, b) =>
      a.status !== b.status
        ? a.status === 'open'
          ? -1
          : 1
        : a.closes_on !== b.closes_on
          ? a.closes_on < b.closes_on
            ? 1
            : -1
          : a.property < b.property
            ? -1
            : 1,
    )
    .map((a): RentAuctionRow => {
      const sealed = a.status === 'open';
      return {
        property: a.property,
        description: state.properties.get(a.property)?.description ?? a.property,
        opened_on: a.opened_on,
        closes_on: a.closes_on,
        status: a.status,
        min_rent_minor: a.min_rent_minor,
        currency: a.currency,
        frequency: a.frequency,
        term_months: a.term_months,
        sealed_bids: sealed ? a.bids.length : 0,
        bids: sealed ? [] : a.bids.map(row),
        winner: sealed || a.winner === null ? null : row(a.winner),
      };
    });
  return { as_of: state.meta.value.last_date, auctions };
}
