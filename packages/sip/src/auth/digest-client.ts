import { randomBytes } from 'node:crypto';
import type { AuthHeader } from '../message/auth-header.js';
import { formatAuthHeader } from '../message/auth-header.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import {
  computeHa1,
  computeResponse,
  type DigestAlgorithm,
  digestAlgorithm,
  hashOf,
} from './digest-algorithm.js';

export interface DigestClientCredentials {
  readonly username: string;
  readonly password: string;
  /** Answer only challenges of this realm (default: any realm). */
  readonly realm?: string;
}

/** Preference when a 401/407 offers several algorithms (RFC 8760 §2.4). */
const PREFERENCE: readonly DigestAlgorithm[] = [
  'SHA-512-256',
  'SHA-256',
  'MD5',
  'SHA-512-256-sess',
  'SHA-256-sess',
  'MD5-sess',
];

interface Session {
  readonly proxy: boolean;
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  readonly qop: 'auth' | undefined;
  readonly opaque: string | undefined;
  readonly cnonce: string;
  nc: number;
}

export interface AuthorizationHeader {
  readonly name: 'Authorization' | 'Proxy-Authorization';
  readonly value: string;
}

/**
 * The UAC side of digest authentication (RFC 3261 §22.2, RFC 7616, RFC 8760),
 * used by outbound registrations to carriers and by tests: answers 401/407
 * challenges and reuses a nonce with increasing nonce-count until the server
 * says it is stale.
 */
export class DigestClient {
  readonly #credentials: DigestClientCredentials;
  readonly #sessions = new Map<string, Session>();
  /** Call-ID and CSeq of the latest requests that carried credentials (bounded). */
  readonly #carried = new Set<string>();

  constructor(credentials: DigestClientCredentials) {
    this.#credentials = credentials;
  }

  /**
   * Reads the challenges of a 401/407 and returns the header fields to add to
   * `retry`, the request about to be sent again (its CSeq already raised, as
   * RFC 3261 §22.2 asks). Empty when nothing usable was offered, or when a challenge
   * repeats a nonce we already answered without `stale=true` (wrong password:
   * retrying would loop).
   */
  respond(challenge: SipResponse, retry: SipRequest): AuthorizationHeader[] {
    const proxy = challenge.status === 407;
    let offered: AuthHeader[];
    try {
      offered = proxy ? challenge.proxyAuthenticates : challenge.wwwAuthenticates;
    } catch {
      return [];
    }
    const byRealm = new Map<string, AuthHeader>();
    for (const candidate of offered) {
      if (candidate.scheme.toLowerCase() !== 'digest') continue;
      const realm = candidate.params.get('realm');
      const algorithm = digestAlgorithm(candidate.params.get('algorithm'));
      if (realm === undefined || !algorithm || !candidate.params.has('nonce')) continue;
      if (this.#credentials.realm !== undefined && realm !== this.#credentials.realm) continue;
      const qops = (candidate.params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
      if (candidate.params.has('qop') && !qops.includes('auth')) continue;
      const best = byRealm.get(realm);
      const rank = (h: AuthHeader) => PREFERENCE.indexOf(digestAlgorithm(h.params.get('algorithm')) ?? 'MD5');
      if (!best || rank(candidate) < rank(best)) byRealm.set(realm, candidate);
    }
    const out: AuthorizationHeader[] = [];
    const answered = this.#carried.has(transactionKey(challenge));
    for (const [realm, chosen] of byRealm) {
      const key = `${proxy ? 'proxy' : 'www'}:${realm}`;
      const nonce = chosen.params.get('nonce')!;
      const stale = chosen.params.get('stale')?.toLowerCase() === 'true';
      // A challenge to a request that already carried our credentials, without
      // stale=true, means they were refused: answering again would loop.
      if (answered && !stale) continue;
      const session: Session = {
        proxy,
        realm,
        nonce,
        algorithm: digestAlgorithm(chosen.params.get('algorithm')) ?? 'MD5',
        qop: chosen.params.has('qop') ? 'auth' : undefined,
        opaque: chosen.params.get('opaque'),
        cnonce: randomBytes(8).toString('hex'),
        nc: 0,
      };
      this.#sessions.set(key, session);
      out.push(this.#authorize(session, retry));
    }
    return out;
  }

  /** Credentials for a new request from the nonces already held (pre-emptive, nc + 1). */
  authorizeAgain(request: SipRequest): AuthorizationHeader[] {
    return [...this.#sessions.values()].map((session) => this.#authorize(session, request));
  }

  /** Forgets held nonces. */
  reset(): void {
    this.#sessions.clear();
    this.#carried.clear();
  }

  #authorize(session: Session, request: SipRequest): AuthorizationHeader {
    this.#carried.add(transactionKey(request));
    if (this.#carried.size > 64) this.#carried.delete(this.#carried.values().next().value!);
    session.nc++;
    const nc = session.nc.toString(16).padStart(8, '0');
    const uri = request.uriText;
    const ha1 = computeHa1(
      hashOf(session.algorithm),
      this.#credentials.username,
      session.realm,
      this.#credentials.password,
    );
    const response = computeResponse({
      algorithm: session.algorithm,
      ha1,
      nonce: session.nonce,
      cnonce: session.cnonce,
      nc,
      qop: session.qop,
      method: request.method,
      uri,
    });
    const params: Array<[string, string]> = [
      ['username', this.#credentials.username],
      ['realm', session.realm],
      ['nonce', session.nonce],
      ['uri', uri],
      ['response', response],
      ['algorithm', session.algorithm],
    ];
    if (session.qop) params.push(['qop', 'auth'], ['nc', nc], ['cnonce', session.cnonce]);
    if (session.opaque !== undefined) params.push(['opaque', session.opaque]);
    const quoted = new Set(['username', 'realm', 'nonce', 'uri', 'response', 'cnonce', 'opaque']);
    return {
      name: session.proxy ? 'Proxy-Authorization' : 'Authorization',
      value: formatAuthHeader('Digest', params, quoted),
    };
  }
}

function transactionKey(message: SipRequest | SipResponse): string {
  try {
    return `${message.callId} ${message.cseq.seq}`;
  } catch {
    return '';
  }
}
