import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTelephonyPcm } from '@telekommune/media';
import { openStore, SqlVoiceRepository } from '@telekommune/store';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type StartedServer, startServerProcess } from './support/cli.js';
import { freePort } from './support/ports.js';
import { hasTool } from './support/tools.js';
import { speechPcap, voiceCall } from './support/voice-sipp.js';

const haveSipp = hasTool('sipp', 'sip-tester');

describe.runIf(haveSipp)('kill -9 while a voicemail is being recorded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tk-voice-kill-'));
  let server: StartedServer | undefined;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the message up to its last flush, and the store and the files agree after the restart', async () => {
    const sipPort = await freePort();
    const rtpMin = 40_000 + 2 * Math.floor(Math.random() * 5000);
    const flags = [
      '--data-dir',
      dir,
      '--http-host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--sip-host',
      '127.0.0.1',
      '--sip-port',
      String(sipPort),
      '--sip-tls-port',
      'off',
      '--sip-ws-port',
      'off',
      '--rtp-ports',
      `${rtpMin}-${rtpMin + 400}`,
      '--no-demo',
    ];
    writeFileSync(
      join(dir, 'tenant.yaml'),
      JSON.stringify({
        tenants: [
          {
            id: 'acme',
            name: 'ACME',
            domain: 'acme.test',
            extensions: [
              { number: '1001', name: 'Alice', password: 'alice-secret-1' },
              { number: '1002', name: 'Bob', password: 'bob-secret-22', voicemail: { pin: '4321' } },
            ],
          },
        ],
      }),
    );
    const applied = runCli(['apply', '-f', join(dir, 'tenant.yaml'), '--data-dir', dir]);
    expect(applied.status, applied.stderr).toBe(0);
    server = await startServerProcess(flags);

    // The greeting takes about 12 s; the caller then speaks for 7 s and would hang up much later.
    const call = await voiceCall(
      { sipPort },
      '1001',
      'acme.test',
      '1002',
      [{ pause_ms: 13_000 }, { play: speechPcap }, { pause_ms: 20_000 }],
      { password: 'alice-secret-1', timeout_s: 60 },
    );
    // Kill the server once the recording has a few seconds on disk.
    const box = join(dir, 'voicemail', 'acme', '1002');
    const partial = () => {
      try {
        return readdirSync(box).find((name) => name.endsWith('.wav.partial'));
      } catch {
        return undefined;
      }
    };
    for (let i = 0; i < 300 && partial() === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    expect(partial(), server.stdout()).toBeDefined();
    await new Promise((r) => setTimeout(r, 4500));
    await server.stop('SIGKILL');
    call.stop();
    await call.done;
    expect(partial()).toBeDefined(); // the crash left the recording unfinished

    server = await startServerProcess(flags);
    const names = readdirSync(box);
    expect(names.filter((n) => n.endsWith('.partial') || n.endsWith('.pending.json'))).toEqual([]);
    const wavs = names.filter((n) => n.endsWith('.wav'));
    expect(wavs).toHaveLength(1);

    const store = openStore({ url: join(dir, 'telekommune.db') });
    try {
      const messages = await new SqlVoiceRepository(store).listMessages('acme', '1002');
      expect(messages).toHaveLength(1);
      const message = messages[0]!;
      expect(message.file).toBe(wavs[0]);
      expect(message.caller).toBe('1001');
      const samples = await readTelephonyPcm(join(box, message.file));
      expect(Math.abs(samples.length / 8 - message.duration_ms)).toBeLessThan(1);
      // About 4.5 s were recorded; flushes come every second, so 3 to 5 s survive.
      expect(message.duration_ms).toBeGreaterThanOrEqual(2500);
      expect(message.duration_ms).toBeLessThanOrEqual(6000);
    } finally {
      await store.close();
    }
    await server.stop('SIGTERM');
    server = undefined;
  }, 120_000);
});
