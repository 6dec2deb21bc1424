/**
 * Distribution history (venture-commune.md §7, §12), each with the waterfall's
 * arithmetic.
 */
import type { IsoDate, Period } from '../dates.js';
import { type Waterfall, waterfallArithmetic } from '../rent-waterfall.js';
import type { CommuneState } from '../state.js';

export interface DistributionRow {
  readonly period: Period;
  readonly currency: string;
  readonly date: IsoDate;
  readonly waterfall: Waterfall;
  readonly arithmetic: readonly string[];
}

export function distributionHistory(state: CommuneState): DistributionRow[] {
  return [...state.distributions.values()]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.currency < b.currency ? -1 : 1))
    .map((d) => ({
      period: d.period,
      currency: d.currency,
      date: d.date,
      waterfall: d.waterfall,
      arithmetic: waterfallArithmetic(d.waterfall),
    }));
}
