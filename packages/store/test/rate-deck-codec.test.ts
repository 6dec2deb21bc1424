import { RateTable } from '@telekommune/pbx';
import { describe, expect, it } from 'vitest';
import { decodeRateChunk, encodeRateChunk } from '../src/carriers/rate-deck-codec.js';

const rows = [
  {
    prefix: '49',
    destination: 'Deutschland',
    rate_micro_per_min: 10_000n,
    connect_micro: 0n,
    initial_s: 60,
    increment_s: 60,
    effective_ms: 0,
  },
  {
    prefix: '4930',
    destination: 'Berlin, Festnetz',
    rate_micro_per_min: 7_500n,
    connect_micro: 20_000n,
    initial_s: 30,
    increment_s: 6,
    effective_ms: Date.UTC(2025, 0, 1),
  },
  {
    prefix: '81',
    destination: '日本',
    rate_micro_per_min: 999_999_999n,
    connect_micro: 1n,
    initial_s: 1,
    increment_s: 1,
    effective_ms: 1.5e12,
  },
  {
    prefix: '4915',
    destination: 'Deutschland',
    rate_micro_per_min: 45_000n,
    connect_micro: 0n,
    initial_s: 60,
    increment_s: 60,
    effective_ms: 0,
  },
];

describe('rate deck chunks', () => {
  it('round-trip every field of a slice', () => {
    const table = RateTable.from(rows);
    const into = new RateTable();
    expect(decodeRateChunk(encodeRateChunk(table, 1, 4), into)).toBe(3);
    expect([...into.rows()]).toEqual(rows.slice(1));
    const empty = new RateTable();
    expect(decodeRateChunk(encodeRateChunk(table, 2, 2), empty)).toBe(0);
  });

  it('refuse corrupt chunks instead of loading a wrong deck', () => {
    const chunk = encodeRateChunk(RateTable.from(rows), 0, 4);
    const into = new RateTable();
    expect(() => decodeRateChunk(chunk.subarray(0, chunk.length - 1), into)).toThrow('wrong length');
    const badMagic = Buffer.from(chunk);
    badMagic.write('XXXX', 0, 'latin1');
    expect(() => decodeRateChunk(badMagic, into)).toThrow('bad header');
    expect(() => decodeRateChunk(new Uint8Array(3), into)).toThrow('bad header');
    const badName = Buffer.from(chunk);
    // The first name index points past the two distinct names.
    const indexAt = 20 + badName.readUInt32LE(8) + badName.readUInt32LE(16);
    badName.writeUInt32LE(7, indexAt);
    expect(() => decodeRateChunk(badName, new RateTable())).toThrow('bad name index');
  });
});
