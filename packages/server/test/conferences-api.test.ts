import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTelekommune, startTelekommune } from '../src/app.js';
import { resolveSettings } from '../src/settings.js';
import { ApiClient } from './console-client.js';

describe('conference rooms over the tenant API', () => {
  let dir: string;
  let running: RunningTelekommune;
  let operator: ApiClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-conferences-'));
    running = await startTelekommune(
      resolveSettings({ dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipPort: '0' }, {}),
      pino({ level: 'silent' }),
    );
    operator = new ApiClient(running.httpUrl, running.demo!.operatorToken);
  });

  afterAll(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, refuses bad rooms unchanged, shows who is in, and deletes', async () => {
    const created = await operator.put('/api/tenants/demo/conferences/standup', {
      name: 'Stand-up',
      number: '800',
      pin: '1234',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toEqual({
      id: 'standup',
      name: 'Stand-up',
      number: '800',
      pin: '1234',
      maxParticipants: 20,
    });
    expect((await operator.get('/api/tenants/demo/conferences')).body).toEqual([created.body]);
    // In the export too, so `apply -f` of the export keeps it.
    const tenant = (await operator.get('/api/tenants/demo')).body;
    expect(JSON.stringify(tenant)).toContain('"standup"');

    const badPin = await operator.put('/api/tenants/demo/conferences/standup', { name: 'X', pin: '12' });
    expect(badPin.status).toBe(400);
    const clash = await operator.put('/api/tenants/demo/conferences/other', { name: 'X', number: '800' });
    expect(clash.status).toBe(400);
    expect((await operator.get('/api/tenants/demo/conferences')).body).toEqual([created.body]);

    expect((await operator.get('/api/tenants/demo/conferences/standup/participants')).body).toEqual([]);
    expect((await operator.get('/api/tenants/demo/conferences/nowhere/participants')).status).toBe(404);

    expect((await operator.delete('/api/tenants/demo/conferences/standup')).status).toBe(204);
    expect((await operator.delete('/api/tenants/demo/conferences/standup')).status).toBe(404);
    expect((await operator.get('/api/tenants/demo/conferences')).body).toEqual([]);
  });

  it('documents the room in /openapi.json with a real schema', async () => {
    const document = (await operator.get('/openapi.json')).body;
    const put = document.paths['/api/tenants/{tenantId}/conferences/{id}'].put;
    const properties = put.requestBody.content['application/json'].schema.properties;
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining(['name', 'number', 'pin', 'maxParticipants']),
    );
  });
});
