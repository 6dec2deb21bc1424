import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { CommuneEngine } from './engine.js';
import { telekommunistenJournal } from './examples/telekommunisten.js';
import { EncodedEntry, entryHash, genesisHash, type LogEntry, verifyChain } from './hash-chain.js';

function log(): LogEntry[] {
  const engine = new CommuneEngine();
  const entries: LogEntry[] = [];
  for (const command of telekommunistenJournal().slice(0, 40)) {
    const outcome = engine.execute(command);
    if (outcome.status === 'accepted') entries.push(outcome.entry);
  }
  return entries;
}

describe('the event log hash chain (venture-commune.md §12)', () => {
  it('links every entry to the one before, from the genesis hash', () => {
    const entries = log();
    expect(entries[0]?.prev_hash).toBe(genesisHash);
    const result = verifyChain(entries);
    expect(result).toEqual({
      valid: true,
      entries: entries.length,
      head: entries.at(-1)?.hash,
      first_invalid: null,
    });
  });

  it('detects a changed amount, a dropped entry and a reordering', () => {
    const entries = log();
    const changed = entries.map((entry) =>
      entry.seq === 12
        ? { ...entry, command: { ...entry.command, effective_date: '2023-01-03' } as LogEntry['command'] }
        : entry,
    );
    expect(verifyChain(changed).first_invalid).toEqual({
      seq: 12,
      reason: 'hash does not match the entry content',
    });
    expect(verifyChain(entries.filter((e) => e.seq !== 5)).first_invalid?.seq).toBe(6);
    const swapped = [...entries];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(verifyChain(swapped).valid).toBe(false);
  });

  it('detects an entry rehashed after tampering, by the next entry’s link', () => {
    const entries = log();
    const target = entries[9]!;
    const events = target.events.map((e) => ({ ...e, date: '2099-01-01' }));
    const forged = {
      ...target,
      events,
      hash: entryHash(target.seq, target.prev_hash, target.command, events),
    };
    const tampered = entries.map((e) => (e.seq === target.seq ? forged : e));
    expect(verifyChain(tampered).first_invalid).toEqual({
      seq: 11,
      reason: 'previous hash does not match the entry before it',
    });
  });

  it('decodes a stored command on first use, the same as decoding it at once; spreading or encoding the entry sees it', () => {
    for (const entry of log()) {
      const commandJson = canonicalJson(entry.command);
      const eventsJson = canonicalJson(entry.events);
      const eager = EncodedEntry.parse(entry.seq, commandJson, eventsJson, entry.prev_hash, entry.hash);
      const lazy = EncodedEntry.parse(entry.seq, commandJson, eventsJson, entry.prev_hash, entry.hash, {
        idempotency_key: entry.command.idempotency_key,
        effective_date: entry.command.effective_date,
      });
      expect(canonicalJson(lazy)).toBe(canonicalJson(entry));
      expect({ ...lazy }).toEqual({ ...entry });
      expect(lazy.command).toBe(lazy.command);
      expect(lazy).toEqual(eager);
      expect([lazy.idempotencyKey, lazy.effectiveDate]).toEqual([
        entry.command.idempotency_key,
        entry.command.effective_date,
      ]);
    }
  });
});
