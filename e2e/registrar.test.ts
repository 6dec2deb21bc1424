import {
  createRequest,
  createSipStack,
  DigestClient,
  type SipResponse,
  type SipStack,
} from '@telekommune/sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';

/**
 * The registrar from a UAC built on our SIP stack, over real UDP: the cases
 * SIPp's fixed scenarios do not reach (expiry limits, unregistering,
 * Contact: *, SHA-256 digest, restarts).
 */
describe('the registrar', () => {
  let pbx: TestPbx;
  let phone: SipStack;
  let cseq = 1;

  beforeAll(async () => {
    pbx = await startTestPbx({ env: { TK_SIP_DIGEST: 'SHA-256,MD5' } });
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [
            { number: '1001', name: 'Alice', password: 'alice-secret-1' },
            { number: '1002', name: 'Bob', password: 'bob-secret-22' },
          ],
        },
      ],
    });
    phone = await createSipStack({
      listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
      handlers: { onRequest: (_request, transaction) => void transaction.reply(200) },
    });
  });

  afterAll(async () => {
    await phone?.close();
    await pbx?.close();
  });

  const target = () => ({ protocol: 'udp' as const, address: '127.0.0.1', port: pbx.sipPort });

  /** Sends a REGISTER for `user`, answering one digest challenge; returns the final response. */
  async function register(
    user: string,
    password: string,
    options: { expires?: number; contact?: string; headers?: [string, string][]; callId?: string } = {},
  ): Promise<SipResponse> {
    const client = new DigestClient({ username: user, password });
    const callId = options.callId ?? `reg-${user}-${Math.random().toString(36).slice(2)}`;
    const build = () =>
      createRequest({
        method: 'REGISTER',
        uri: 'sip:acme.test',
        from: `sip:${user}@acme.test`,
        to: `sip:${user}@acme.test`,
        callId,
        cseq: cseq++,
        ...(options.contact === '*' ? {} : { contact: options.contact ?? phone.contactUri('udp', user) }),
        headers: [
          ...(options.contact === '*' ? [['Contact', '*'] as [string, string]] : []),
          ...(options.expires !== undefined
            ? [['Expires', String(options.expires)] as [string, string]]
            : []),
          ...(options.headers ?? []),
        ],
      });
    const first = build();
    const challenge = await phone.request(first, { target: target() });
    if (challenge.status !== 401) return challenge;
    const retry = build();
    for (const header of client.respond(challenge, retry)) retry.appendHeader(header.name, header.value);
    return phone.request(retry, { target: target() });
  }

  it('offers SHA-256 first when configured, and accepts it', async () => {
    const response = await register('1001', 'alice-secret-1', { expires: 300 });
    expect(response.status).toBe(200);
    expect(response.contacts).toHaveLength(1);
    expect(response.contacts[0]?.params.get('expires')).toBe('300');
    const binding = pbx.running.context.location.lookup('acme', '1001')[0];
    expect(binding?.expiresAt_ms).toBeGreaterThan(Date.now() + 290_000);
  });

  it('refuses a wrong password', async () => {
    const response = await register('1002', 'not-the-password');
    expect(response.status).toBe(401);
    expect(pbx.running.context.location.lookup('acme', '1002')).toEqual([]);
  });

  it('answers 423 with Min-Expires for a lifetime that is too short', async () => {
    const response = await register('1002', 'bob-secret-22', { expires: 10 });
    expect(response.status).toBe(423);
    expect(response.header('min-expires')).toBe('60');
  });

  it('caps a long lifetime at the maximum', async () => {
    const response = await register('1002', 'bob-secret-22', { expires: 86_400 });
    expect(response.status).toBe(200);
    expect(response.contacts[0]?.params.get('expires')).toBe('3600');
  });

  it('keeps several devices, and unregisters one with Expires: 0 and all with Contact: *', async () => {
    await register('1002', 'bob-secret-22', { contact: 'sip:1002@127.0.0.1:41001', expires: 600 });
    await register('1002', 'bob-secret-22', { contact: 'sip:1002@127.0.0.1:41002', expires: 600 });
    expect(pbx.running.context.location.lookup('acme', '1002').length).toBeGreaterThanOrEqual(2);
    const one = await register('1002', 'bob-secret-22', { contact: 'sip:1002@127.0.0.1:41001', expires: 0 });
    expect(one.status).toBe(200);
    expect(pbx.running.context.location.lookup('acme', '1002').map((b) => b.contact)).not.toContain(
      'sip:1002@127.0.0.1:41001',
    );
    const all = await register('1002', 'bob-secret-22', { contact: '*', expires: 0 });
    expect(all.status).toBe(200);
    expect(pbx.running.context.location.lookup('acme', '1002')).toEqual([]);
  });

  it('refuses Contact: * with a non-zero Expires', async () => {
    const response = await register('1002', 'bob-secret-22', { contact: '*', expires: 60 });
    expect(response.status).toBe(400);
  });

  it('does not let one extension register as another', async () => {
    const client = new DigestClient({ username: '1001', password: 'alice-secret-1' });
    const build = () =>
      createRequest({
        method: 'REGISTER',
        uri: 'sip:acme.test',
        from: 'sip:1002@acme.test',
        to: 'sip:1002@acme.test',
        callId: 'impostor',
        cseq: cseq++,
        contact: phone.contactUri('udp', '1002'),
      });
    const challenge = await phone.request(build(), { target: target() });
    const retry = build();
    for (const header of client.respond(challenge, retry)) retry.appendHeader(header.name, header.value);
    expect((await phone.request(retry, { target: target() })).status).toBe(403);
  });

  it('answers 404 for a domain it does not serve', async () => {
    const request = createRequest({
      method: 'REGISTER',
      uri: 'sip:elsewhere.test',
      from: 'sip:1001@elsewhere.test',
      to: 'sip:1001@elsewhere.test',
      contact: phone.contactUri('udp', '1001'),
    });
    expect((await phone.request(request, { target: target() })).status).toBe(404);
  });

  it('answers OPTIONS itself, even with Max-Forwards: 0', async () => {
    const request = createRequest({
      method: 'OPTIONS',
      uri: 'sip:acme.test',
      from: 'sip:probe@acme.test',
      maxForwards: 0,
    });
    const response = await phone.request(request, { target: target() });
    expect(response.status).toBe(200);
    expect(response.header('allow')).toContain('INVITE');
  });

  it('answers 483 to an INVITE out of hops and 422 to a session interval under Min-SE', async () => {
    const invite = (headers: [string, string][], maxForwards = 70) =>
      createRequest({
        method: 'INVITE',
        uri: 'sip:1002@acme.test',
        from: 'sip:1001@acme.test',
        contact: phone.contactUri('udp', '1001'),
        maxForwards,
        headers,
      });
    expect((await phone.request(invite([], 0), { target: target() })).status).toBe(483);
    const tooShort = await phone.request(invite([['Session-Expires', '30']]), { target: target() });
    expect(tooShort.status).toBe(422);
    expect(tooShort.header('min-se')).toBe('90');
  });

  it('persists registrations so a restart keeps them with their remaining lifetime', async () => {
    expect((await register('1001', 'alice-secret-1', { expires: 1200 })).status).toBe(200);
    const location = pbx.running.context.location;
    await location.flush();
    const { SqlRegistrationRepository } = await import('@telekommune/store');
    const stored = await new SqlRegistrationRepository(pbx.running.context.store).loadActive(Date.now());
    const mine = stored.find((b) => b.aor === '1001' && b.tenantId === 'acme');
    expect(mine?.expiresAt_ms).toBeGreaterThan(Date.now() + 1_100_000);
    expect(mine?.flow).toMatchObject({ transport: 'udp', address: '127.0.0.1' });
  });
});
