import type { Int8 } from './schema.js';

/**
 * Reads a stored 64-bit integer as a number. Both drivers return int8
 * differently (SQLite: number, PostgreSQL: string); values here are
 * timestamps and counters well inside 2^53, and anything outside is a fault.
 */
export function int8ToNumber(value: Int8): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`stored integer ${String(value)} is outside the safe range`);
  return n;
}

/** Reads a stored 64-bit integer exactly, as bigint (money). */
export function int8ToBigInt(value: Int8): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`stored integer ${value} lost precision in the driver`);
    return BigInt(value);
  }
  return BigInt(value);
}
