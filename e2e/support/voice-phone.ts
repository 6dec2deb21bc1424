import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWav, parseWavLayout, readTelephonyPcm, toTelephonyPcm } from '@telekommune/media';
import { findPrompt, type PromptMatch, promptPath } from './audio.js';
import { type BaresipPhone, startBaresip } from './baresip.js';
import { BaresipControl } from './baresip-control.js';
import type { TestPbx } from './pbx.js';
import { freePort, freePortBlock } from './ports.js';

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
  const rtpBase = await freePortBlock(21);
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

/**
 * What the phone has heard so far on its current call: baresip's sndfile
 * dump read while it grows (its header still declares no data until the
 * call ends, so the data chunk is taken to run to the end of the file).
 * Empty before the dump has a header.
 */
export function heardSoFar(baresip: BaresipPhone): Int16Array {
  const path = baresip.heardWavs().at(-1);
  if (path === undefined) return new Int16Array(0);
  const buffer = readFileSync(path);
  const layout = parseWavLayout(buffer);
  if (!layout.ok) return new Int16Array(0);
  buffer.writeUInt32LE(0xffff_ffff, layout.layout.dataOffset - 4);
  const parsed = parseWav(buffer);
  return parsed.ok ? toTelephonyPcm(parsed.audio) : new Int16Array(0);
}

/**
 * Waits until `found` returns something for what the phone has heard so
 * far (polled a few times a second), so a test presses its keys after the
 * prompt it answers, however slow the machine, instead of after a fixed
 * sleep.
 */
export async function untilHeard<T>(
  baresip: BaresipPhone,
  what: string,
  found: (heard: Int16Array) => Promise<T | undefined> | T | undefined,
  timeout_ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeout_ms;
  for (;;) {
    const result = await found(heardSoFar(baresip));
    if (result !== undefined) return result;
    if (Date.now() > deadline)
      throw new Error(`not heard within ${timeout_ms} ms: ${what}\n${baresip.log()}`);
    await sleep(250);
  }
}

/**
 * Waits until the phone has heard a bundled prompt after sample `from`
 * (its first `head_ms` only, for a long menu the caller would interrupt);
 * returns the sample where what was matched ended.
 */
export async function untilPromptHeard(
  baresip: BaresipPhone,
  name: string,
  options: { readonly from?: number; readonly head_ms?: number; readonly timeout_ms?: number } = {},
): Promise<number> {
  const from = options.from ?? 0;
  let prompt = await readTelephonyPcm(promptPath(name));
  if (options.head_ms !== undefined) prompt = prompt.subarray(0, options.head_ms * 8);
  return untilHeard(
    baresip,
    `prompt ${name}`,
    (heard) => {
      if (heard.length < from + prompt.length) return undefined;
      const match = findPrompt(heard, prompt, from);
      return match.score >= 0.7 ? match.offset + prompt.length : undefined;
    },
    options.timeout_ms,
  );
}
