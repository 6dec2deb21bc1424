import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTelekommune, startTelekommune } from '../src/app.js';
import { resolveSettings } from '../src/settings.js';
import { ApiClient } from './console-client.js';

// A server of its own: once this address is limited, nobody else from it can sign in.
describe('login rate limit per source address', () => {
  let dir: string;
  let running: RunningTelekommune;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-ratelimit-'));
    const settings = resolveSettings(
      { dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipPort: '0', demo: false },
      {},
    );
    running = await startTelekommune(settings, pino({ level: 'silent' }));
  });

  afterAll(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an address after 20 failures spread over many user names', async () => {
    const client = new ApiClient(running.httpUrl);
    for (let i = 0; i < 20; i++) {
      expect((await client.login(`guess-${i}`, 'password-guess')).status).toBe(401);
    }
    const admin = running.consoleLogins.find((l) => l.username === 'admin')!;
    const limited = await client.login('admin', admin.password);
    expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(limited.headers.get('retry-after')).toMatch(/^[0-9]+$/);
  });
});
