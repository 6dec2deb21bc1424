/**
 * Given/when/then for commands: a scenario runs commands against an engine,
 * dating and keying them, and checks every invariant after each one.
 */
import { expect } from 'vitest';
import type { Command } from '../../src/commands.js';
import { CommuneEngine } from '../../src/engine.js';
import type { CommuneEvent } from '../../src/events.js';
import type { LogEntry } from '../../src/hash-chain.js';
import { checkInvariants } from '../../src/invariants.js';
import type { RejectionCode } from '../../src/rejection.js';
import { stateDigest } from '../../src/snapshot.js';

export type Draft = Command extends infer C
  ? C extends Command
    ? Omit<C, 'idempotency_key' | 'effective_date'>
    : never
  : never;

export class Scenario {
  readonly engine = new CommuneEngine();
  readonly entries: LogEntry[] = [];
  date = '2024-01-01';
  #n = 0;

  get state() {
    return this.engine.state;
  }

  on(date: string): this {
    this.date = date;
    return this;
  }

  command(draft: Draft | Record<string, unknown>): Record<string, unknown> {
    this.#n += 1;
    return { ...draft, idempotency_key: `k${this.#n}`, effective_date: this.date };
  }

  /** Given: these commands are accepted. */
  given(...drafts: (Draft | Record<string, unknown>)[]): this {
    for (const draft of drafts) this.accept(draft);
    return this;
  }

  /** When/then: the command is accepted; every invariant holds afterwards. Returns its events. */
  accept(draft: Draft | Record<string, unknown>): readonly CommuneEvent[] {
    const outcome = this.engine.execute(this.command(draft));
    if (outcome.status !== 'accepted') {
      throw new Error(
        `${String(draft.type)} on ${this.date} was not accepted: ${JSON.stringify(outcome, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`,
      );
    }
    this.entries.push(outcome.entry);
    expect(checkInvariants(this.state)).toEqual([]);
    return outcome.entry.events;
  }

  /** When/then: the command is rejected with this code and the state is exactly as before. */
  reject(draft: Draft | Record<string, unknown>, code: RejectionCode): string {
    const before = stateDigest(this.state);
    const outcome = this.engine.execute(this.command(draft));
    expect(
      outcome.status,
      JSON.stringify(outcome, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    ).toBe('rejected');
    if (outcome.status !== 'rejected') return '';
    expect(outcome.rejection.code, outcome.rejection.message).toBe(code);
    expect(outcome.rejection.message.length).toBeGreaterThan(0);
    expect(stateDigest(this.state)).toBe(before);
    return outcome.rejection.message;
  }

  balance(account: string, currency = 'EUR'): bigint {
    return this.state.balances.get(`${currency} ${account}`) ?? 0n;
  }
}

export const coopWorkers = ['ada', 'bruno', 'chiara'] as const;

/**
 * A pre-commune co-op with three workers who each recorded `hours`, cash from
 * revenue, and one property bought with it.
 */
export function coop(hours = 520): Scenario {
  const s = new Scenario();
  s.on('2024-01-02').given(
    ...coopWorkers.map(
      (person) => ({ type: 'register-person', person, name: person.toUpperCase() }) as const,
    ),
    { type: 'found-enterprise', enterprise: 'coop', name: 'Telekommunisten', opening_cash_minor: 100_000n },
    ...coopWorkers.map((person) => ({ type: 'employ', person, enterprise: 'coop' }) as const),
  );
  s.on('2024-02-01').given(
    ...coopWorkers.map((person) => ({ type: 'record-labour', person, enterprise: 'coop', hours }) as const),
    { type: 'record-enterprise-revenue', enterprise: 'coop', amount_minor: 2_000_000n, currency: 'EUR' },
    {
      type: 'register-property',
      property: 'servers',
      enterprise: 'coop',
      kind: 'capital',
      description: 'servers',
      cost_minor: 1_000_000n,
    },
  );
  return s;
}

/** The co-op incorporated: its servers leased back at 500.00 EUR a month; three founding members. */
export function incorporated(bylaws: Record<string, unknown> = {}): Scenario {
  const s = coop();
  s.on('2024-03-01').given({
    type: 'incorporate',
    name: 'Test Commune',
    bylaws: { labour_threshold_hours: 500, ...bylaws },
    founding_bonds: { coupon_bp: 400, term_months: 12, coupon_frequency: 4 },
    leasebacks: [{ property: 'servers', rent_minor: 50_000n, currency: 'EUR' }],
  } as Draft);
  return s;
}

/** An incorporated commune with a vacant property the commune bought from its treasury by vote. */
export function withVacantProperty(): Scenario {
  const s = incorporated({ votes_required_for: [] });
  s.on('2024-03-02').given(
    { type: 'run-rent-cycle', period: '2024-03' },
    { type: 'pay-rent', enterprise: 'coop', amount_minor: 50_000n, currency: 'EUR' },
  );
  s.given({
    type: 'acquire-property',
    property: 'land',
    kind: 'land',
    description: 'a plot for a data centre',
    cost_minor: 10_000n,
    seller: 'Town',
    paid_from: 'treasury',
  });
  return s;
}

/** Marks a deliberately malformed or hostile command: it bypasses the typed API, as JSON from outside would. */
export function raw(value: Record<string, unknown>): Record<string, unknown> {
  return value;
}
