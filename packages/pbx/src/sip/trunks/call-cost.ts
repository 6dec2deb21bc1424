import { rateCall } from '../../rating/call-rating.js';
import type { RateDeckCache } from '../../rating/rate-deck-cache.js';
import type { OutboundTrunkLeg } from './trunk-call-book.js';

/**
 * What an answered outside call has cost the tenant up to `at_ms` (its
 * price, rated exactly as the bill will rate it), for the fraud guard's
 * spend limits while the call lasts. Zero when it cannot be rated.
 */
export function priceSoFar(
  leg: OutboundTrunkLeg,
  decks: RateDeckCache,
  currency: string,
  at_ms: number,
): bigint {
  if (leg.answeredAt_ms === undefined || leg.carrierId === undefined || leg.emergency) return 0n;
  if (at_ms <= leg.answeredAt_ms) return 0n;
  const listId = leg.tenant.billing?.priceList;
  const rated = rateCall(
    {
      callId: '',
      tenantId: leg.tenant.id,
      extension: leg.extension,
      carrierId: leg.carrierId,
      e164: leg.number,
      answeredAt_ms: leg.answeredAt_ms,
      endedAt_ms: at_ms,
    },
    {
      carrier: decks.get({ kind: 'carrier', id: leg.carrierId }),
      priceList: listId === undefined ? undefined : decks.get({ kind: 'pricelist', id: listId }),
    },
    leg.tenant.billing,
    currency,
  );
  return rated.ok ? rated.rated.price_micro : 0n;
}
