import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTelekommune, startTelekommune } from '../src/app.js';
import { resolveSettings } from '../src/settings.js';
import { ApiClient } from './console-client.js';

/** JSON paths of schemas in a document that are `{}` (no shape at all). */
function emptySchemas(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => emptySchemas(v, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  const entries = Object.entries(value);
  const here = entries.length === 0 && /\/schema$|\/properties\/[^/]+$|\/items$/.test(path) ? [path] : [];
  return [...here, ...entries.flatMap(([k, v]) => emptySchemas(v, `${path}/${k}`))];
}

describe('API shapes the console relies on', () => {
  let dir: string;
  let running: RunningTelekommune;
  let operator: ApiClient;
  let member: ApiClient;
  let tenantAdmin: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-shapes-'));
    running = await startTelekommune(
      resolveSettings({ dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipPort: '0' }, {}),
      pino({ level: 'silent' }),
    );
    operator = new ApiClient(running.httpUrl, running.demo!.operatorToken);
    const logins = new Map(running.consoleLogins.map((l) => [l.username, l.password]));
    member = new ApiClient(running.httpUrl);
    expect((await member.login('member-ada', logins.get('member-ada')!)).status).toBe(200);
    tenantAdmin = new ApiClient(running.httpUrl);
    expect((await tenantAdmin.login('demo-admin', logins.get('demo-admin')!)).status).toBe(200);
  });

  afterAll(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents tenants, extensions, destinations and carriers with real schemas, not {}', async () => {
    const document = (await operator.get('/openapi.json')).body;
    const paths = document.paths;
    const shaped = [
      '/api/tenants/{tenantId}',
      '/api/tenants/{tenantId}/extensions',
      '/api/tenants/{tenantId}/extensions/{number}',
      '/api/tenants/{tenantId}/ring-groups/{groupId}',
      '/api/tenants/{tenantId}/dids/{number}',
      '/api/tenants/{tenantId}/ivrs/{id}',
      '/api/tenants/{tenantId}/schedules/{id}',
      '/api/carriers',
      '/api/carriers/{carrierId}',
      '/api/me/extension',
      '/api/commune/labour',
    ];
    for (const path of shaped) expect(emptySchemas(paths[path], path)).toEqual([]);
    const tenant = paths['/api/tenants/{tenantId}'].get.responses['200'].content['application/json'].schema;
    expect(tenant.properties.domain.type).toBe('string');
    expect(tenant.properties.country.enum).toContain('DE');
    const forward = tenant.properties.extensions.items.properties.forward.properties;
    expect(forward.busy).toMatchObject({ type: 'string' });
    // PUT bodies show the resource without the key the path carries.
    const menuBody =
      paths['/api/tenants/{tenantId}/ivrs/{id}'].put.requestBody.content['application/json'].schema;
    expect(Object.keys(menuBody.properties)).toContain('options');
    expect(menuBody.properties.id).toBeUndefined();
    expect(menuBody.required).toEqual(['name']);
    const extensionBody =
      paths['/api/tenants/{tenantId}/extensions/{number}'].put.requestBody.content['application/json'].schema;
    expect(extensionBody.properties.number).toBeUndefined();
    expect(extensionBody.required).toEqual(['name', 'password']);
  });

  it('still validates documented bodies in the handler, with issues at their own paths', async () => {
    const reply = await operator.put('/api/tenants/demo/extensions/1050', {
      name: 'Eve',
      password: 'long-enough-secret',
      forward: { busy: 'nowhere' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.issues).toEqual([
      { path: 'forward.busy', message: expect.stringContaining('expected') },
    ]);
    const tenant = await operator.get('/api/tenants/demo');
    expect(tenant.status).toBe(200);
    expect(tenant.body.domain).toBe(tenant.body.domain.toLowerCase());
  });

  it('lists labour records newest first for members and operators, and not for tenant admins', async () => {
    const before = await member.get('/api/commune/labour?limit=5');
    expect(before.status).toBe(200);
    expect(before.body.records).toHaveLength(5);
    expect(before.body.more).toBeGreaterThan(0);
    const seqs = before.body.records.map((r: { seq: number }) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const ada = before.body.people.find((p: { person: string }) => p.person === 'ada');
    expect(ada).toMatchObject({ name: 'Ada Okafor', member: true, employers: ['telekommunisten'] });

    const recorded = await operator.post('/api/commune/record-labour', {
      idempotency_key: 'shapes-labour-1',
      effective_date: '2024-02-02',
      person: 'ada',
      enterprise: 'telekommunisten',
      hours: 7.25,
      note: 'night shift',
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    const after = await member.get('/api/commune/labour?person=ada&limit=2');
    expect(after.body.people).toHaveLength(1);
    expect(after.body.people[0].labour_hours).toBeCloseTo(ada.labour_hours + 7.25, 2);
    expect(after.body.records[0]).toEqual({
      seq: recorded.body.seq,
      date: '2024-02-02',
      person: 'ada',
      enterprise: 'telekommunisten',
      hours: 7.25,
      note: 'night shift',
    });
    expect((await tenantAdmin.get('/api/commune/labour')).status).toBe(403);
  });

  it('keeps a carrier registration password when the redacted one comes back', async () => {
    const trunk = {
      name: 'Shapes trunk',
      host: 'SIP.Example.NET',
      auth: { mode: 'register', username: 'u1', password: 'first-secret' },
    };
    const created = await operator.put('/api/carriers/shapes', trunk);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.config).toMatchObject({ host: 'sip.example.net', auth: { password: '********' } });
    const again = await operator.put('/api/carriers/shapes', {
      ...created.body.config,
      id: undefined,
      maxCalls: 5,
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const exported = await operator.get('/api/provisioning/export');
    const stored = exported.body.carriers.find((c: { id: string }) => c.id === 'shapes');
    expect(stored).toMatchObject({ maxCalls: 5, auth: { password: 'first-secret' } });
    const fresh = await operator.put('/api/carriers/shapes-2', {
      ...trunk,
      auth: { ...trunk.auth, password: '********' },
    });
    expect(fresh.status).toBe(400);
    expect(fresh.body.issues).toEqual([
      { path: 'auth.password', message: 'enter the registration password' },
    ]);
  });
});
