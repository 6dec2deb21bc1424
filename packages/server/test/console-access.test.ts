import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleLogin } from '../src/accounts/first-accounts.js';
import { type RunningTelekommune, startTelekommune } from '../src/app.js';
import { resolveSettings } from '../src/settings.js';
import { ApiClient } from './console-client.js';

describe('console access: accounts, sessions, CSRF, scopes and tenant isolation', () => {
  let dir: string;
  let running: RunningTelekommune;
  let logins: Map<string, ConsoleLogin>;
  let operatorToken: ApiClient;

  function password(username: string): string {
    const login = logins.get(username);
    if (!login) throw new Error(`no first-start login ${username}`);
    return login.password;
  }

  async function signedIn(username: string, secret = password(username)): Promise<ApiClient> {
    const client = new ApiClient(running.httpUrl);
    const reply = await client.login(username, secret);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return client;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-console-'));
    const settings = resolveSettings(
      { dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipPort: '0' },
      {},
    );
    running = await startTelekommune(settings, pino({ level: 'silent' }));
    logins = new Map(running.consoleLogins.map((l) => [l.username, l]));
    operatorToken = new ApiClient(running.httpUrl, running.demo!.operatorToken);
    const other = await operatorToken.put('/api/tenants/other', {
      name: 'Other Co',
      domain: 'other.test',
      extensions: [{ number: '2001', name: 'Olga Other', password: 'other-secret-2001' }],
    });
    expect(other.status).toBe(200);
  });

  afterAll(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first start created an operator, the demo tenant admin, an extension owner and a commune member', () => {
    expect(running.consoleLogins.map((l) => [l.username, l.role])).toEqual([
      ['admin', 'operator'],
      ['demo-admin', 'tenant_admin'],
      ['demo-1001', 'user'],
      ['member-ada', 'member'],
    ]);
    for (const login of running.consoleLogins) expect(login.password).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it('signs in with an HTTP-only, SameSite=Strict cookie and says who you are', async () => {
    const client = new ApiClient(running.httpUrl);
    const reply = await client.login('ADMIN ', password('admin'));
    expect(reply.status).toBe(200);
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^tk_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(reply.body.account).toMatchObject({ username: 'admin', role: 'operator' });
    expect(reply.body.account.password_hash).toBeUndefined();
    expect(JSON.stringify(reply.body)).not.toContain('argon2');
    const me = await client.get('/api/auth/me');
    expect(me.body).toMatchObject({
      kind: 'operator',
      via: 'session',
      readOnly: false,
      csrfToken: client.csrf,
    });
  });

  it('answers the session probe with 200 whether or not signed in', async () => {
    const anonymous = await new ApiClient(running.httpUrl).get('/api/auth/session');
    expect(anonymous).toMatchObject({ status: 200, body: { signedIn: false, me: null } });
    const client = await signedIn('demo-admin');
    const session = await client.get('/api/auth/session');
    expect(session.body).toMatchObject({ signedIn: true, me: { kind: 'tenant', tenantId: 'demo' } });
    expect(session.body.me.csrfToken).toBe(client.csrf);
    const stale = new ApiClient(running.httpUrl);
    stale.cookie = `tk_session=${'A'.repeat(43)}`;
    expect((await stale.get('/api/auth/session')).body).toEqual({ signedIn: false, me: null });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const client = new ApiClient(running.httpUrl);
    const wrong = await client.login('admin', 'not-the-password');
    const unknown = await client.login('nobody-here', 'not-the-password');
    expect(wrong).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED', message: 'wrong user name or password' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses state-changing session requests without the CSRF token', async () => {
    const client = await signedIn('admin');
    const body = { name: 'Created Here', password: 'csrf-test-secret' };
    const missing = await client.call('PUT', '/api/tenants/demo/extensions/1050', body, { csrf: null });
    expect(missing).toMatchObject({ status: 403, body: { code: 'CSRF_FAILED' } });
    const wrong = await client.call('PUT', '/api/tenants/demo/extensions/1050', body, {
      csrf: 'x'.repeat(32),
    });
    expect(wrong.status).toBe(403);
    const fromOtherSession = await signedIn('admin');
    const swapped = await client.call('PUT', '/api/tenants/demo/extensions/1050', body, {
      csrf: fromOtherSession.csrf!,
    });
    expect(swapped.status).toBe(403);
    expect((await client.get('/api/tenants/demo/extensions/1050')).status).toBe(404);
    const right = await client.put('/api/tenants/demo/extensions/1050', body);
    expect(right.status).toBe(200);
    expect((await client.delete('/api/tenants/demo/extensions/1050')).status).toBe(204);
  });

  it('bearer tokens need no CSRF token (no ambient credentials)', async () => {
    const reply = await operatorToken.put('/api/tenants/demo/extensions/1051', {
      name: 'Token Made',
      password: 'token-made-secret',
    });
    expect(reply.status).toBe(200);
    expect((await operatorToken.delete('/api/tenants/demo/extensions/1051')).status).toBe(204);
  });

  it('signing out ends the session', async () => {
    const client = await signedIn('admin');
    expect((await client.post('/api/auth/logout', undefined)).status).toBe(204);
    expect(await client.get('/api/auth/me')).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
  });

  it('a tenant admin sees only their tenant: others answer 404', async () => {
    const client = await signedIn('demo-admin');
    const tenants = await client.get('/api/tenants');
    expect(tenants.body.map((t: { id: string }) => t.id)).toEqual(['demo']);
    for (const path of [
      '/api/tenants/other',
      '/api/tenants/other/extensions',
      '/api/tenants/other/extensions/2001',
      '/api/tenants/other/ring-groups',
      '/api/accounts?tenant=other',
    ]) {
      const reply = await client.get(path);
      expect(reply.status, path).toBe(404);
    }
    expect(
      (await client.put('/api/tenants/other/extensions/2002', { name: 'X', password: 'abcdefgh123' })).status,
    ).toBe(404);
    expect((await client.delete('/api/tenants/other/extensions/2001')).status).toBe(404);
    expect(
      (await client.put('/api/tenants/demo', { name: 'Taken over', domain: 'demo.localhost' })).status,
    ).toBe(403);
    const foreignAccount = await client.post('/api/accounts', {
      username: 'sneaky',
      password: 'sneaky-password-1',
      role: 'tenant_admin',
      displayName: 'Sneaky',
      tenantId: 'other',
    });
    expect(foreignAccount.status).toBe(404);
    const operatorAccount = await client.post('/api/accounts', {
      username: 'sneaky-op',
      password: 'sneaky-password-1',
      role: 'operator',
      displayName: 'Sneaky',
    });
    expect(operatorAccount.status).toBe(403);
    const foreignToken = await client.post('/api/tokens', {
      scope: 'tenant:admin',
      label: 'x',
      tenantId: 'other',
    });
    expect(foreignToken.status).toBe(404);
    expect((await client.post('/api/tokens', { scope: 'operator', label: 'x' })).status).toBe(403);
  });

  it('a tenant admin cannot see or touch another tenant’s accounts and tokens', async () => {
    const admin = await signedIn('admin');
    const olga = await admin.post('/api/accounts', {
      username: 'olga',
      password: 'olga-password-1',
      role: 'user',
      tenantId: 'other',
      extension: '2001',
      displayName: 'Olga Other',
    });
    expect(olga.status).toBe(201);
    const otherToken = await admin.post('/api/tokens', {
      scope: 'tenant:admin',
      label: 'other',
      tenantId: 'other',
    });
    expect(otherToken.status).toBe(201);
    const client = await signedIn('demo-admin');
    const accounts = await client.get('/api/accounts');
    expect(accounts.body.map((a: { username: string }) => a.username).sort()).toEqual([
      'demo-1001',
      'demo-admin',
    ]);
    expect((await client.get(`/api/accounts/${olga.body.id}`)).status).toBe(404);
    expect((await client.patch(`/api/accounts/${olga.body.id}`, { displayName: 'Mine now' })).status).toBe(
      404,
    );
    expect((await client.delete(`/api/accounts/${olga.body.id}`)).status).toBe(404);
    const tokens = await client.get('/api/tokens');
    expect(tokens.body.some((t: { id: string }) => t.id === otherToken.body.id)).toBe(false);
    expect((await client.delete(`/api/tokens/${otherToken.body.id}`)).status).toBe(404);
    const asOther = new ApiClient(running.httpUrl, otherToken.body.token);
    expect((await asOther.get('/api/tenants/demo')).status).toBe(404);
  });

  it('a tenant admin creates users of their tenant linked to an existing extension', async () => {
    const client = await signedIn('demo-admin');
    const noExtension = await client.post('/api/accounts', {
      username: 'bob',
      password: 'bob-password-1',
      role: 'user',
      extension: '1999',
      displayName: 'Bob',
    });
    expect(noExtension).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(noExtension.body.issues).toEqual([
      { path: 'extension', message: 'tenant demo has no extension 1999' },
    ]);
    const weak = await client.post('/api/accounts', {
      username: 'bob',
      password: 'bbbbbbbbbbbb',
      role: 'user',
      extension: '1002',
      displayName: 'Bob',
    });
    expect(weak.status).toBe(400);
    const bob = await client.post('/api/accounts', {
      username: 'Bob',
      password: 'bob-password-1',
      role: 'user',
      extension: '1002',
      displayName: 'Bob Demo',
    });
    expect(bob).toMatchObject({
      status: 201,
      body: { username: 'bob', tenantId: 'demo', extension: '1002' },
    });
    const again = await client.post('/api/accounts', {
      username: 'bob',
      password: 'bob-password-2',
      role: 'user',
      extension: '1002',
      displayName: 'Bob Again',
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'DUPLICATE' } });
    const bobSession = await signedIn('bob', 'bob-password-1');
    expect((await bobSession.get('/api/me/extension')).body).toMatchObject({
      number: '1002',
      tenantId: 'demo',
    });
  });

  it('a user changes their own forwarding, and nothing else', async () => {
    const user = await signedIn('demo-1001');
    const mine = await user.get('/api/me/extension');
    expect(mine.body).toMatchObject({ number: '1001', tenantId: 'demo', dnd: false, forward: {} });
    const set = await user.put('/api/me/forwarding', {
      dnd: true,
      forward: { busy: 'voicemail:1001', noAnswer: '1002' },
      ringTime_s: 30,
    });
    expect(set.body).toMatchObject({
      dnd: true,
      forward: { busy: 'voicemail:1001', noAnswer: 'extension:1002' },
    });
    const bad = await user.put('/api/me/forwarding', {
      dnd: false,
      forward: { always: 'elsewhere' },
      ringTime_s: 30,
    });
    expect(bad.status).toBe(400);
    const seen = await operatorToken.get('/api/tenants/demo/extensions/1001');
    expect(seen.body).toMatchObject({ dnd: true, ringTime_s: 30, forward: { busy: 'voicemail:1001' } });
    for (const path of ['/api/tenants', '/api/tenants/demo', '/api/accounts', '/api/provisioning/export']) {
      expect((await user.get(path)).status, path).toBe(403);
    }
    expect(
      (await user.post('/api/tokens', { scope: 'tenant:read', label: 'x', tenantId: 'demo' })).status,
    ).toBe(403);
    const clear = await user.put('/api/me/forwarding', { dnd: false, forward: {}, ringTime_s: 25 });
    expect(clear.body).toMatchObject({ dnd: false, forward: {} });
  });

  it('scopes: read-only tokens read, user tokens act as their account', async () => {
    const admin = await signedIn('admin');
    const reader = await admin.post('/api/tokens', {
      scope: 'tenant:read',
      label: 'dashboards',
      tenantId: 'demo',
    });
    expect(reader.status).toBe(201);
    expect(reader.body.token).toMatch(/^tk_/);
    const read = new ApiClient(running.httpUrl, reader.body.token);
    expect((await read.get('/api/tenants/demo')).status).toBe(200);
    expect(
      (await read.put('/api/tenants/demo/extensions/1060', { name: 'No', password: 'not-allowed-1' })).status,
    ).toBe(403);
    const opRead = await admin.post('/api/tokens', { scope: 'operator:read', label: 'monitoring' });
    const monitoring = new ApiClient(running.httpUrl, opRead.body.token);
    expect((await monitoring.get('/api/tenants/other')).status).toBe(200);
    expect((await monitoring.delete('/api/tenants/other')).status).toBe(403);
    expect((await admin.post('/api/tokens', { scope: 'user', label: 'x' })).status).toBe(403);
    const user = await signedIn('demo-1001');
    const userToken = await user.post('/api/tokens', {
      scope: 'user',
      label: 'my script',
      expiresInDays: 30,
    });
    expect(userToken.body).toMatchObject({ scope: 'user', tenantId: 'demo' });
    expect(userToken.body.expiresAt).not.toBeNull();
    const script = new ApiClient(running.httpUrl, userToken.body.token);
    expect((await script.get('/api/me/extension')).body).toMatchObject({ number: '1001' });
    expect((await script.get('/api/tenants/demo')).status).toBe(403);
    expect((await user.get('/api/tokens')).body.map((t: { id: string }) => t.id)).toEqual([
      userToken.body.id,
    ]);
    expect((await user.delete(`/api/tokens/${reader.body.id}`)).status).toBe(404);
    expect((await user.delete(`/api/tokens/${userToken.body.id}`)).status).toBe(204);
    expect((await script.get('/api/me/extension')).status).toBe(401);
  });

  it('changing your password ends your other sessions and needs the current one', async () => {
    const admin = await signedIn('admin');
    const created = await admin.post('/api/accounts', {
      username: 'carol',
      password: 'carol-password-1',
      role: 'operator',
      displayName: 'Carol',
    });
    expect(created.status).toBe(201);
    const first = await signedIn('carol', 'carol-password-1');
    const second = await signedIn('carol', 'carol-password-1');
    const sessions = await first.get('/api/sessions');
    expect(sessions.body).toHaveLength(2);
    expect(sessions.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const wrong = await first.post('/api/auth/password', {
      currentPassword: 'nope',
      newPassword: 'carol-password-2',
    });
    expect(wrong.status).toBe(400);
    const changed = await first.post('/api/auth/password', {
      currentPassword: 'carol-password-1',
      newPassword: 'carol-password-2',
    });
    expect(changed.status).toBe(204);
    expect((await first.get('/api/auth/me')).status).toBe(200);
    expect((await second.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(running.httpUrl).login('carol', 'carol-password-1')).status).toBe(401);
    expect((await admin.delete(`/api/accounts/${created.body.id}`)).status).toBe(204);
    expect((await first.get('/api/auth/me')).status).toBe(401);
  });

  it('keeps the last operator and your own account', async () => {
    const admin = await signedIn('admin');
    const me = await admin.get('/api/auth/me');
    expect((await admin.delete(`/api/accounts/${me.body.account.id}`)).status).toBe(409);
  });

  it('manages ring groups and refuses to delete one still in use', async () => {
    const client = await signedIn('demo-admin');
    const group = await client.put('/api/tenants/demo/ring-groups/sales', {
      name: 'Sales',
      number: '600',
      strategy: 'hunt',
      members: ['1001', { extension: '1002', ringTime_s: 15 }],
    });
    expect(group.status, JSON.stringify(group.body)).toBe(200);
    expect(group.body).toMatchObject({
      id: 'sales',
      finally: 'hangup',
      members: [{ extension: '1001' }, { extension: '1002' }],
    });
    const badMember = await client.put('/api/tenants/demo/ring-groups/bad', {
      name: 'Bad',
      strategy: 'hunt',
      members: ['1999'],
    });
    expect(badMember.status).toBe(400);
    const ext = (await client.get('/api/tenants/demo/extensions/1003')).body;
    const forwarded = await client.put('/api/tenants/demo/extensions/1003', {
      ...ext,
      forward: { noAnswer: 'ringgroup:sales' },
    });
    expect(forwarded.status).toBe(200);
    const refused = await client.delete('/api/tenants/demo/ring-groups/sales');
    expect(refused.status).toBe(400);
    await client.put('/api/tenants/demo/extensions/1003', { ...ext, forward: {} });
    expect((await client.delete('/api/tenants/demo/ring-groups/sales')).status).toBe(204);
    expect((await client.get('/api/tenants/demo/ring-groups')).body).toEqual([]);
  });

  it('limits failed logins per account, with Retry-After', async () => {
    const admin = await signedIn('admin');
    await admin.post('/api/accounts', {
      username: 'dave',
      password: 'dave-password-1',
      role: 'operator',
      displayName: 'Dave',
    });
    const client = new ApiClient(running.httpUrl);
    for (let i = 0; i < 5; i++) expect((await client.login('dave', `wrong-${i}`)).status).toBe(401);
    const limited = await client.login('dave', 'dave-password-1');
    expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same address is not affected.
    expect((await client.login('admin', password('admin'))).status).toBe(200);
  });

  it('answers /api without credentials with 401 and the way to get them', async () => {
    const reply = await new ApiClient(running.httpUrl).get('/api/tenants');
    expect(reply).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(reply.body.message).toContain('/api/auth/login');
  });

  it('documents every console route in the OpenAPI document', async () => {
    const doc = (await new ApiClient(running.httpUrl).get('/openapi.json')).body;
    for (const path of [
      '/api/auth/login',
      '/api/auth/me',
      '/api/accounts',
      '/api/accounts/{accountId}',
      '/api/tokens',
      '/api/sessions',
      '/api/me/forwarding',
      '/api/tenants/{tenantId}/ring-groups/{groupId}',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
  });
});
