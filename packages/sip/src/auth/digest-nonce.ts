import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { fillRandom } from '../message/ids.js';

/**
 * Stateless nonces (RFC 7616 §3.3 "nonce"): issue time, 64 random bits and an
 * HMAC-SHA-256 over both and the realm under a server secret, base64url. Any
 * node holding the secret verifies a nonce without shared state. The nonces
 * this issuer handed out lately are also remembered (bounded), so the usual
 * answer to a challenge is checked by a lookup instead of a second HMAC.
 */
const TIME_BYTES = 8;
const RANDOM_BYTES = 8;
const MAC_BYTES = 16;
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;

export interface NonceCheck {
  readonly valid: boolean;
  /** Issue time (ms since the epoch) when valid. */
  readonly issuedAt_ms: number;
}

interface Issued {
  readonly realm: string;
  readonly issuedAt_ms: number;
}

export class NonceIssuer {
  readonly #key: KeyObject;
  readonly #recent = new Map<string, Issued>();
  readonly #remember: number;

  /** `remember`: how many of the latest nonces are kept for checking without an HMAC (default 65,536). */
  constructor(secret: Buffer | string, remember = 65_536) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (bytes.length < 16) throw new RangeError('the digest nonce secret must be at least 16 bytes');
    this.#key = createSecretKey(bytes);
    this.#remember = remember;
  }

  issue(realm: string, now_ms: number): string {
    const issuedAt_ms = Math.max(0, Math.floor(now_ms));
    const bytes = Buffer.allocUnsafe(NONCE_BYTES);
    bytes.writeBigUInt64BE(BigInt(issuedAt_ms), 0);
    fillRandom(bytes, TIME_BYTES, RANDOM_BYTES);
    this.#mac(bytes, realm).copy(bytes, TIME_BYTES + RANDOM_BYTES);
    const nonce = bytes.toString('base64url');
    if (this.#remember > 0) {
      if (this.#recent.size >= this.#remember) {
        const oldest = this.#recent.keys().next().value;
        if (oldest !== undefined) this.#recent.delete(oldest);
      }
      this.#recent.set(nonce, { realm, issuedAt_ms });
    }
    return nonce;
  }

  check(nonce: string, realm: string): NonceCheck {
    const issued = this.#recent.get(nonce);
    if (issued !== undefined) {
      return issued.realm === realm
        ? { valid: true, issuedAt_ms: issued.issuedAt_ms }
        : { valid: false, issuedAt_ms: 0 };
    }
    const bytes = nonce.length === 43 ? Buffer.from(nonce, 'base64url') : undefined;
    if (!bytes || bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) {
      return { valid: false, issuedAt_ms: 0 };
    }
    const expected = this.#mac(bytes, realm);
    const given = bytes.subarray(TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(expected, given)) return { valid: false, issuedAt_ms: 0 };
    return { valid: true, issuedAt_ms: Number(bytes.readBigUInt64BE(0)) };
  }

  #mac(nonce: Buffer, realm: string): Buffer {
    return createHmac('sha256', this.#key)
      .update(nonce.subarray(0, TIME_BYTES + RANDOM_BYTES))
      .update(realm, 'utf8')
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
