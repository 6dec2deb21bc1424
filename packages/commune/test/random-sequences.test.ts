/**
 * Property-based tests: random sequences of commands, from a small world of
 * people, enterprises, property, bonds and proposals, against a commune with
 * a co-op founded and incorporated. After every command every invariant
 * holds; a rejected command leaves the state untouched; replaying the log
 * rebuilds the same state and ledger bit for bit, and the audit finds nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../src/audit.js';
import { addDays, periodOf } from '../src/dates.js';
import { CommuneEngine } from '../src/engine.js';
import { commandJsonOf, EncodedEntry, eventsJsonOf, type LogEntry } from '../src/hash-chain.js';
import { checkInvariants } from '../src/invariants.js';
import { stateDigest } from '../src/snapshot.js';
import { coop, incorporated } from './support/scenario.js';

const people = ['ada', 'bruno', 'chiara', 'dee', 'eli', 'fay'];
const enterprises = ['coop', 'bakery', 'garage'];
const properties = ['servers', 'land', 'van', 'router', 'shop'];
const series = ['s1', 's2', 's3'];
const proposals = ['q1', 'q2'];
const currencies = ['EUR', 'VCC'];

const person = fc.constantFrom(...people);
const enterprise = fc.constantFrom(...enterprises);
const property = fc.constantFrom(...properties);
const seriesId = fc.constantFrom(...series);
const currency = fc.constantFrom(...currencies);
const amount = fc.bigInt({ min: 1n, max: 200_000n });
const rent = fc.bigInt({ min: 100n, max: 60_000n });

/** A command without its date: the period-taking ones get theirs from the date. */
type Draft = Record<string, unknown> & { type: string };

const governed = fc.oneof(
  fc.record({
    type: fc.constant('amend-bylaws'),
    changes: fc.record({ reserve_rate_bp: fc.integer({ min: 0, max: 5_000 }) }),
  }),
  fc.record({
    type: fc.constant('liquidate-property'),
    property,
    buyer: fc.constant('Buyer'),
    proceeds_minor: amount,
  }),
  fc.record({
    type: fc.constant('acquire-property'),
    property,
    kind: fc.constant('land'),
    description: fc.constant('plot'),
    cost_minor: amount,
    seller: fc.constant('Town'),
    paid_from: fc.constantFrom('treasury', 'reserve'),
  }),
);

const draft: fc.Arbitrary<Draft> = fc.oneof(
  fc.record({ type: fc.constant('register-person'), person, name: fc.constant('Someone') }),
  fc.record({ type: fc.constant('found-enterprise'), enterprise, name: fc.constant('Enterprise') }),
  fc.record({ type: fc.constant('employ'), person, enterprise }),
  fc.record({ type: fc.constant('end-employment'), person, enterprise }),
  fc.record({
    type: fc.constant('record-labour'),
    person,
    enterprise,
    hours: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({ type: fc.constant('record-labour'), person, hours: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ type: fc.constant('apply'), person }),
  fc.record({ type: fc.constant('admit-member'), person }),
  fc.record({ type: fc.constant('resign'), person }),
  fc.record({
    type: fc.constant('register-property'),
    property,
    enterprise,
    kind: fc.constant('capital'),
    description: fc.constant('thing'),
    cost_minor: amount,
  }),
  fc.record({
    type: fc.constant('request-acquisition'),
    request: fc.constantFrom('r1', 'r2'),
    enterprise,
    property,
    kind: fc.constant('capital'),
    description: fc.constant('thing'),
    price_minor: amount,
    seller: fc.constant('Vendor'),
    lease: fc.record({ rent_minor: rent, currency }),
  }),
  fc.record({
    type: fc.constant('sell-property-to-commune'),
    property,
    payment: fc.constantFrom('outside', 'currency', 'bonds'),
    bonds: fc.record({
      series: seriesId,
      coupon_bp: fc.integer({ min: 0, max: 900 }),
      term_months: fc.constant(12),
      coupon_frequency: fc.constantFrom(1, 2, 4, 12),
    }),
    lease: fc.record({ rent_minor: rent, currency }),
  }),
  fc.record({
    type: fc.constant('lease'),
    property,
    enterprise,
    rent_minor: rent,
    currency,
    frequency: fc.constantFrom('monthly', 'quarterly', 'annual'),
  }),
  fc.record({ type: fc.constant('end-lease'), property }),
  fc.record({
    type: fc.constant('offer-property'),
    property,
    closes_on_days: fc.integer({ min: 5, max: 30 }),
    currency,
  }),
  fc.record({ type: fc.constant('bid-rent'), property, enterprise, rent_minor: rent }),
  fc.record({ type: fc.constant('close-rent-auction'), property }),
  fc.record({ type: fc.constant('run-rent-cycle') }),
  fc.record({
    type: fc.constant('pay-rent'),
    enterprise,
    amount_minor: fc.bigInt({ min: 1n, max: 60_000n }),
    currency,
  }),
  fc.record({ type: fc.constant('fund-enterprise'), enterprise, amount_minor: amount }),
  fc.record({ type: fc.constant('redeem-currency'), enterprise, amount_minor: amount }),
  fc.record({ type: fc.constant('record-enterprise-revenue'), enterprise, amount_minor: amount, currency }),
  fc.record({ type: fc.constant('record-enterprise-expense'), enterprise, amount_minor: amount, currency }),
  fc.record({
    type: fc.constant('issue-bonds'),
    series: seriesId,
    purpose: fc.constant('purpose'),
    request: fc.constantFrom(undefined, undefined, undefined, 'r1', 'r2'),
    face_minor: fc.constantFrom(1_000n, 10_000n),
    quantity: fc.integer({ min: 1, max: 50 }),
    term_months: fc.constantFrom(3, 6, 12),
    coupon_frequency: fc.constantFrom(1, 2, 4, 12).filter((f) => f !== 1),
    closes_on_days: fc.integer({ min: 0, max: 10 }),
    per_bidder_cap_bp: fc.option(fc.integer({ min: 2_000, max: 10_000 }), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('bid'),
    series: seriesId,
    bidder: person,
    quantity: fc.integer({ min: 1, max: 30 }),
    min_yield_bp: fc.integer({ min: 0, max: 20 }).map((n) => n * 25),
  }),
  fc.record({ type: fc.constant('close-auction'), series: seriesId }),
  fc.record({ type: fc.constant('run-bond-schedule') }),
  fc.record({ type: fc.constant('distribute') }),
  fc.record({
    type: fc.constant('propose'),
    proposal: fc.constantFrom(...proposals),
    proposer: person,
    title: fc.constant('t'),
    closes_on_days: fc.integer({ min: 5, max: 30 }),
    payload: governed,
  }),
  fc.record({
    type: fc.constant('vote'),
    proposal: fc.constantFrom(...proposals),
    member: person,
    choice: fc.constantFrom('yes', 'no', 'abstain'),
  }),
  fc.record({ type: fc.constant('close-proposal'), proposal: fc.constantFrom(...proposals) }),
  fc.record({ type: fc.constantFrom('buy-share', 'transfer-share', 'inherit-share'), person }),
  // Steered steps: act on what exists now, so sequences reach deep states.
  ...[1, 2, 3].flatMap(() => [
    fc.record({ type: fc.constant('pay-owed'), pick: fc.nat(), part: fc.integer({ min: 1, max: 4 }) }),
    fc.record({
      type: fc.constant('vote-open'),
      pick: fc.nat(),
      choice: fc.constantFrom('yes', 'yes', 'no', 'abstain'),
    }),
    fc.record({ type: fc.constant('bid-rent-open'), pick: fc.nat(), enterprise, rent_minor: rent }),
  ]),
  fc.record({ type: fc.constant('close-open'), pick: fc.nat() }),
) as fc.Arbitrary<Draft>;

/** Resolve a steered step against the state; plain steps pass through. */
function steer(draft: Draft, state: CommuneEngine['state']): Draft {
  const pick = <T>(items: T[], n: number): T | undefined =>
    items.length === 0 ? undefined : items[n % items.length];
  if (draft.type === 'pay-owed') {
    const open = [...state.invoices.values()].filter((i) => i.paid_minor < i.amount_minor);
    const invoice = pick(open, draft.pick as number);
    if (!invoice) return { type: 'pay-rent', enterprise: 'coop', amount_minor: 1n, currency: 'EUR' };
    const due = invoice.amount_minor - invoice.paid_minor;
    const amount = due / BigInt(draft.part as number);
    return {
      type: 'pay-rent',
      enterprise: invoice.enterprise,
      amount_minor: amount > 0n ? amount : due,
      currency: invoice.currency,
    };
  }
  if (draft.type === 'vote-open') {
    const open = [...state.proposals.values()].filter((p) => p.status === 'open');
    const proposal = pick(open, draft.pick as number);
    const member = pick([...state.members.keys()].sort(), (draft.pick as number) >> 3);
    return { type: 'vote', proposal: proposal?.id ?? 'q1', member: member ?? 'ada', choice: draft.choice };
  }
  if (draft.type === 'bid-rent-open') {
    const open = [...state.rentAuctions.values()].filter((a) => a.status === 'open');
    return {
      type: 'bid-rent',
      property: pick(open, draft.pick as number)?.property ?? 'land',
      enterprise: draft.enterprise,
      rent_minor: draft.rent_minor,
    };
  }
  if (draft.type === 'close-open') {
    const auctions = [...state.rentAuctions.values()]
      .filter((a) => a.status === 'open')
      .map((a) => ({ type: 'close-rent-auction', property: a.property }));
    const proposals = [...state.proposals.values()]
      .filter((p) => p.status === 'open')
      .map((p) => ({ type: 'close-proposal', proposal: p.id }));
    return (
      pick<Draft>([...auctions, ...proposals], draft.pick as number) ?? {
        type: 'close-proposal',
        proposal: 'q1',
      }
    );
  }
  return draft;
}

/** How often each command was accepted or refused with each code, to check the generator reaches deep states. */
const outcomes = new Map<string, number>();
function tally(type: string, result: string) {
  const k = `${type} ${result}`;
  outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
}
export function outcomeCounts(): ReadonlyMap<string, number> {
  return outcomes;
}

const step = fc.record({ days: fc.integer({ min: 0, max: 8 }), previousPeriod: fc.boolean(), draft });

/** Fill in dates and periods relative to the command's date. */
function dated(
  step: { days: number; previousPeriod: boolean; draft: Draft },
  date: string,
  n: number,
): Record<string, unknown> {
  const { closes_on_days, ...rest } = step.draft as Draft & { closes_on_days?: number };
  const command: Record<string, unknown> = { ...rest, idempotency_key: `r${n}`, effective_date: date };
  if (closes_on_days !== undefined) command.closes_on = addDays(date, closes_on_days);
  if (['run-rent-cycle', 'run-bond-schedule', 'distribute'].includes(step.draft.type)) {
    command.period = periodOf(step.previousPeriod ? addDays(date.slice(0, 8) + '01', -1) : date);
  }
  return command;
}

function runSequence(
  start: () => { engine: CommuneEngine; entries: LogEntry[]; date: string },
  steps: fc.Arbitrary<unknown[]>,
) {
  return fc.property(steps, (raw) => {
    const { engine, entries, date: startDate } = start();
    let date = startDate;
    raw.forEach((value, i) => {
      const s = value as { days: number; previousPeriod: boolean; draft: Draft };
      date = addDays(date, s.days);
      const before = stateDigest(engine.state);
      const steered = steer(s.draft, engine.state);
      const outcome = engine.execute(dated({ ...s, draft: steered }, date, i));
      tally(steered.type, outcome.status === 'rejected' ? outcome.rejection.code : outcome.status);
      if (outcome.status === 'accepted') {
        entries.push(outcome.entry);
        const violations = checkInvariants(engine.state);
        expect(violations, `after ${s.draft.type} on ${date}`).toEqual([]);
      } else {
        expect(stateDigest(engine.state)).toBe(before);
        // The invariant net catching a command means a decider let it through: a bug.
        if (outcome.status === 'rejected')
          expect(outcome.rejection.message, s.draft.type).not.toMatch(/^invariant "/);
      }
    });
    const replayed = CommuneEngine.fromLog(entries);
    expect(stateDigest(replayed.state)).toBe(stateDigest(engine.state));
    expect(replayed.head).toBe(engine.head);
    // As a store replays: from the stored text, commands left undecoded.
    const stored = CommuneEngine.fromLog(
      entries.map((e) =>
        EncodedEntry.parse(e.seq, commandJsonOf(e), eventsJsonOf(e), e.prev_hash, e.hash, e.command),
      ),
    );
    expect(stateDigest(stored.state)).toBe(stateDigest(engine.state));
    expect(stored.head).toBe(engine.head);
    const report = audit(entries, { expected_digest: stateDigest(engine.state) });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
  });
}

function fromScenario(make: () => ReturnType<typeof incorporated>) {
  return () => {
    const s = make();
    return { engine: s.engine, entries: [...s.entries], date: s.date };
  };
}

describe('random command sequences', () => {
  it('keep every invariant after every command, leave rejected commands without trace, and replay exactly (incorporated)', () => {
    const start = fromScenario(() => {
      const s = incorporated({ votes_required_for: ['amend-bylaws'] });
      s.given(
        ...['dee', 'eli', 'fay'].map((p) => ({ type: 'register-person', person: p, name: p }) as const),
        { type: 'found-enterprise', enterprise: 'bakery', name: 'Bakery' },
        { type: 'found-enterprise', enterprise: 'garage', name: 'Garage' },
        { type: 'employ', person: 'dee', enterprise: 'coop' },
        { type: 'employ', person: 'eli', enterprise: 'bakery' },
        { type: 'record-enterprise-revenue', enterprise: 'bakery', amount_minor: 500_000n, currency: 'EUR' },
        { type: 'record-enterprise-revenue', enterprise: 'garage', amount_minor: 500_000n, currency: 'EUR' },
        { type: 'run-rent-cycle', period: '2024-03' },
        { type: 'pay-rent', enterprise: 'coop', amount_minor: 50_000n, currency: 'EUR' },
        { type: 'fund-enterprise', enterprise: 'coop', amount_minor: 100_000n },
        {
          type: 'acquire-property',
          property: 'land',
          kind: 'land',
          description: 'plot',
          cost_minor: 20_000n,
          seller: 'Town',
          paid_from: 'treasury',
        },
        {
          type: 'register-property',
          property: 'van',
          enterprise: 'bakery',
          kind: 'capital',
          description: 'van',
          cost_minor: 30_000n,
        },
        {
          type: 'issue-bonds',
          series: 's1',
          purpose: 'general',
          face_minor: 1_000n,
          quantity: 40,
          term_months: 6,
          coupon_frequency: 12,
          closes_on: '2024-04-20',
          per_bidder_cap_bp: 5_000,
        },
      );
      return s;
    });
    fc.assert(runSequence(start, fc.array(step, { minLength: 20, maxLength: 60 })), { numRuns: 120 });
  });

  it('do the same from the pre-commune phase through incorporation', () => {
    const start = fromScenario(() => coop());
    const incorporate = fc.constant({
      days: 1,
      previousPeriod: false,
      draft: {
        type: 'incorporate',
        name: 'Random Commune',
        founding_bonds: { coupon_bp: 300, term_months: 12, coupon_frequency: 4 },
        leasebacks: [{ property: 'servers', rent_minor: 40_000n, currency: 'EUR' }],
      } as Draft,
    });
    const steps = fc
      .tuple(
        fc.array(step, { minLength: 5, maxLength: 15 }),
        incorporate,
        fc.array(step, { minLength: 10, maxLength: 40 }),
      )
      .map(([before, inc, after]) => [...before, inc, ...after]);
    fc.assert(runSequence(start, steps), { numRuns: 60 });
  });

  it('reach deep states: every kind of command is sometimes accepted', () => {
    const accepted = new Set(
      [...outcomeCounts().keys()].filter((k) => k.endsWith(' accepted')).map((k) => k.split(' ')[0]),
    );
    if (process.env.TK_SHOW_OUTCOMES) console.log([...outcomeCounts().entries()].sort().join('\n'));
    for (const type of [
      'apply',
      'resign',
      'lease',
      'end-lease',
      'pay-rent',
      'issue-bonds',
      'bid',
      'close-auction',
      'distribute',
      'propose',
      'vote',
      'close-proposal',
      'sell-property-to-commune',
      'offer-property',
      'run-bond-schedule',
      'run-rent-cycle',
      'fund-enterprise',
    ]) {
      expect(accepted, type).toContain(type);
    }
  });
});
