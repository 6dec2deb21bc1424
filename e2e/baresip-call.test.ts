import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTone } from './support/audio.js';
import { startBaresip } from './support/baresip.js';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort, freePortBlock } from './support/ports.js';
import { hasTool } from './support/tools.js';
import { toneWav } from './support/voice-phone.js';

const haveTools = hasTool('baresip', 'baresip-core') && hasTool('sox', 'sox');

describe.runIf(haveTools).each([0, 1])(
  'two baresip phones talk through the PBX with anchored media, %i relay worker threads',
  (relayThreads) => {
    let pbx: TestPbx;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tk-baresip-'));
      // baresip sends media from its external address and will not send it to loopback:
      // the PBX listens on every address and advertises the external one for the relay.
      pbx = await startTestPbx({ sipHost: '0.0.0.0', env: { TK_RELAY_THREADS: String(relayThreads) } });
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
      for (const [name, hz] of [
        ['alice.wav', 440],
        ['bob.wav', 1200],
      ] as const) {
        toneWav(join(dir, name), hz, 20);
      }
    });

    afterAll(async () => {
      await pbx?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('carries each phone’s tone to the other, both ways', async () => {
      const outbound = `127.0.0.1:${pbx.sipPort}`;
      const rtpBase = await freePortBlock(141);
      const bob = startBaresip({
        dir: join(dir, 'bob'),
        user: '1002',
        domain: 'acme.test',
        password: 'bob-secret-22',
        outbound,
        sipPort: await freePort(),
        rtpPorts: [rtpBase, rtpBase + 40],
        sourceWav: join(dir, 'bob.wav'),
        seconds: 16,
      });
      for (let i = 0; i < 50 && pbx.running.context.location.lookup('acme', '1002').length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(pbx.running.context.location.lookup('acme', '1002'), bob.log()).toHaveLength(1);
      const alice = startBaresip({
        dir: join(dir, 'alice'),
        user: '1001',
        domain: 'acme.test',
        password: 'alice-secret-1',
        outbound,
        sipPort: await freePort(),
        rtpPorts: [rtpBase + 100, rtpBase + 140],
        sourceWav: join(dir, 'alice.wav'),
        seconds: 8,
        commands: ['/dial sip:1002@acme.test'],
      });
      await alice.exited;
      bob.process.kill('SIGINT');
      await bob.exited;

      const aliceHeard = alice.heardWav();
      const bobHeard = bob.heardWav();
      expect(aliceHeard, alice.log()).toBeDefined();
      expect(bobHeard, bob.log()).toBeDefined();
      const bobGotAlice = await checkTone(bobHeard!, 440);
      const aliceGotBob = await checkTone(aliceHeard!, 1200);
      expect(bobGotAlice.windows).toBeGreaterThan(30);
      expect(bobGotAlice.soundShare).toBeGreaterThan(0.6);
      expect(bobGotAlice.toneShare).toBeGreaterThan(0.6);
      expect(aliceGotBob.soundShare).toBeGreaterThan(0.6);
      expect(aliceGotBob.toneShare).toBeGreaterThan(0.6);

      const [cdr] = await pbx.cdrs({ tenantId: 'acme', limit: 1 });
      expect(cdr).toMatchObject({
        caller: '1001',
        callee: '1002',
        disposition: 'answered',
        answeredBy: '1002',
      });
    }, 60_000);
  },
);
