import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless nonces (RFC 7616 §3.3 "nonce"): issue time, 64 random bits and an
 * HMAC-SHA-256 over both and the realm under a server secret, base64url. Any
 * node holding the secret verifies a nonce without shared state.
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

export class NonceIssuer {
  readonly #secret: Buffer;

  constructor(secret: Buffer | string) {
    this.#secret = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.#secret.length < 16) throw new RangeError('the digest nonce secret must be at least 16 bytes');
  }

  issue(realm: string, now_ms: number): string {
    const nonce = Buffer.allocUnsafe(NONCE_BYTES);
    nonce.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(now_ms))), 0);
    randomBytes(RANDOM_BYTES).copy(nonce, TIME_BYTES);
    this.#mac(nonce, realm).copy(nonce, TIME_BYTES + RANDOM_BYTES);
    return nonce.toString('base64url');
  }

  check(nonce: string, realm: string): NonceCheck {
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
    return createHmac('sha256', this.#secret)
      .update(nonce.subarray(0, TIME_BYTES + RANDOM_BYTES))
      .update(realm, 'utf8')
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
