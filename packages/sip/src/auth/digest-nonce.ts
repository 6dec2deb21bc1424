import { hash, timingSafeEqual } from 'node:crypto';
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

/** SHA-256's block size: the HMAC key is padded to it (RFC 2104). */
const BLOCK_BYTES = 64;
/** Room for the MAC input after the inner key block; a longer realm gets a buffer of its own. */
const SCRATCH_BYTES = BLOCK_BYTES + TIME_BYTES + RANDOM_BYTES + 512;

export class NonceIssuer {
  /** The key XOR ipad, followed by the message of the MAC being computed. */
  readonly #inner = Buffer.alloc(SCRATCH_BYTES);
  /** The key XOR opad, followed by the inner hash. */
  readonly #outer = Buffer.alloc(BLOCK_BYTES + 32);
  readonly #recent = new Map<string, Issued>();
  readonly #remember: number;

  /** `remember`: how many of the latest nonces are kept for checking without an HMAC (default 65,536). */
  constructor(secret: Buffer | string, remember = 65_536) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (bytes.length < 16) throw new RangeError('the digest nonce secret must be at least 16 bytes');
    // HMAC-SHA-256 (RFC 2104) from one-shot hashes: no Hmac object per nonce.
    const key = Buffer.alloc(BLOCK_BYTES);
    (bytes.length > BLOCK_BYTES ? hash('sha256', bytes, 'buffer') : bytes).copy(key);
    for (let i = 0; i < BLOCK_BYTES; i++) {
      this.#inner[i] = key[i]! ^ 0x36;
      this.#outer[i] = key[i]! ^ 0x5c;
    }
    key.fill(0);
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

  /** HMAC-SHA-256 over the nonce's time and random octets and the realm, truncated. */
  #mac(nonce: Buffer, realm: string): Buffer {
    const signed = TIME_BYTES + RANDOM_BYTES;
    let inner = this.#inner;
    const realmBytes = Buffer.byteLength(realm, 'utf8');
    if (BLOCK_BYTES + signed + realmBytes > inner.length) {
      inner = Buffer.alloc(BLOCK_BYTES + signed + realmBytes);
      this.#inner.copy(inner, 0, 0, BLOCK_BYTES);
    }
    nonce.copy(inner, BLOCK_BYTES, 0, signed);
    inner.write(realm, BLOCK_BYTES + signed, 'utf8');
    const outer = this.#outer;
    hash('sha256', inner.subarray(0, BLOCK_BYTES + signed + realmBytes), 'buffer').copy(outer, BLOCK_BYTES);
    return hash('sha256', outer, 'buffer').subarray(0, MAC_BYTES);
  }
}
