import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readTelephonyPcm } from '@telekommune/media';
import { findPrompt, type PromptMatch, promptPath } from './audio.js';
import { type BaresipPhone, startBaresip } from './baresip.js';
import { BaresipControl } from './baresip-control.js';
import type { TestPbx } from './pbx.js';
import { freePort } from './ports.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A baresip phone registered with the test PBX and driven over ctrl_tcp. */
export interface ControlledPhone {
  readonly baresip: BaresipPhone;
  readonly control: BaresipControl;
  /** Dials `uri` and waits until the call is answered. */
  dial(uri: string): Promise<void>;
  /** Waits until the current call ends (the PBX hangs up, or `hangup` was sent). */
  closed(timeout_ms: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An 8 kHz mono 16-bit WAV of a sine tone made with sox (a phone's
 * microphone, a message): full scale, or scaled by `volume`.
 */
export function toneWav(path: string, hz: number, seconds: number, volume?: number): string {
  const sox = spawnSync('sox', [
    '-n',
    '-r',
    '8000',
    '-c',
    '1',
    '-b',
    '16',
    path,
    'synth',
    String(seconds),
    'sine',
    String(hz),
    ...(volume === undefined ? [] : ['vol', String(volume)]),
  ]);
  if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr?.toString()}`);
  return path;
}

/**
 * Starts baresip as `user` of `domain` (testing.md: the PBX must listen on
 * 0.0.0.0), waits for its registration, and connects to its ctrl_tcp.
 */
export async function controlledPhone(
  pbx: TestPbx,
  options: {
    readonly dir: string;
    readonly tenant: string;
    readonly domain: string;
    readonly user: string;
    readonly password: string;
    readonly sourceWav: string;
    readonly seconds: number;
  },
): Promise<ControlledPhone> {
  const rtpBase = (await freePort()) & ~1;
  const controlPort = await freePort();
  const baresip = startBaresip({
    dir: join(options.dir, options.user),
    user: options.user,
    domain: options.domain,
    password: options.password,
    outbound: `127.0.0.1:${pbx.sipPort}`,
    sipPort: await freePort(),
    rtpPorts: [rtpBase, rtpBase + 20],
    sourceWav: options.sourceWav,
    seconds: options.seconds,
    controlPort,
  });
  const control = await BaresipControl.connect(controlPort);
  const location = pbx.running.context.location;
  for (let i = 0; i < 100 && location.lookup(options.tenant, options.user).length === 0; i++) {
    await sleep(100);
  }
  if (location.lookup(options.tenant, options.user).length === 0) {
    control.close();
    baresip.process.kill('SIGKILL');
    throw new Error(`baresip ${options.user} did not register:\n${baresip.log()}`);
  }
  let callStart = 0;
  return {
    baresip,
    control,
    async dial(uri) {
      callStart = control.events.length;
      await control.command('dial', uri);
      await control.waitFor('CALL_ESTABLISHED', 10_000, callStart);
    },
    async closed(timeout_ms) {
      await control.waitFor('CALL_CLOSED', timeout_ms, callStart);
    },
    async stop() {
      control.close();
      baresip.process.kill('SIGINT');
      await baresip.exited;
    },
  };
}

/** Where a bundled prompt was heard in `heard` (support/audio.ts `findPrompt`). */
export async function heardPrompt(
  heard: Int16Array,
  name: string,
  from = 0,
  to = heard.length,
): Promise<PromptMatch> {
  return findPrompt(heard, await readTelephonyPcm(promptPath(name)), from, to);
}
