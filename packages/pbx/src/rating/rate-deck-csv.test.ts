import { describe, expect, it } from 'vitest';
import { parseRateDeck } from './rate-deck-csv.js';

const header = 'prefix,destination,rate_per_minute,connect_fee,billing_increment,effective_from\n';

describe('parseRateDeck', () => {
  it('reads a deck with every column, quoted names and defaults', async () => {
    const csv = `${header}49,Germany,0.0100,0,60/60,2025-01-01\n+4915,"Germany, Mobile",0.045,0.01,30/6,2025-01-01T00:00:00Z\n1,USA,0.005,,,\n`;
    const parsed = await parseRateDeck(csv);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows).toBe(3);
    expect([...parsed.table.rows()]).toEqual([
      {
        prefix: '49',
        destination: 'Germany',
        rate_micro_per_min: 10_000n,
        connect_micro: 0n,
        initial_s: 60,
        increment_s: 60,
        effective_ms: Date.UTC(2025, 0, 1),
      },
      {
        prefix: '4915',
        destination: 'Germany, Mobile',
        rate_micro_per_min: 45_000n,
        connect_micro: 10_000n,
        initial_s: 30,
        increment_s: 6,
        effective_ms: Date.UTC(2025, 0, 1),
      },
      {
        prefix: '1',
        destination: 'USA',
        rate_micro_per_min: 5_000n,
        connect_micro: 0n,
        initial_s: 60,
        increment_s: 60,
        effective_ms: 0,
      },
    ]);
    expect(parsed.index.lookup('+4915112345')?.destination).toBe('Germany, Mobile');
  });

  it('accepts a minimal header in any order and column spelling', async () => {
    const parsed = await parseRateDeck('Rate Per Minute,Prefix,Destination\r\n0.02,44,UK\r\n');
    expect(parsed.ok && parsed.index.lookup('+4420')?.rate_micro_per_min).toBe(20_000n);
  });

  it('reports every bad row with its line number and column, and returns no deck', async () => {
    const csv =
      header +
      '49,Germany,0.01,0,60/60,2025-01-01\n' +
      '0049,Germany,0.01,0,60/60,2025-01-01\n' +
      '44,,0.01,0,60/60,2025-01-01\n' +
      '33,France,cheap,0,60/60,2025-01-01\n' +
      '34,Spain,0.01,-1,60/60,2025-01-01\n' +
      '35,Portugal,0.01,0,60/0,2025-01-01\n' +
      '36,Hungary,0.01,0,60/60,2025-02-30\n' +
      '37,Too,many,fields,here,2025-01-01,x\n' +
      '49,Germany again,0.02,0,60/60,2025-01-01\n';
    const parsed = await parseRateDeck(csv);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'prefix'],
      [4, 'destination'],
      [5, 'rate_per_minute'],
      [6, 'connect_fee'],
      [7, 'billing_increment'],
      [8, 'effective_from'],
      [9, undefined],
    ]);
    expect(parsed.errors[0]?.message).toContain('0049 is 49');
  });

  it('reports duplicates only once the rows are valid, naming both lines', async () => {
    const parsed = await parseRateDeck(
      `${header}49,A,0.01,0,60/60,2025-01-01\n1,B,0.01,0,60/60,\n49,C,0.02,0,60/60,2025-01-01\n`,
    );
    expect(parsed).toEqual({
      ok: false,
      truncated: false,
      errors: [
        {
          line: 4,
          column: 'prefix',
          message: 'prefix 49 has two rates effective from the same time (also line 2)',
        },
      ],
    });
  });

  it('refuses bad headers, empty files, malformed CSV and oversized decks', async () => {
    expect(await parseRateDeck('')).toMatchObject({
      ok: false,
      errors: [{ line: 1, message: expect.stringContaining('empty') }],
    });
    expect(await parseRateDeck('prefix,destination\n49,DE\n')).toMatchObject({
      ok: false,
      errors: [{ line: 1, message: 'missing column rate_per_minute in the header line' }],
    });
    expect(await parseRateDeck('prefix,destination,rate_per_minute,colour\n')).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('unknown column "colour"') }],
    });
    expect(await parseRateDeck(`${header}`)).toMatchObject({
      ok: false,
      errors: [{ message: 'the deck has no rates' }],
    });
    expect(await parseRateDeck(`${header}49,"Germany,0.01,0,60/60,\n`)).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('malformed CSV') }],
    });
    const many = `prefix,destination,rate_per_minute\n${Array.from({ length: 11 }, (_, i) => `${i + 1},X,0.01`).join('\n')}\n`;
    expect(await parseRateDeck(many, { limits: { maxRows: 10 } })).toMatchObject({
      ok: false,
      truncated: true,
      errors: [{ line: 12, message: 'the deck has more than 10 rows' }],
    });
  });

  it('stops collecting errors at the limit', async () => {
    const bad = `prefix,destination,rate_per_minute\n${Array.from({ length: 500 }, () => 'x,X,0.01').join('\n')}\n`;
    const parsed = await parseRateDeck(bad, { limits: { maxErrors: 5 } });
    expect(parsed).toMatchObject({ ok: false, truncated: true });
    expect(!parsed.ok && parsed.errors.length).toBe(5);
  });

  it('imports a generated 100,000-row deck and reports progress', async () => {
    const lines = [header];
    for (let i = 0; i < 100_000; i++) {
      lines.push(`${100000 + i},Dest ${i % 500},0.${String(i % 9999).padStart(4, '0')},0,60/60,2025-01-01\n`);
    }
    const progress: number[] = [];
    const parsed = await parseRateDeck(lines.join(''), { onProgress: (rows) => progress.push(rows) });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows).toBe(100_000);
    expect(parsed.index.prefixCount).toBe(100_000);
    expect(progress.at(-1)).toBe(100_000);
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(parsed.index.lookup('+1999991234', Date.UTC(2025, 0, 2))?.destination).toBe('Dest 499');
  });
});
