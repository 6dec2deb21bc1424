import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTone } from '../tone/tone-source.js';
import { parseWav } from '../wav/wav-format.js';
import { EchoSource } from './echo-source.js';
import { Recorder } from './recorder.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-rec-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const voice = renderTone(
  { name: 'v', segments: [{ frequencies: [300, 700], durationMs: 1000 }], repeat: true },
  20,
);
const silence = new Int16Array(160);

function samplesOf(path: string): number {
  const parsed = parseWav(readFileSync(path));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.audio.samples.length;
}

describe('Recorder', () => {
  it('trims trailing silence to 250 ms and the tail of the # key', async () => {
    const recorder = await Recorder.start(join(dir, 'm.wav'), { metadata: { id: 'm' } });
    for (let i = 0; i < 100; i++) recorder.write(voice); // 2 s of voice
    for (let i = 0; i < 150; i++) recorder.write(silence); // 3 s of silence
    const result = await recorder.stop({ trimTailMs: 100 });
    expect(result.reason).toBe('stopped');
    expect(result.heardVoice).toBe(true);
    expect(result.durationMs).toBe(2250);
    expect(samplesOf(join(dir, 'm.wav'))).toBe(18000);
    await result.recording!.acknowledge();
    expect(readdirSync(dir)).toEqual(['m.wav']);
  });

  it('cuts the # key sound off the end of speech', async () => {
    const recorder = await Recorder.start(join(dir, 'k.wav'));
    for (let i = 0; i < 50; i++) recorder.write(voice);
    const result = await recorder.stop({ trimTailMs: 200 });
    expect(result.durationMs).toBe(800);
  });

  it('ends by itself at the maximum length', async () => {
    const recorder = await Recorder.start(join(dir, 'max.wav'), { maxDurationMs: 1000 });
    for (let i = 0; i < 80; i++) recorder.write(voice);
    const result = await recorder.done;
    expect(result.reason).toBe('max-length');
    expect(result.durationMs).toBe(1000);
    expect(recorder.active).toBe(false);
  });

  it('ends after the maximum silence', async () => {
    const recorder = await Recorder.start(join(dir, 's.wav'), { maxSilenceMs: 2000 });
    for (let i = 0; i < 25; i++) recorder.write(voice);
    for (let i = 0; i < 200 && recorder.active; i++) recorder.write(silence);
    const result = await recorder.done;
    expect(result.reason).toBe('silence');
    expect(result.durationMs).toBe(750);
  });

  it('deletes everything when aborted', async () => {
    const recorder = await Recorder.start(join(dir, 'x.wav'), {
      metadata: { id: 'x' },
      flushIntervalMs: 100,
    });
    for (let i = 0; i < 30; i++) recorder.write(voice);
    const result = await recorder.abort();
    expect(result).toMatchObject({ reason: 'aborted', durationMs: 0 });
    expect(result.recording).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('EchoSource', () => {
  it('returns what it heard after the delay and bounds its queue', () => {
    const echo = new EchoSource(2);
    const out = new Int16Array(160);
    expect(echo.read(out)).toBe(false);
    echo.write(new Int16Array(160).fill(1));
    expect(echo.read(out)).toBe(false);
    echo.write(new Int16Array(160).fill(2));
    expect(echo.read(out)).toBe(true);
    expect(out[0]).toBe(1);
    expect(echo.read(out)).toBe(true);
    expect(out[0]).toBe(2);
    expect(echo.read(out)).toBe(false);
    for (let i = 0; i < 40; i++) echo.write(new Int16Array(160).fill(i));
    expect(echo.dropped).toBe(40 * 160 - 4000);
    // 30 ms packets in, 20 ms frames out.
    const odd = new EchoSource(1);
    odd.write(new Int16Array(240).fill(7));
    expect(odd.read(out)).toBe(true);
    expect(out[159]).toBe(7);
    expect(odd.read(out)).toBe(false);
  });
});
