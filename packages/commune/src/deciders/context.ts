/**
 * What every decider works with, and the small guards they share. A guard
 * returns the record it found or a refusal; deciders return early on a
 * refusal, so an outcome is always a value (STYLE §6).
 */
import type { GovernedCommandType } from '../bylaws.js';
import { addDays, type IsoDate } from '../dates.js';
import type { CommuneEvent } from '../events.js';
import { limits } from '../limits.js';
import { heldPastGrace } from '../queries.js';
import type { Enterprise, Person } from '../records.js';
import type { Rejection, RejectionCode } from '../rejection.js';
import type { CommuneState } from '../state.js';

export type Decision = { readonly events: readonly CommuneEvent[] } | { readonly rejection: Rejection };
export interface Refused {
  readonly rejection: Rejection;
}

export function refuse(code: RejectionCode, message: string): Refused {
  return { rejection: { code, message } };
}

export function isRefused(value: unknown): value is Refused {
  return typeof value === 'object' && value !== null && 'rejection' in value;
}

export function accept(...events: CommuneEvent[]): Decision {
  return { events };
}

type Counter = 'share' | 'employment' | 'lease' | 'bid';
const prefixes: Record<Counter, string> = {
  share: 'share',
  employment: 'employment',
  lease: 'lease',
  bid: 'bid',
};

/** Generated identifiers (`lease#4`) for the records one decision creates. */
export class Ids {
  readonly #taken: Record<Counter, number> = { share: 0, employment: 0, lease: 0, bid: 0 };

  constructor(private readonly state: CommuneState) {}

  /** The sequence number the next record of this kind gets. */
  nextNumber(counter: Counter): number {
    this.#taken[counter] += 1;
    return this.state.count(counter) + this.#taken[counter];
  }

  next(counter: Counter): string {
    return `${prefixes[counter]}#${this.nextNumber(counter)}`;
  }
}

export interface Context {
  readonly state: CommuneState;
  readonly date: IsoDate;
  readonly ids: Ids;
  /** The passed proposal this decision carries out, if any (§10). */
  readonly proposal: string | null;
}

export function requireIncorporated(ctx: Context): Refused | null {
  if (ctx.state.meta.value.phase === 'incorporated') return null;
  return refuse(
    'NOT_INCORPORATED',
    'there is no commune yet: co-operatives must first accumulate property and incorporate',
  );
}

export function requireCoop(ctx: Context): Refused | null {
  if (ctx.state.meta.value.phase === 'pre-commune') return null;
  return refuse(
    'ALREADY_INCORPORATED',
    `the commune was incorporated on ${ctx.state.meta.value.incorporated_on}`,
  );
}

export function findPerson(ctx: Context, id: string): Person | Refused {
  return ctx.state.persons.get(id) ?? refuse('NOT_FOUND', `no person "${id}"`);
}

export function findEnterprise(ctx: Context, id: string): Enterprise | Refused {
  return ctx.state.enterprises.get(id) ?? refuse('NOT_FOUND', `no enterprise "${id}"`);
}

/**
 * An enterprise that may take a lease or funding: not holding property past
 * the grace period (§3.2). (Every enterprise is a commune enterprise once the
 * commune is incorporated, and these commands need a commune.)
 */
export function findActiveEnterprise(ctx: Context, id: string): Enterprise | Refused {
  const enterprise = findEnterprise(ctx, id);
  if (isRefused(enterprise)) return enterprise;
  const late = heldPastGrace(ctx.state, id, ctx.date);
  if (late.length > 0) {
    return refuse(
      'PROPERTY_HELD_BY_ENTERPRISE',
      `enterprise "${id}" has held ${late.map((p) => p.id).join(', ')} past the ${ctx.state.bylaws.grace_period_days}-day grace period; it must sell to the commune before taking a new lease or funding`,
    );
  }
  return enterprise;
}

/** Bylaws may reserve a command for a members' vote (§10). */
export function requireVote(ctx: Context, type: GovernedCommandType): Refused | null {
  if (ctx.proposal !== null) return null;
  if (!ctx.state.bylaws.votes_required_for.includes(type)) return null;
  return refuse('VOTE_REQUIRED', `the bylaws reserve "${type}" for a members' vote: propose it`);
}

export function requireCurrency(ctx: Context, currency: string): Refused | null {
  const meta = ctx.state.meta.value;
  if (currency === meta.outside_currency || currency === meta.currency) return null;
  return refuse(
    'INVALID',
    `currency ${currency} is neither ${meta.outside_currency} nor the commune's ${meta.currency}`,
  );
}

/** An auction or voting window closes on or after today and within the limit. */
export function checkWindow(ctx: Context, closes_on: IsoDate): Refused | null {
  if (closes_on < ctx.date) return refuse('INVALID', `closes_on ${closes_on} is before ${ctx.date}`);
  if (closes_on > addDays(ctx.date, limits.windowDays)) {
    return refuse('INVALID', `an auction or vote stays open at most ${limits.windowDays} days`);
  }
  return null;
}
