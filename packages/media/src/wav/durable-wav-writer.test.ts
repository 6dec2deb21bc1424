import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goertzelPower } from '../audio/level.js';
import { DurableWavWriter, PARTIAL_SUFFIX, PENDING_SUFFIX } from './durable-wav-writer.js';
import { recoverRecordings } from './recording-recovery.js';
import { parseWav } from './wav-format.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-wav-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ramp = (n: number, offset = 0) =>
  Int16Array.from({ length: n }, (_, i) => ((i + offset) % 2000) - 1000);

function readSamples(path: string): Int16Array {
  const parsed = parseWav(readFileSync(path));
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(parsed.audio.truncated).toBe(false);
  return parsed.audio.samples;
}

describe('DurableWavWriter', () => {
  it('keeps a valid WAV on disk after every flush and renames it when finished', async () => {
    const path = join(dir, 'a.wav');
    const writer = await DurableWavWriter.create(path, { id: 'a' });
    expect(JSON.parse(readFileSync(path + PENDING_SUFFIX, 'utf8'))).toEqual({ id: 'a' });
    writer.append(ramp(800));
    await writer.flush();
    expect(readSamples(path + PARTIAL_SUFFIX)).toEqual(ramp(800));
    writer.append(ramp(400, 800));
    // Not flushed yet: the file on disk still says 800 samples.
    expect(readSamples(path + PARTIAL_SUFFIX)).toHaveLength(800);
    const finished = await writer.finish();
    expect(finished).toMatchObject({ path, samples: 1200, durationMs: 150, metadata: { id: 'a' } });
    expect(existsSync(path + PARTIAL_SUFFIX)).toBe(false);
    expect(readSamples(path)).toEqual(ramp(1200));
    expect(existsSync(path + PENDING_SUFFIX)).toBe(true);
    await finished.acknowledge();
    expect(readdirSync(dir)).toEqual(['a.wav']);
    expect(() => writer.append(ramp(1))).toThrow(/finished/);
  });

  it('truncates on disk (trailing silence) and aborts without leftovers', async () => {
    const path = join(dir, 'b.wav');
    const writer = await DurableWavWriter.create(path);
    writer.append(ramp(1600));
    await writer.flush();
    writer.append(ramp(800));
    await writer.truncate(1000);
    expect(writer.samples).toBe(1000);
    expect(readSamples(path + PARTIAL_SUFFIX)).toEqual(ramp(1000));
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('recoverRecordings', () => {
  it('finishes a partial file up to its last flush, drops a torn tail, keeps the metadata', async () => {
    const path = join(dir, 'c.wav');
    const writer = await DurableWavWriter.create(path, { id: 'c' });
    writer.append(ramp(1600));
    await writer.flush();
    // Simulate a flush torn by a crash: data written, header not updated.
    const raw = readFileSync(path + PARTIAL_SUFFIX);
    writeFileSync(path + PARTIAL_SUFFIX, Buffer.concat([raw, Buffer.alloc(333, 1)]));
    const report = await recoverRecordings(dir);
    expect(report.discarded).toEqual([]);
    expect(report.recovered).toHaveLength(1);
    expect(report.recovered[0]).toMatchObject({
      path,
      samples: 1600,
      metadata: { id: 'c' },
      fromPartial: true,
    });
    expect(readSamples(path)).toEqual(ramp(1600));
    await report.recovered[0]!.acknowledge();
    expect(readdirSync(dir)).toEqual(['c.wav']);
    expect(await recoverRecordings(dir)).toEqual({ recovered: [], discarded: [] });
  });

  it('reports a finished but unacknowledged recording again, and removes too-short and orphan leftovers', async () => {
    const done = await DurableWavWriter.create(join(dir, 'done.wav'), { id: 'done' });
    done.append(ramp(8000));
    await done.finish(); // never acknowledged
    const short = await DurableWavWriter.create(join(dir, 'short.wav'), { id: 'short' });
    short.append(ramp(80));
    await short.flush();
    writeFileSync(join(dir, `orphan.wav${PENDING_SUFFIX}`), '{"id":"orphan"}');
    writeFileSync(
      join(dir, `junk.wav${PARTIAL_SUFFIX}`),
      'not a wav at all, definitely longer than forty-four octets',
    );
    const report = await recoverRecordings(dir, { minDurationMs: 500 });
    expect(report.recovered.map((r) => [r.metadata, r.fromPartial, r.durationMs])).toEqual([
      [{ id: 'done' }, false, 1000],
    ]);
    expect(report.discarded.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'junk.wav',
      'orphan.wav',
      'short.wav',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['done.wav', `done.wav${PENDING_SUFFIX}`]);
  });

  it('keeps the message up to the last flush when the recording process is killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../test/support/record-child.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let flushed = 0;
    let flushes = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child did not flush in time')), 20_000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          const match = /^flushed (\d+)$/.exec(line);
          if (!match) continue;
          flushed = Number(match[1]);
          flushes++;
          if (flushes === 5) {
            clearTimeout(timer);
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
      child.on('error', reject);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const report = await recoverRecordings(dir);
    expect(report.recovered).toHaveLength(1);
    const message = report.recovered[0]!;
    expect(message.metadata).toEqual({ id: 'msg-1', mailbox: '1001' });
    // At least everything confirmed flushed; at most one more flush that completed unreported.
    expect(message.samples).toBeGreaterThanOrEqual(flushed);
    expect(message.samples).toBeLessThanOrEqual(flushed + 1600);
    const samples = readSamples(message.path);
    expect(goertzelPower(samples.subarray(0, 1600), 440, 8000)).toBeGreaterThan(0.01);
  });
});
