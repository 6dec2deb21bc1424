/**
 * A billing increment `initial/step` in seconds: `60/60` bills whole minutes,
 * `1/1` per second, `30/6` a first 30 seconds and then every started 6.
 */
export interface BillingIncrement {
  readonly initial_s: number;
  readonly increment_s: number;
}

export const maxIncrement_s = 3600;

export function parseBillingIncrement(text: string): BillingIncrement | undefined {
  const match = /^\s*([0-9]{1,4})\s*\/\s*([0-9]{1,4})\s*$/.exec(text);
  if (!match) return undefined;
  const initial_s = Number(match[1]);
  const increment_s = Number(match[2]);
  if (initial_s < 1 || increment_s < 1 || initial_s > maxIncrement_s || increment_s > maxIncrement_s) {
    return undefined;
  }
  return { initial_s, increment_s };
}

export function formatBillingIncrement(increment: BillingIncrement): string {
  return `${increment.initial_s}/${increment.increment_s}`;
}

/** Seconds billed for a call that lasted `duration_s` (answered time, whole seconds rounded up). */
export function incrementedSeconds(duration_s: number, increment: BillingIncrement): number {
  if (!(duration_s > 0)) return 0;
  const seconds = Math.ceil(duration_s);
  if (seconds <= increment.initial_s) return increment.initial_s;
  const rest = seconds - increment.initial_s;
  return increment.initial_s + Math.ceil(rest / increment.increment_s) * increment.increment_s;
}
