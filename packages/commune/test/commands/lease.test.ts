import { describe, expect, it } from 'vitest';
import { coop, withVacantProperty } from '../support/scenario.js';

describe('lease and end-lease', () => {
  it('lets vacant commune property to a commune enterprise and adds it to the rent roll', () => {
    const s = withVacantProperty();
    const roll = s.state.rentRollAnnual.value;
    const [event] = s.accept({
      type: 'lease',
      property: 'land',
      enterprise: 'coop',
      rent_minor: 1_000n,
      currency: 'EUR',
      frequency: 'quarterly',
      term_months: 12,
    });
    expect(event).toMatchObject({
      type: 'lease-started',
      frequency: 'quarterly',
      last_period: '2025-02',
      source: 'lease',
    });
    expect(s.state.rentRollAnnual.value).toBe(roll + 4_000n);
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'coop', rent_minor: 1_000n, currency: 'EUR' },
      'PROPERTY_LEASED',
    );
    const [ended] = s.accept({ type: 'end-lease', property: 'land' });
    expect(ended).toMatchObject({ type: 'lease-ended', reason: 'surrendered' });
    expect(s.state.properties.get('land')?.status).toBe('vacant');
    s.reject({ type: 'end-lease', property: 'land' }, 'PROPERTY_VACANT');
    s.reject({ type: 'end-lease', property: 'ghost' }, 'NOT_FOUND');
  });

  it('refuses property the commune does not own, unknown parties, a foreign currency, and co-ops outside the commune', () => {
    const s = withVacantProperty();
    s.given({
      type: 'register-property',
      property: 'van',
      enterprise: 'coop',
      kind: 'capital',
      description: 'van',
      cost_minor: 1n,
    });
    s.reject(
      { type: 'lease', property: 'van', enterprise: 'coop', rent_minor: 1n, currency: 'EUR' },
      'NOT_OWNER',
    );
    s.reject(
      { type: 'lease', property: 'ghost', enterprise: 'coop', rent_minor: 1n, currency: 'EUR' },
      'NOT_FOUND',
    );
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'ghost', rent_minor: 1n, currency: 'EUR' },
      'NOT_FOUND',
    );
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'coop', rent_minor: 1n, currency: 'GBP' },
      'INVALID',
    );
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'coop', rent_minor: 0n, currency: 'EUR' },
      'INVALID',
    );
  });

  it('needs a commune', () => {
    coop().reject(
      { type: 'lease', property: 'servers', enterprise: 'coop', rent_minor: 1n, currency: 'EUR' },
      'NOT_INCORPORATED',
    );
    coop().reject({ type: 'end-lease', property: 'servers' }, 'NOT_INCORPORATED');
  });

  it('can be reserved for a vote by the bylaws', () => {
    const s = withVacantProperty();
    s.given({ type: 'amend-bylaws', changes: { votes_required_for: ['lease'] } });
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'coop', rent_minor: 1n, currency: 'EUR' },
      'VOTE_REQUIRED',
    );
  });
});

describe('re-letting by auction: offer-property, bid-rent, close-rent-auction', () => {
  function offered() {
    const s = withVacantProperty();
    s.given(
      { type: 'found-enterprise', enterprise: 'bakery', name: 'Bakery' },
      { type: 'found-enterprise', enterprise: 'garage', name: 'Garage' },
      {
        type: 'offer-property',
        property: 'land',
        closes_on: '2024-03-20',
        min_rent_minor: 500n,
        currency: 'EUR',
      },
    );
    return s;
  }

  it('lets the property to the highest rent; a tie goes to the earliest bid', () => {
    const s = offered();
    s.on('2024-03-05').given({ type: 'bid-rent', property: 'land', enterprise: 'bakery', rent_minor: 800n });
    s.on('2024-03-06').given({ type: 'bid-rent', property: 'land', enterprise: 'garage', rent_minor: 900n });
    s.on('2024-03-07').given({ type: 'bid-rent', property: 'land', enterprise: 'bakery', rent_minor: 900n });
    s.reject({ type: 'close-rent-auction', property: 'land' }, 'AUCTION_OPEN');
    s.on('2024-03-20');
    const events = s.accept({ type: 'close-rent-auction', property: 'land' });
    expect(events[0]).toMatchObject({
      type: 'rent-auction-closed',
      bids: 3,
      winner: { enterprise: 'garage', rent_minor: 900n },
    });
    expect(events[1]).toMatchObject({
      type: 'lease-started',
      enterprise: 'garage',
      rent_minor: 900n,
      source: 'auction',
    });
    expect(s.state.properties.get('land')?.last_auction_rent_minor).toBe(900n);
    s.reject(
      { type: 'bid-rent', property: 'land', enterprise: 'bakery', rent_minor: 1_000n },
      'AUCTION_CLOSED',
    );
    s.reject({ type: 'close-rent-auction', property: 'land' }, 'AUCTION_CLOSED');
  });

  it('leaves the property vacant when nobody bids', () => {
    const s = offered();
    s.on('2024-03-21');
    const events = s.accept({ type: 'close-rent-auction', property: 'land' });
    expect(events).toEqual([expect.objectContaining({ type: 'rent-auction-closed', bids: 0, winner: null })]);
    expect(s.state.properties.get('land')?.status).toBe('vacant');
  });

  it('refuses bids below the minimum, after the close, from unknown or non-commune enterprises, and a second offer', () => {
    const s = offered();
    s.reject({ type: 'bid-rent', property: 'land', enterprise: 'bakery', rent_minor: 499n }, 'BID_TOO_LOW');
    s.reject({ type: 'bid-rent', property: 'land', enterprise: 'ghost', rent_minor: 600n }, 'NOT_FOUND');
    s.reject({ type: 'bid-rent', property: 'servers', enterprise: 'bakery', rent_minor: 600n }, 'NOT_FOUND');
    s.reject(
      { type: 'offer-property', property: 'land', closes_on: '2024-03-25', currency: 'EUR' },
      'PROPERTY_LEASED',
    );
    s.reject(
      { type: 'lease', property: 'land', enterprise: 'bakery', rent_minor: 1n, currency: 'EUR' },
      'PROPERTY_LEASED',
    );
    s.reject({ type: 'close-rent-auction', property: 'servers' }, 'NOT_FOUND');
    s.on('2024-03-21').reject(
      { type: 'bid-rent', property: 'land', enterprise: 'bakery', rent_minor: 600n },
      'AUCTION_CLOSED',
    );
  });

  it('refuses to offer leased property or a window in the past or too long', () => {
    const s = withVacantProperty();
    s.reject(
      { type: 'offer-property', property: 'servers', closes_on: '2024-03-10', currency: 'EUR' },
      'PROPERTY_LEASED',
    );
    s.reject(
      { type: 'offer-property', property: 'land', closes_on: '2024-02-10', currency: 'EUR' },
      'INVALID',
    );
    s.reject(
      { type: 'offer-property', property: 'land', closes_on: '2026-02-10', currency: 'EUR' },
      'INVALID',
    );
  });
});
