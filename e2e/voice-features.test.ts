import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTelephonyPcm } from '@telekommune/media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneRuns } from './support/audio.js';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { hasTool } from './support/tools.js';
import {
  type ControlledPhone,
  controlledPhone,
  heardPrompt,
  toneWav,
  untilHeard,
} from './support/voice-phone.js';

const haveTools = hasTool('baresip', 'baresip-core') && hasTool('sox', 'sox');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ApiExtension {
  readonly number: string;
  readonly dnd: boolean;
  readonly forward?: { always?: string; busy?: string; noAnswer?: string };
}

/**
 * Feature codes dialled from a real phone (docs/feature-codes.md): each
 * change must land in the extension's stored configuration (API and
 * export), and the phone must hear the spoken confirmation.
 */
describe.runIf(haveTools)('feature codes from baresip: stored, and confirmed by voice', () => {
  let pbx: TestPbx;
  let dir: string;
  let token: string;
  let alice: ControlledPhone;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-fc-baresip-'));
    pbx = await startTestPbx({ sipHost: '0.0.0.0' });
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [
            { number: '1001', name: 'Alice', password: 'alice-secret-1' },
            { number: '1002', name: 'Bob', password: 'bob-secret-22' },
            { number: '1003', name: 'Carol', password: 'carol-secret-3' },
          ],
        },
      ],
    });
    token = (await pbx.running.context.tokens.create('tenant', 'feature test', 'acme')).token;
    alice = await controlledPhone(pbx, {
      dir,
      tenant: 'acme',
      domain: 'acme.test',
      user: '1001',
      password: 'alice-secret-1',
      sourceWav: toneWav(join(dir, 'alice.wav'), 440, 200, 0.3),
      seconds: 200,
    });
  });

  afterAll(async () => {
    await alice?.stop();
    await pbx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = <T>(path: string) => pbx.get<T>(path, token);
  const extension = () => api<ApiExtension>('/api/tenants/acme/extensions/1001');

  /**
   * Dials a code, presses `keys` once `ready` finds what it waits for in what this call's audio
   * has brought so far (never after a fixed time: a slow minute would shift the keys against the
   * prompts), waits for the PBX to hang up; what the phone heard.
   */
  async function featureCall(
    code: string,
    keys = '',
    ready: (heard: Int16Array) => boolean | Promise<boolean> = () => true,
  ): Promise<Int16Array> {
    const before = alice.baresip.heardWavs().length;
    await alice.dial(`sip:${code}@acme.test`);
    if (keys !== '') {
      await untilHeard(alice.baresip, `the moment to press ${keys}`, async (heard) =>
        alice.baresip.heardWavs().length > before && (await ready(heard)) ? true : undefined,
      );
      await alice.control.press(keys);
    }
    await alice.closed(30_000);
    // sndfile names each call's dump by the second it started; keep calls apart.
    await sleep(1100);
    const wavs = alice.baresip.heardWavs();
    expect(wavs.length, alice.baresip.log()).toBe(before + 1);
    return readTelephonyPcm(wavs[wavs.length - 1]!);
  }

  async function expectHeard(heard: Int16Array, name: string, ...not: string[]): Promise<void> {
    const match = await heardPrompt(heard, name);
    expect(match.score, `${name} ${JSON.stringify(match)}`).toBeGreaterThanOrEqual(0.7);
    for (const other of not) {
      const wrong = await heardPrompt(heard, other);
      expect(wrong.score, `${other} should not beat ${name}`).toBeLessThan(match.score);
    }
  }

  it('*72 with the target dialled, *73; *90 with the target typed, *91; *92 to an outside number, *93', async () => {
    let heard = await featureCall('*721002');
    expect((await extension()).forward).toEqual({ always: 'extension:1002' });
    await expectHeard(heard, 'fc-forward-all-enabled', 'fc-forward-all-disabled');
    await expectHeard(heard, 'fc-forwarding-to');

    heard = await featureCall('*73');
    expect((await extension()).forward).toBeUndefined();
    await expectHeard(heard, 'fc-forward-all-disabled', 'fc-forward-all-enabled');

    // Without a target the PBX asks for one: "Please enter the number ... followed by pound."
    heard = await featureCall(
      '*90',
      '1003#',
      async (sofar) => (await heardPrompt(sofar, 'fc-enter-forward-number')).score >= 0.7,
    );
    expect((await extension()).forward).toEqual({ busy: 'extension:1003' });
    await expectHeard(heard, 'fc-enter-forward-number');
    await expectHeard(heard, 'fc-forward-busy-enabled', 'fc-forward-busy-disabled');

    heard = await featureCall('*92+4930123456');
    expect((await extension()).forward).toEqual({ busy: 'extension:1003', noAnswer: 'number:+4930123456' });
    await expectHeard(heard, 'fc-forward-no-answer-enabled', 'fc-forward-no-answer-disabled');

    heard = await featureCall('*91');
    expect((await extension()).forward).toEqual({ noAnswer: 'number:+4930123456' });
    await expectHeard(heard, 'fc-forward-busy-disabled', 'fc-forward-busy-enabled');

    heard = await featureCall('*93');
    expect((await extension()).forward).toBeUndefined();
    await expectHeard(heard, 'fc-forward-no-answer-disabled', 'fc-forward-no-answer-enabled');
  }, 180_000);

  it('refuses to forward to the caller’s own number, changing nothing', async () => {
    const heard = await featureCall('*721001');
    expect((await extension()).forward).toBeUndefined();
    await expectHeard(heard, 'fc-invalid-number');
  }, 60_000);

  it('*78 turns do-not-disturb on (in the export too), *79 off', async () => {
    let heard = await featureCall('*78');
    expect((await extension()).dnd).toBe(true);
    await expectHeard(heard, 'fc-dnd-enabled', 'fc-dnd-disabled');
    const exported = await api<{ tenants: { extensions: ApiExtension[] }[] }>(
      '/api/provisioning/export?tenant=acme',
    );
    const stored = exported.tenants[0]?.extensions.find((e) => e.number === '1001');
    expect(stored?.dnd).toBe(true);

    heard = await featureCall('*79');
    expect((await extension()).dnd).toBe(false);
    await expectHeard(heard, 'fc-dnd-disabled', 'fc-dnd-enabled');
  }, 60_000);

  it('*43 echoes what the phone sends until #', async () => {
    // "This is the echo test..." (7 s), the beep, then the phone's own 440 Hz comes back; # ends it.
    const echoedFor = (sofar: Int16Array) =>
      toneRuns(sofar, 440).reduce((sum, [a, b]) => sum + (b - a) / 8, 0);
    const heard = await featureCall('*43', '#', (sofar) => echoedFor(sofar) > 3500);
    const intro = await heardPrompt(heard, 'fc-echo-test');
    expect(intro.score).toBeGreaterThanOrEqual(0.7);
    const echoed = toneRuns(heard, 440).filter(([start]) => start > intro.offset);
    const echoedMs = echoed.reduce((sum, [a, b]) => sum + (b - a) / 8, 0);
    expect(echoedMs, JSON.stringify(echoed)).toBeGreaterThan(2500);
    const ended = await heardPrompt(heard, 'fc-echo-test-ended');
    expect(ended.score).toBeGreaterThanOrEqual(0.7);
    expect(ended.offset).toBeGreaterThan(echoed[0]![0]);
  }, 60_000);
});
