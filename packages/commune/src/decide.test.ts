import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { CommuneEngine, decide } from './engine.js';
import { evolve } from './evolve.js';
import { telekommunistenJournal } from './examples/telekommunisten.js';
import { stateDigest } from './snapshot.js';

describe('decide(command, state) and evolve(state, event)', () => {
  it('decide is pure, and evolving its events gives what executing the command gives', () => {
    const journal = telekommunistenJournal();
    const engine = new CommuneEngine();
    const shadow = new CommuneEngine();
    for (const command of journal) {
      const before = stateDigest(engine.state);
      const decision = decide(command, engine.state);
      expect(stateDigest(engine.state)).toBe(before);
      expect('events' in decision).toBe(true);
      const outcome = engine.execute(command);
      if (outcome.status !== 'accepted' || !('events' in decision)) throw new Error(command.type);
      expect(canonicalJson(decision.events)).toBe(canonicalJson(outcome.entry.events));
      for (const event of decision.events) evolve(shadow.state, event);
    }
    // The ledger and records evolved from decided events equal the engine's (the log-level counters aside).
    expect(canonicalJson([...shadow.state.balances.entries()].sort())).toBe(
      canonicalJson([...engine.state.balances.entries()].sort()),
    );
    expect(canonicalJson([...shadow.state.shares.entries()])).toBe(
      canonicalJson([...engine.state.shares.entries()]),
    );
  });

  it('returns a rejection for a bad command, and no events for a retry', () => {
    const engine = new CommuneEngine();
    const command = {
      type: 'register-person',
      idempotency_key: 'k',
      effective_date: '2024-01-01',
      person: 'ada',
      name: 'Ada',
    };
    expect(decide({ ...command, person: '' }, engine.state)).toHaveProperty('rejection.code', 'INVALID');
    engine.execute(command);
    expect(decide(command, engine.state)).toEqual({ events: [] });
    expect(decide({ ...command, name: 'Other' }, engine.state)).toHaveProperty('rejection.code', 'DUPLICATE');
  });
});
