import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTelekommune, startTelekommune } from '../src/app.js';
import { resolveSettings } from '../src/settings.js';

describe('HTTP API', () => {
  let dir: string;
  let running: RunningTelekommune;
  let operator: string;

  async function call(path: string, init: RequestInit & { token?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.body) headers.set('content-type', 'application/json');
    const response = await fetch(`${running.httpUrl}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-http-'));
    const settings = resolveSettings(
      { dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipPort: '0' },
      {},
    );
    running = await startTelekommune(settings, pino({ level: 'silent' }));
    operator = running.demo!.operatorToken;
  });

  afterAll(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /healthz without a token', async () => {
    const { status, body } = await call('/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', database: { dialect: 'sqlite', ok: true } });
  });

  it('serves Prometheus metrics', async () => {
    const response = await fetch(`${running.httpUrl}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('telekommune_http_requests_total');
    expect(text).toContain('telekommune_process_cpu_seconds_total');
  });

  it('publishes an OpenAPI document listing the API routes', async () => {
    const { status, body } = await call('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/api/tenants',
        '/api/tenants/{tenantId}/extensions/{number}',
        '/api/provisioning/apply',
      ]),
    );
  });

  it('refuses /api without a valid token', async () => {
    expect((await call('/api/tenants')).status).toBe(401);
    const bad = await call('/api/tenants', { token: 'tk_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' });
    expect(bad).toEqual({
      status: 401,
      body: { code: 'UNAUTHENTICATED', message: 'the API token is unknown or revoked' },
    });
  });

  it('seeded the demo tenant with three extensions', async () => {
    const { body } = await call('/api/tenants/demo/extensions', { token: operator });
    expect(body.map((e: { number: string }) => e.number)).toEqual(['1001', '1002', '1003']);
  });

  it('applies a document, reports the plan, and is idempotent', async () => {
    const document = {
      tenants: [
        {
          id: 'acme',
          name: 'ACME Ltd',
          domain: 'acme.test',
          extensions: [{ number: '1001', name: 'Alice', password: 's3cret-1001' }],
        },
      ],
    };
    const first = await call('/api/provisioning/apply', {
      method: 'POST',
      token: operator,
      body: JSON.stringify(document),
    });
    expect(first.body).toEqual({
      dryRun: false,
      tenants: [{ tenantId: 'acme', action: 'create', changes: ['1 extensions'] }],
    });
    const second = await call('/api/provisioning/apply', {
      method: 'POST',
      token: operator,
      body: JSON.stringify(document),
    });
    expect(second.body.tenants[0].action).toBe('unchanged');
  });

  it('refuses an invalid document with each path and reason, applying nothing', async () => {
    const document = {
      tenants: [
        {
          id: 'bad',
          name: 'Bad',
          domain: 'bad.test',
          extensions: [{ number: '1', name: 'X', password: 'longenough' }],
        },
      ],
    };
    const { status, body } = await call('/api/provisioning/apply', {
      method: 'POST',
      token: operator,
      body: JSON.stringify(document),
    });
    expect(status).toBe(400);
    expect(body.issues).toEqual([
      { path: 'tenants[0].extensions[0].number', message: 'expected 2 to 6 digits' },
    ]);
    expect((await call('/api/tenants/bad', { token: operator })).status).toBe(404);
  });

  it('creates, reads and deletes an extension', async () => {
    const put = await call('/api/tenants/demo/extensions/2001', {
      method: 'PUT',
      token: operator,
      body: JSON.stringify({ name: 'Dave', password: 'dave-secret-1' }),
    });
    expect(put).toEqual({
      status: 200,
      body: { number: '2001', name: 'Dave', password: 'dave-secret-1', dnd: false, ringTime_s: 25 },
    });
    expect((await call('/api/tenants/demo/extensions/2001', { token: operator })).body.name).toBe('Dave');
    expect(
      (await call('/api/tenants/demo/extensions/2001', { method: 'DELETE', token: operator })).status,
    ).toBe(204);
    expect((await call('/api/tenants/demo/extensions/2001', { token: operator })).status).toBe(404);
  });

  it('keeps a tenant token inside its own tenant', async () => {
    const { token } = await running.context.tokens.create('tenant', 'acme admin', 'acme');
    const list = await call('/api/tenants', { token });
    expect(list.body.map((t: { id: string }) => t.id)).toEqual(['acme']);
    expect((await call('/api/tenants/demo', { token })).status).toBe(404);
    expect((await call('/api/tenants/demo/extensions', { token })).status).toBe(404);
    const write = await call('/api/tenants/demo/extensions/1001', {
      method: 'PUT',
      token,
      body: JSON.stringify({ name: 'Mallory', password: 'mallory-123' }),
    });
    expect(write.status).toBe(404);
    expect((await call('/api/provisioning/export?tenant=demo', { token })).status).toBe(404);
    const own = await call('/api/provisioning/export', { token });
    expect(own.body.tenants.map((t: { id: string }) => t.id)).toEqual(['acme']);
    const apply = await call('/api/provisioning/apply', {
      method: 'POST',
      token,
      body: JSON.stringify({ tenants: [] }),
    });
    expect(apply.status).toBe(403);
  });

  it('lists registrations per tenant, scoped for tenant tokens', async () => {
    running.context.location.register({
      tenantId: 'demo',
      aor: '1001',
      callId: 'reg-1',
      cseq: 1,
      wildcard: false,
      contacts: [{ uri: 'sip:1001@192.168.1.20:5062' }],
      userAgent: 'baresip',
      flow: { transport: 'udp', address: '203.0.113.7', port: 40000 },
    });
    const all = await call('/api/registrations', { token: operator });
    expect(all.body).toEqual([
      expect.objectContaining({
        tenantId: 'demo',
        extension: '1001',
        source: '203.0.113.7:40000',
        userAgent: 'baresip',
      }),
    ]);
    const { token } = await running.context.tokens.create('tenant', 'acme reader', 'acme');
    expect((await call('/api/registrations', { token })).body).toEqual([]);
    expect((await call('/api/registrations?tenant=demo', { token })).status).toBe(404);
  });

  it('filters CDRs and exports CSV, scoped for tenant tokens', async () => {
    const base = Date.parse('2026-11-01T10:00:00Z');
    const record = (id: string, tenantId: string, offset_s: number, disposition: 'answered' | 'busy') => ({
      id,
      tenantId,
      callId: `c-${id}`,
      direction: 'internal' as const,
      caller: '1001',
      callee: '1002',
      startedAt_ms: base + offset_s * 1000,
      ...(disposition === 'answered'
        ? { answeredAt_ms: base + offset_s * 1000 + 4000, answeredBy: '1002' }
        : {}),
      endedAt_ms: base + offset_s * 1000 + 64_500,
      disposition,
      hangupSide: 'caller' as const,
      sipStatus: disposition === 'answered' ? 200 : 486,
      forwardingPath: ['extension:1002'],
    });
    await running.context.cdrs.insert(record('x1', 'demo', 0, 'answered'));
    await running.context.cdrs.insert(record('x2', 'demo', 60, 'busy'));
    await running.context.cdrs.insert(record('x3', 'acme', 120, 'answered'));
    const demo = await call('/api/cdrs?tenant=demo', { token: operator });
    expect(demo.body.map((c: { id: string }) => c.id)).toEqual(['x2', 'x1']);
    expect(demo.body[1]).toMatchObject({
      duration_s: 65,
      billable_s: 61,
      disposition: 'answered',
      start: '2026-11-01T10:00:00.000Z',
    });
    const busy = await call('/api/cdrs?disposition=busy', { token: operator });
    expect(busy.body.map((c: { id: string }) => c.id)).toEqual(['x2']);
    const window = await call('/api/cdrs?from=2026-11-01T10:00:30Z&to=2026-11-01T10:01:30Z', {
      token: operator,
    });
    expect(window.body.map((c: { id: string }) => c.id)).toEqual(['x2']);
    expect((await call('/api/cdrs?from=yesterday', { token: operator })).status).toBe(400);

    const csv = await fetch(`${running.httpUrl}/api/cdrs?tenant=demo&format=csv`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,tenant,direction,caller,/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('x1,demo,internal,1001,,1002,1002');

    const { token } = await running.context.tokens.create('tenant', 'acme cdrs', 'acme');
    const own = await call('/api/cdrs', { token });
    expect(own.body.map((c: { id: string }) => c.id)).toEqual(['x3']);
    expect((await call('/api/cdrs?tenant=demo', { token })).status).toBe(404);
  });
});
