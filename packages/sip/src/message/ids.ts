import { randomBytes } from 'node:crypto';
import { MAGIC_COOKIE } from './via.js';

/** Random identifiers (RFC 3261 §19.3): tags, branches, Call-IDs, from a pooled CSPRNG. */
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let offset = 0;

function take(bytes: number): number {
  if (offset + bytes > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const at = offset;
  offset += bytes;
  return at;
}

function randomHex(bytes: number): string {
  const at = take(bytes);
  return pool.toString('hex', at, at + bytes);
}

/** Copies `bytes` random bytes (at most 64) from the pool into `target` at `targetStart`. */
export function fillRandom(target: Buffer, targetStart: number, bytes: number): void {
  if (bytes > 64) throw new RangeError('fillRandom serves at most 64 bytes');
  const at = take(bytes);
  pool.copy(target, targetStart, at, at + bytes);
}

/** A From/To tag: 64 random bits (§19.3 asks for at least 32). */
export function generateTag(): string {
  return randomHex(8);
}

/** A branch with the RFC 3261 magic cookie and 96 random bits. */
export function generateBranch(): string {
  return MAGIC_COOKIE + randomHex(12);
}

/** A Call-ID: 128 random bits, optionally `@host`. */
export function generateCallId(host?: string): string {
  return host ? `${randomHex(16)}@${host}` : randomHex(16);
}
