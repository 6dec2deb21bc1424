import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { screenInbound } from '../src/core/inbound-screen.js';
import {
  computeHa1,
  computeResponse,
  createRequest,
  createResponse,
  DigestClient,
  type DigestOutcome,
  DigestServer,
  NonceCountWindow,
  NonceIssuer,
  type SipRequest,
} from '../src/index.js';
import { rfc4475 } from './vectors.js';

const REALM = 'acme.pbx.example';
const SECRET = 'a server secret of enough length';

function register(cseq = 1, callId = 'reg-1'): SipRequest {
  const request = createRequest({
    method: 'REGISTER',
    uri: `sip:${REALM}`,
    from: `sip:1001@${REALM}`,
    to: `sip:1001@${REALM}`,
    callId,
    cseq,
  });
  request.prependHeader('Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKtest');
  return request;
}

function challengeOf(request: SipRequest, outcome: DigestOutcome) {
  if (outcome.kind !== 'challenge') throw new Error('expected a challenge');
  return createResponse(request, outcome.status, { headers: outcome.headers });
}

function server(now: { t: number }, extra: Partial<ConstructorParameters<typeof DigestServer>[0]> = {}) {
  return new DigestServer({
    secret: SECRET,
    clock: () => now.t,
    lookup: (user, realm) => (user === '1001' && realm === REALM ? { password: 's3cret' } : undefined),
    ...extra,
  });
}

/** Runs request -> 401 -> client answer and returns the authenticated retry. */
async function handshake(digest: DigestServer, client: DigestClient): Promise<SipRequest> {
  const first = register(1);
  const outcome = await digest.authenticate(first, { realm: REALM });
  expect(outcome).toMatchObject({ kind: 'challenge', reason: 'no-credentials', status: 401 });
  const retry = register(2);
  const headers = client.respond(challengeOf(first, outcome), retry);
  expect(headers).toHaveLength(1);
  for (const h of headers) retry.appendHeader(h.name, h.value);
  return retry;
}

describe('digest algorithms', () => {
  it('matches the RFC 7616 §3.9.1 examples (MD5 and SHA-256)', () => {
    const common = {
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: '00000001',
      qop: 'auth' as const,
      method: 'GET',
      uri: '/dir/index.html',
    };
    const user = ['Mufasa', 'http-auth@example.org', 'Circle of Life'] as const;
    expect(computeResponse({ ...common, algorithm: 'MD5', ha1: computeHa1('MD5', ...user) })).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
    expect(computeResponse({ ...common, algorithm: 'SHA-256', ha1: computeHa1('SHA-256', ...user) })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

describe('digest server and client', () => {
  it('offers SHA-256 then MD5 and accepts the strongest answer', async () => {
    const now = { t: 1_000_000 };
    const digest = server(now);
    const retry = await handshake(digest, new DigestClient({ username: '1001', password: 's3cret' }));
    expect(retry.header('authorization')).toMatch(/algorithm=SHA-256/);
    expect(await digest.authenticate(retry, { realm: REALM })).toEqual({
      kind: 'ok',
      username: '1001',
      realm: REALM,
      algorithm: 'SHA-256',
    });
  });

  it('accepts MD5 and stored HA1 instead of a password', async () => {
    const now = { t: 5 };
    const digest = server(now, {
      algorithms: ['MD5'],
      lookup: () => ({ ha1: { MD5: computeHa1('MD5', '1001', REALM, 's3cret') } }),
    });
    const retry = await handshake(digest, new DigestClient({ username: '1001', password: 's3cret' }));
    expect(await digest.authenticate(retry, { realm: REALM })).toMatchObject({
      kind: 'ok',
      algorithm: 'MD5',
    });
  });

  it('refuses a wrong password, and the client does not loop', async () => {
    const now = { t: 5 };
    const digest = server(now);
    const client = new DigestClient({ username: '1001', password: 'wrong' });
    const retry = await handshake(digest, client);
    const outcome = await digest.authenticate(retry, { realm: REALM });
    expect(outcome).toMatchObject({
      kind: 'challenge',
      reason: 'bad-response',
      username: '1001',
      stale: false,
    });
    expect(client.respond(challengeOf(retry, outcome), register(3))).toEqual([]);
  });

  it('says stale=true for an expired nonce and the client retries transparently', async () => {
    const now = { t: 5 };
    const digest = server(now, { nonceTtl_ms: 1000 });
    const client = new DigestClient({ username: '1001', password: 's3cret' });
    await handshake(digest, client);
    now.t += 5000;
    const later = register(3);
    for (const h of client.authorizeAgain(later)) later.appendHeader(h.name, h.value);
    const outcome = await digest.authenticate(later, { realm: REALM });
    expect(outcome).toMatchObject({ kind: 'challenge', reason: 'stale-nonce', stale: true });
    expect(outcome.kind === 'challenge' && outcome.headers[0]?.[1]).toMatch(/stale=true/);
    const again = register(4);
    for (const h of client.respond(challengeOf(later, outcome), again)) again.appendHeader(h.name, h.value);
    expect(await digest.authenticate(again, { realm: REALM })).toMatchObject({ kind: 'ok' });
  });

  it('refuses a replayed nonce-count but lets reordered ones through', async () => {
    const now = { t: 5 };
    const digest = server(now);
    const client = new DigestClient({ username: '1001', password: 's3cret' });
    const retry = await handshake(digest, client);
    const second = register(3);
    const third = register(4);
    for (const h of client.authorizeAgain(second)) second.appendHeader(h.name, h.value);
    for (const h of client.authorizeAgain(third)) third.appendHeader(h.name, h.value);
    expect(await digest.authenticate(third, { realm: REALM })).toMatchObject({ kind: 'ok' });
    expect(await digest.authenticate(retry, { realm: REALM })).toMatchObject({ kind: 'ok' });
    expect(await digest.authenticate(second, { realm: REALM })).toMatchObject({ kind: 'ok' });
    expect(await digest.authenticate(second, { realm: REALM })).toMatchObject({
      reason: 'replay',
      stale: true,
    });
  });

  it('uses 407 and Proxy-Authorization for proxy authentication', async () => {
    const now = { t: 5 };
    const digest = server(now);
    const invite = register(1);
    const outcome = await digest.authenticate(invite, { realm: REALM, proxy: true });
    expect(outcome).toMatchObject({ status: 407 });
    expect(outcome.kind === 'challenge' && outcome.headers[0]?.[0]).toBe('Proxy-Authenticate');
    const retry = register(2);
    const headers = new DigestClient({ username: '1001', password: 's3cret' }).respond(
      challengeOf(invite, outcome),
      retry,
    );
    expect(headers[0]?.name).toBe('Proxy-Authorization');
    for (const h of headers) retry.appendHeader(h.name, h.value);
    expect(await digest.authenticate(retry, { realm: REALM, proxy: true })).toMatchObject({ kind: 'ok' });
  });

  it('refuses unknown users, forged nonces, other realms and other URIs', async () => {
    const now = { t: 5 };
    const digest = server(now);
    const good = await handshake(digest, new DigestClient({ username: '1001', password: 's3cret' }));
    const value = good.header('authorization')!;
    const variant = (edit: (v: string) => string) => {
      const r = register(9);
      r.appendHeader('Authorization', edit(value));
      return digest.authenticate(r, { realm: REALM });
    };
    expect(await variant((v) => v.replace('username="1001"', 'username="9999"'))).toMatchObject({
      reason: 'unknown-user',
    });
    expect(
      await variant((v) => v.replace(/nonce="(.)/, (_m, c) => `nonce="${c === 'A' ? 'B' : 'A'}`)),
    ).toMatchObject({
      reason: 'bad-nonce',
    });
    expect(await variant((v) => v.replace(`uri="sip:${REALM}"`, 'uri="sip:other.example"'))).toMatchObject({
      reason: 'uri-mismatch',
    });
    expect(await variant((v) => v.replace('qop=auth', 'qop=auth-int'))).toMatchObject({
      reason: 'unsupported-qop',
    });
    expect(await variant((v) => v.replace(/, nc=[0-9a-f]+/, ''))).toMatchObject({ reason: 'malformed' });
    // A nonce issued for one tenant realm is no good in another.
    const other = new NonceIssuer(SECRET);
    expect(other.check(other.issue('a.example', 1), 'b.example').valid).toBe(false);
  });

  it('checks remembered nonces by lookup and any other by its HMAC, with the same answers', () => {
    const issuer = new NonceIssuer(SECRET, 2);
    const first = issuer.issue('a.example', 1_000);
    const second = issuer.issue('a.example', 2_000);
    const third = issuer.issue('a.example', 3_000); // pushes `first` out of memory
    for (const [nonce, at] of [
      [first, 1_000],
      [second, 2_000],
      [third, 3_000],
    ] as const) {
      expect(issuer.check(nonce, 'a.example')).toEqual({ valid: true, issuedAt_ms: at });
      expect(issuer.check(nonce, 'b.example').valid).toBe(false);
      // Another node (or this one after a restart) holding the secret agrees.
      expect(new NonceIssuer(SECRET).check(nonce, 'a.example')).toEqual({ valid: true, issuedAt_ms: at });
    }
    const forged = `${third.slice(0, 20)}${third[20] === 'A' ? 'B' : 'A'}${third.slice(21)}`;
    expect(issuer.check(forged, 'a.example').valid).toBe(false);
    expect(new NonceIssuer('another secret of 16+ bytes').check(third, 'a.example').valid).toBe(false);
  });

  it('signs nonces with HMAC-SHA-256 (RFC 2104) over time, random octets and realm, for any key and realm length', () => {
    const longRealm = `${'r'.repeat(700)}.example`; // beyond the issuer's scratch buffer
    for (const secret of [SECRET, 'k'.repeat(64), `${'long key '.repeat(12)}`]) {
      const issuer = new NonceIssuer(secret);
      for (const realm of [REALM, 'ünïcode.example', longRealm]) {
        const bytes = Buffer.from(issuer.issue(realm, 1_700_000_000_123), 'base64url');
        const expected = createHmac('sha256', secret)
          .update(bytes.subarray(0, 16))
          .update(realm, 'utf8')
          .digest()
          .subarray(0, 16);
        expect(bytes.subarray(16)).toEqual(expected);
        // The long realm must not have disturbed the next MAC.
        const again = Buffer.from(issuer.issue(REALM, 5), 'base64url');
        expect(again.subarray(16)).toEqual(
          createHmac('sha256', secret).update(again.subarray(0, 16)).update(REALM).digest().subarray(0, 16),
        );
      }
    }
  });

  it('answers an unknown authorization scheme with a challenge (RFC 4475 regaut01)', async () => {
    const screened = screenInbound(rfc4475('regaut01'), { datagram: true });
    if (screened.kind !== 'request') throw new Error(screened.kind);
    const digest = server({ t: 5 });
    expect(await digest.authenticate(screened.request, { realm: 'example.com' })).toMatchObject({
      kind: 'challenge',
      status: 401,
      reason: 'no-credentials',
    });
  });
});

describe('nonce-count window', () => {
  it('stays bounded and never reopens a forgotten nonce', () => {
    const window = new NonceCountWindow(3, 60_000);
    for (let i = 0; i < 10; i++) expect(window.accept(`n${i}`, 1000 + i, 1, 2000)).toBe(true);
    expect(window.size).toBe(3);
    // n0 was forgotten: its issue time is under the watermark, so it is refused (stale), never replayed.
    expect(window.accept('n0', 1000, 2, 2000)).toBe(false);
    expect(window.accept('n9', 1009, 2, 2000)).toBe(true);
    expect(window.accept('n9', 1009, 2, 2000)).toBe(false);
    expect(window.accept('n9', 1009, 200, 2000)).toBe(true);
    expect(window.accept('n9', 1009, 100, 2000)).toBe(false); // below the 64-entry window
    expect(window.accept('n9', 1009, 0, 2000)).toBe(false);
  });
});
