import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { CommuneEngine } from './engine.js';
import { telekommunistenJournal } from './examples/telekommunisten.js';
import { sha256Hex } from './hash-chain.js';
import { snapshot, stateDigest } from './snapshot.js';

describe('stateDigest', () => {
  it('is SHA-256 of the canonical JSON of the snapshot, hashed piece by piece', () => {
    const engine = new CommuneEngine();
    for (const command of telekommunistenJournal()) engine.execute(command);
    // Keys that sort differently as numbers, as code units and by insertion order.
    for (const [i, person] of ['10', '9', 'é', 'Z', 'a'].entries()) {
      engine.execute({
        type: 'register-person',
        person,
        name: `Person ${i} \u2028 "quoted"`,
        idempotency_key: `digest-${i}`,
        effective_date: '2024-12-01',
      });
    }
    const state = engine.state;
    expect(state.persons.has('9')).toBe(true);
    const whole = canonicalJson(snapshot(state));
    expect(whole.length).toBeGreaterThan(1 << 16); // more than one piece
    expect(stateDigest(state)).toBe(sha256Hex(whole));
  });

  it('differs when any record differs', () => {
    const a = new CommuneEngine();
    const b = new CommuneEngine();
    const person = {
      type: 'register-person',
      person: 'p',
      idempotency_key: 'k',
      effective_date: '2024-01-01',
    };
    a.execute({ ...person, name: 'Ada' });
    b.execute({ ...person, name: 'Adb' });
    expect(stateDigest(a.state)).not.toBe(stateDigest(b.state));
  });
});
