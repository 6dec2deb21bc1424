import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rentWaterfall, waterfallArithmetic } from './rent-waterfall.js';

describe('rent waterfall (venture-commune.md §7)', () => {
  it('pays bond service, then the reserve, then members equally, and shows its arithmetic', () => {
    const w = rentWaterfall({
      currency: 'EUR',
      received_minor: 100_000n,
      bond_service_minor: 20_000n,
      reserve_rate_bp: 1_000,
      members: 7,
      policy: 'distribute',
    });
    expect(w).toMatchObject({
      after_bonds_minor: 80_000n,
      reserve_minor: 8_000n,
      surplus_minor: 72_000n,
      each_minor: 10_285n,
      distributed_minor: 71_995n,
      kept_minor: 5n,
    });
    const lines = waterfallArithmetic(w).join('\n');
    expect(lines).toContain('EUR 1,000.00');
    expect(lines).toContain('7 members = EUR 102.85 each');
    expect(lines).toContain('remainder kept undistributed        EUR 0.05');
  });

  it('charges bond service only up to the rent received', () => {
    const w = rentWaterfall({
      currency: 'EUR',
      received_minor: 5_000n,
      bond_service_minor: 20_000n,
      reserve_rate_bp: 1_000,
      members: 2,
      policy: 'distribute',
    });
    expect(w).toMatchObject({ bond_service_minor: 5_000n, surplus_minor: 0n, each_minor: 0n });
  });

  it('keeps everything when retained or when there are no members', () => {
    expect(
      rentWaterfall({
        currency: 'EUR',
        received_minor: 1_000n,
        bond_service_minor: 0n,
        reserve_rate_bp: 0,
        members: 3,
        policy: 'retain',
      }),
    ).toMatchObject({ kept_minor: 1_000n, distributed_minor: 0n });
    expect(
      rentWaterfall({
        currency: 'EUR',
        received_minor: 1_000n,
        bond_service_minor: 0n,
        reserve_rate_bp: 0,
        members: 0,
        policy: 'distribute',
      }),
    ).toMatchObject({ kept_minor: 1_000n });
  });

  it('always adds up, pays every member alike and keeps less than one minor unit per member', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom('distribute' as const, 'retain' as const),
        (received, bonds, rate, members, policy) => {
          const w = rentWaterfall({
            currency: 'EUR',
            received_minor: received,
            bond_service_minor: bonds,
            reserve_rate_bp: rate,
            members,
            policy,
          });
          expect(w.bond_service_minor + w.reserve_minor + w.distributed_minor + w.kept_minor).toBe(received);
          expect(w.distributed_minor).toBe(w.each_minor * BigInt(members));
          for (const part of [w.bond_service_minor, w.reserve_minor, w.each_minor, w.kept_minor])
            expect(part >= 0n).toBe(true);
          if (policy === 'distribute' && members > 0) expect(w.kept_minor < BigInt(members)).toBe(true);
        },
      ),
    );
  });
});
