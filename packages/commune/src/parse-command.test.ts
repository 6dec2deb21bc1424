import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandTypes } from './commands.js';
import { parseCommand } from './parse-command.js';

describe('parseCommand on hostile input', () => {
  it('refuses non-objects and objects without a known type, naming the problem', () => {
    for (const input of [
      null,
      undefined,
      42,
      'pay-rent',
      [],
      [{ type: 'apply' }],
      {},
      { type: 7 },
      { type: 'x'.repeat(10_000) },
    ]) {
      const result = parseCommand(input);
      expect('rejection' in result && result.rejection.code).toBe('INVALID');
    }
  });

  it('refuses unknown fields, oversized text, non-integer and out-of-range amounts', () => {
    const base = {
      type: 'pay-rent',
      idempotency_key: 'k',
      effective_date: '2024-01-01',
      enterprise: 'e',
      currency: 'EUR',
    };
    for (const amount of [
      '1.5',
      '1e3',
      '',
      '-1',
      '0',
      '10000000000000000000',
      1.5,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      null,
      {},
    ]) {
      const result = parseCommand({ ...base, amount_minor: amount });
      expect('rejection' in result && result.rejection.code, String(amount)).toBe('INVALID');
    }
    expect(parseCommand({ ...base, amount_minor: '5', __proto__: { admin: true } })).toHaveProperty(
      'command',
    );
    const polluted = JSON.parse(
      '{"type":"apply","idempotency_key":"k","effective_date":"2024-01-01","person":"p","__proto__":{"x":1}}',
    );
    expect('rejection' in parseCommand(polluted)).toBe(true);
    expect(parseCommand({ ...base, amount_minor: '5', idempotency_key: 'k'.repeat(129) })).toHaveProperty(
      'rejection.code',
      'INVALID',
    );
    expect(parseCommand({ ...base, amount_minor: '5', effective_date: '2024-02-30' })).toHaveProperty(
      'rejection.code',
      'INVALID',
    );
  });

  it('accepts amounts as bigint, decimal strings or safe integers, all as bigint', () => {
    const base = {
      type: 'pay-rent',
      idempotency_key: 'k',
      effective_date: '2024-01-01',
      enterprise: 'e',
      currency: 'EUR',
    };
    for (const amount of [5n, '5', 5]) {
      const result = parseCommand({ ...base, amount_minor: amount });
      expect('command' in result && result.command).toMatchObject({ amount_minor: 5n });
    }
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            { type: fc.constantFrom(...commandTypes), payload: fc.anything() },
            { requiredKeys: ['type'] },
          ),
        ),
        (input) => {
          const result = parseCommand(input);
          expect('command' in result || 'rejection' in result).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('survives deep nesting', () => {
    let deep: unknown = { x: 1 };
    for (let i = 0; i < 5_000; i += 1) deep = { a: deep };
    expect(
      'rejection' in
        parseCommand({ type: 'apply', idempotency_key: 'k', effective_date: '2024-01-01', person: deep }),
    ).toBe(true);
  });
});
