import type { RateIndex, RateMatch } from '../rating/rate-index.js';
import type { CarrierConfig } from './carrier-config.js';
import type { CarrierStatusView } from './carrier-status.js';
import { formatForCarrier } from './number-format.js';

/** One carrier a call may go to, with the rate it charges and the number as it expects it. */
export interface RouteCandidate {
  readonly carrier: CarrierConfig;
  readonly rate: RateMatch;
  /** The Request-URI user part for this carrier (number format and tech prefix applied). */
  readonly dialString: string;
}

export type SkipReason = 'disabled' | 'unhealthy' | 'at-capacity' | 'no-rate';

export interface LeastCostRoutes {
  readonly e164: string;
  /** Cheapest first. */
  readonly candidates: readonly RouteCandidate[];
  /** Carriers left out, and why, for logs and the API's route preview. */
  readonly skipped: readonly { readonly carrierId: string; readonly reason: SkipReason }[];
}

/** Where LCR finds each carrier's deck; undefined when the carrier has none loaded. */
export type RateDecks = (carrierId: string) => RateIndex | undefined;

/**
 * Orders carriers for a call to an E.164 number by what each charges for its
 * own longest matching prefix at `at` (pbx.md §5): the rate per minute, then
 * the connect fee, then the carrier id so equal offers order the same way
 * every time. Disabled, unhealthy and full carriers, and those with no rate
 * for the number, are skipped.
 */
export function leastCostRoutes(
  e164: string,
  carriers: readonly CarrierConfig[],
  decks: RateDecks,
  status: CarrierStatusView,
  at: Date = new Date(),
): LeastCostRoutes {
  const at_ms = at.getTime();
  const candidates: RouteCandidate[] = [];
  const skipped: { carrierId: string; reason: SkipReason }[] = [];
  for (const carrier of carriers) {
    if (!carrier.enabled) {
      skipped.push({ carrierId: carrier.id, reason: 'disabled' });
      continue;
    }
    const rate = decks(carrier.id)?.lookup(e164, at_ms);
    if (!rate) skipped.push({ carrierId: carrier.id, reason: 'no-rate' });
    else if (!status.isHealthy(carrier.id)) skipped.push({ carrierId: carrier.id, reason: 'unhealthy' });
    else if (status.activeCalls(carrier.id) >= carrier.maxCalls) {
      skipped.push({ carrierId: carrier.id, reason: 'at-capacity' });
    } else candidates.push({ carrier, rate, dialString: formatForCarrier(e164, carrier) });
  }
  candidates.sort(compareOffers);
  return { e164, candidates, skipped };
}

function compareOffers(a: RouteCandidate, b: RouteCandidate): number {
  if (a.rate.rate_micro_per_min !== b.rate.rate_micro_per_min) {
    return a.rate.rate_micro_per_min < b.rate.rate_micro_per_min ? -1 : 1;
  }
  if (a.rate.connect_micro !== b.rate.connect_micro)
    return a.rate.connect_micro < b.rate.connect_micro ? -1 : 1;
  return a.carrier.id < b.carrier.id ? -1 : a.carrier.id > b.carrier.id ? 1 : 0;
}

/**
 * Carriers for an emergency call: every enabled, healthy carrier marked
 * `emergency`, in configuration order, regardless of rates or capacity
 * (an emergency call is never refused for a full trunk). The short code is
 * sent as dialled, without tech prefix.
 */
export function emergencyRoutes(
  shortCode: string,
  carriers: readonly CarrierConfig[],
  status: CarrierStatusView,
): { readonly carrier: CarrierConfig; readonly dialString: string }[] {
  const usable = carriers.filter((c) => c.enabled && c.emergency);
  const healthy = usable.filter((c) => status.isHealthy(c.id));
  // When every emergency carrier looks down, try them all anyway: the health check may be wrong.
  return (healthy.length > 0 ? healthy : usable).map((carrier) => ({ carrier, dialString: shortCode }));
}
