import { randomBytes } from 'node:crypto';
import type { AuthHeader } from '../message/auth-header.js';
import { quote } from '../message/scanner.js';
import type { SipRequest } from '../message/sip-request.js';
import { parseUri, uriEquals } from '../message/uri.js';
import {
  computeHa1,
  computeResponse,
  type DigestAlgorithm,
  type DigestHash,
  digestAlgorithm,
  hashOf,
} from './digest-algorithm.js';
import { NonceIssuer } from './digest-nonce.js';
import { NonceCountWindow } from './nonce-count-window.js';

/**
 * What the PBX stores for a user of a realm: the password, or HA1 per hash
 * (H(username:realm:password), so no clear password needs to be kept).
 */
export interface DigestCredentials {
  readonly password?: string;
  readonly ha1?: Partial<Record<DigestHash, string>>;
}

/** Finds the credentials of `username` in `realm` (a tenant's SIP domain), or undefined. */
export type CredentialLookup = (
  username: string,
  realm: string,
) => DigestCredentials | undefined | Promise<DigestCredentials | undefined>;

export interface DigestServerOptions {
  /** HMAC key for stateless nonces, at least 16 bytes; the same on every node. */
  readonly secret: Buffer | string;
  readonly lookup: CredentialLookup;
  /** Offered in this order, one challenge each (RFC 8760 §2.4: strongest first). */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** A nonce older than this gets `stale=true` (default 300 s). */
  readonly nonceTtl_ms?: number;
  /** Nonces whose nonce-counts are tracked for replay protection (default 100,000). */
  readonly maxTrackedNonces?: number;
  readonly clock?: () => number;
}

export type DigestFailure =
  | 'no-credentials'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unsupported-qop'
  | 'bad-nonce'
  | 'uri-mismatch'
  | 'unknown-user'
  | 'bad-response'
  | 'stale-nonce'
  | 'replay';

export type DigestOutcome =
  | {
      readonly kind: 'ok';
      readonly username: string;
      readonly realm: string;
      readonly algorithm: DigestAlgorithm;
    }
  | {
      readonly kind: 'challenge';
      /** 401 with WWW-Authenticate, or 407 with Proxy-Authenticate. */
      readonly status: 401 | 407;
      readonly reason: DigestFailure;
      /** Username the client gave, when it gave one (for fraud counters and logs). */
      readonly username: string | undefined;
      readonly stale: boolean;
      /** Header fields to put in the challenge response. */
      readonly headers: ReadonlyArray<readonly [string, string]>;
    };

export interface AuthenticateOptions {
  readonly realm: string;
  /** Proxy authentication (407, Proxy-Authorization) instead of 401/Authorization. */
  readonly proxy?: boolean;
}

const NC = /^[0-9a-fA-F]{8}$/;

/**
 * Digest authentication for a UAS or registrar (RFC 3261 §22, RFC 7616,
 * RFC 8760): qop=auth only, stateless nonces bound to time, realm and a
 * server secret, `stale=true` on expiry, nonce-count replay protection.
 * Requests without qop (RFC 2069 style) are refused: they carry no nc.
 */
export class DigestServer {
  readonly #issuer: NonceIssuer;
  readonly #lookup: CredentialLookup;
  readonly #algorithms: readonly DigestAlgorithm[];
  readonly #ttl_ms: number;
  readonly #clock: () => number;
  readonly #counts: NonceCountWindow;
  readonly #dummyHa1 = randomBytes(32).toString('hex');
  /** HA1 computed from clear passwords, keyed by hash, realm and user; a changed password misses. */
  readonly #ha1Cache = new Map<string, { readonly password: string; readonly ha1: string }>();

  constructor(options: DigestServerOptions) {
    this.#issuer = new NonceIssuer(options.secret);
    this.#lookup = options.lookup;
    this.#algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    if (this.#algorithms.length === 0) throw new RangeError('offer at least one digest algorithm');
    this.#ttl_ms = options.nonceTtl_ms ?? 300_000;
    this.#clock = options.clock ?? Date.now;
    this.#counts = new NonceCountWindow(options.maxTrackedNonces ?? 100_000, this.#ttl_ms);
  }

  /** Challenge header values for `realm`, one per offered algorithm. */
  challenges(realm: string, stale = false): string[] {
    const nonce = this.#issuer.issue(realm, this.#clock());
    return this.#algorithms.map(
      (algorithm) =>
        `Digest realm=${quote(realm)}, nonce="${nonce}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
    );
  }

  #failure(
    proxy: boolean,
    realm: string,
    reason: DigestFailure,
    username?: string,
    stale = false,
  ): DigestOutcome {
    const header = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    return {
      kind: 'challenge',
      status: proxy ? 407 : 401,
      reason,
      username,
      stale,
      headers: this.challenges(realm, stale).map((value) => [header, value]),
    };
  }

  /** Checks the request's credentials for `realm`; a failure carries the challenge to send. */
  async authenticate(request: SipRequest, options: AuthenticateOptions): Promise<DigestOutcome> {
    const proxy = options.proxy === true;
    const realm = options.realm;

    let credentials: AuthHeader | undefined;
    try {
      const all = proxy ? request.proxyAuthorizations : request.authorizations;
      // RFC 3261 §22.3: pick the credentials for our realm; other schemes (RFC 4475 regaut01) do not count.
      for (const candidate of all) {
        if (candidate.params.get('realm') === realm && candidate.scheme.toLowerCase() === 'digest') {
          credentials = candidate;
          break;
        }
      }
    } catch {
      return this.#failure(proxy, realm, 'malformed');
    }
    if (!credentials) return this.#failure(proxy, realm, 'no-credentials');

    const p = credentials.params;
    const username = p.get('username');
    const nonce = p.get('nonce');
    const uri = p.get('uri');
    const response = p.get('response');
    if (username === undefined || nonce === undefined || uri === undefined || response === undefined) {
      return this.#failure(proxy, realm, 'malformed', username);
    }
    const algorithm = digestAlgorithm(p.get('algorithm'));
    if (!algorithm || !this.#algorithms.includes(algorithm))
      return this.#failure(proxy, realm, 'unsupported-algorithm', username);
    const qop = p.get('qop');
    const cnonce = p.get('cnonce');
    const ncText = p.get('nc');
    if (qop?.toLowerCase() !== 'auth') return this.#failure(proxy, realm, 'unsupported-qop', username);
    if (cnonce === undefined || ncText === undefined || !NC.test(ncText))
      return this.#failure(proxy, realm, 'malformed', username);

    const nonceCheck = this.#issuer.check(nonce, realm);
    if (!nonceCheck.valid) return this.#failure(proxy, realm, 'bad-nonce', username);
    if (!sameUri(uri, request.uriText)) return this.#failure(proxy, realm, 'uri-mismatch', username);

    const stored = await this.#lookup(username, realm);
    const hash = hashOf(algorithm);
    const ha1 = stored ? this.#ha1For(stored, hash, username, realm) : undefined;
    const expected = computeResponse({
      algorithm,
      ha1: ha1 ?? this.#dummyHa1, // same work for unknown users: no timing oracle
      nonce,
      cnonce,
      nc: ncText,
      qop: 'auth',
      method: request.method,
      uri,
    });
    if (!ha1) return this.#failure(proxy, realm, 'unknown-user', username);
    if (!equalHex(expected, response.toLowerCase()))
      return this.#failure(proxy, realm, 'bad-response', username);

    const now = this.#clock();
    if (now - nonceCheck.issuedAt_ms > this.#ttl_ms || nonceCheck.issuedAt_ms > now + 60_000) {
      return this.#failure(proxy, realm, 'stale-nonce', username, true);
    }
    if (!this.#counts.accept(nonce, nonceCheck.issuedAt_ms, Number.parseInt(ncText, 16), now)) {
      return this.#failure(proxy, realm, 'replay', username, true);
    }
    return { kind: 'ok', username, realm, algorithm };
  }

  #ha1For(stored: DigestCredentials, hash: DigestHash, username: string, realm: string): string | undefined {
    const kept = stored.ha1?.[hash];
    if (kept !== undefined) return kept.toLowerCase();
    const password = stored.password;
    if (password === undefined) return undefined;
    const key = `${hash}\n${realm}\n${username}`;
    const cached = this.#ha1Cache.get(key);
    if (cached !== undefined && cached.password === password) return cached.ha1;
    const ha1 = computeHa1(hash, username, realm, password);
    if (this.#ha1Cache.size >= HA1_CACHE_ENTRIES) {
      const oldest = this.#ha1Cache.keys().next().value;
      if (oldest !== undefined) this.#ha1Cache.delete(oldest);
    }
    this.#ha1Cache.set(key, { password, ha1 });
    return ha1;
  }
}

const HA1_CACHE_ENTRIES = 65_536;

/**
 * Compares two hex digests in time that depends only on their length (the
 * length is public: it follows from the algorithm), without copying either.
 */
function equalHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** The digest-uri names the Request-URI (RFC 3261 §22.4): same text or equivalent URI. */
function sameUri(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  try {
    return uriEquals(parseUri(digestUri), parseUri(requestUri));
  } catch {
    return false;
  }
}
