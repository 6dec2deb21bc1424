import { open, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, unlinkIfExists } from './atomic-file.js';
import { type FinishedRecording, PARTIAL_SUFFIX, PENDING_SUFFIX } from './durable-wav-writer.js';
import { PCM16_HEADER_SIZE, parseWavLayout, writePcm16Header } from './wav-format.js';

export interface RecoveryOptions {
  /** Partial recordings shorter than this are removed instead of kept. */
  readonly minDurationMs?: number;
}

export interface RecoveryReport {
  /** Recordings to (re)register in the store; acknowledge each once stored. */
  readonly recovered: readonly (FinishedRecording & { readonly fromPartial: boolean })[];
  /** Paths whose leftovers were removed (too short, unreadable, or never started). */
  readonly discarded: readonly string[];
}

const MAX_SIDECAR_OCTETS = 64 * 1024;

/**
 * After a crash: finishes the partial recordings `DurableWavWriter` left in
 * `directory` (keeping the audio up to their last flush) or removes them,
 * and reports recordings whose sidecar was never acknowledged, so the store
 * and the files agree again. Idempotent.
 */
export async function recoverRecordings(
  directory: string,
  options: RecoveryOptions = {},
): Promise<RecoveryReport> {
  const minSamples = Math.ceil(((options.minDurationMs ?? 0) * 8000) / 1000);
  const names = new Set(await readdir(directory));
  const finals = new Set<string>();
  for (const name of names) {
    if (name.endsWith(PENDING_SUFFIX)) finals.add(name.slice(0, -PENDING_SUFFIX.length));
    else if (name.endsWith(PARTIAL_SUFFIX)) finals.add(name.slice(0, -PARTIAL_SUFFIX.length));
  }
  const recovered: (FinishedRecording & { fromPartial: boolean })[] = [];
  const discarded: string[] = [];
  for (const finalName of [...finals].sort()) {
    const path = join(directory, finalName);
    const hasPartial = names.has(finalName + PARTIAL_SUFFIX);
    const hasPending = names.has(finalName + PENDING_SUFFIX);
    const metadata = hasPending ? await readSidecar(path + PENDING_SUFFIX) : undefined;
    const acknowledge = () => unlinkIfExists(path + PENDING_SUFFIX);
    if (hasPartial) {
      const samples = await repairPartial(path + PARTIAL_SUFFIX);
      if (samples === undefined || samples < minSamples) {
        await unlinkIfExists(path + PARTIAL_SUFFIX);
        await unlinkIfExists(path + PENDING_SUFFIX);
        discarded.push(path);
        continue;
      }
      await rename(path + PARTIAL_SUFFIX, path);
      await fsyncDirectory(directory);
      recovered.push(entry(path, samples, metadata, acknowledge, true));
    } else if (names.has(finalName)) {
      // Finished, but the caller never acknowledged: report it again.
      const samples = await finishedSamples(path);
      recovered.push(entry(path, samples ?? 0, metadata, acknowledge, false));
    } else {
      // A sidecar whose recording never started.
      await unlinkIfExists(path + PENDING_SUFFIX);
      discarded.push(path);
    }
  }
  return { recovered, discarded };
}

function entry(
  path: string,
  samples: number,
  metadata: unknown,
  acknowledge: () => Promise<void>,
  fromPartial: boolean,
): FinishedRecording & { fromPartial: boolean } {
  return {
    path,
    samples,
    durationMs: samples / 8,
    ...(metadata === undefined ? {} : { metadata }),
    acknowledge,
    fromPartial,
  };
}

async function readSidecar(path: string): Promise<unknown> {
  try {
    const info = await stat(path);
    if (info.size > MAX_SIDECAR_OCTETS) return undefined;
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined; // a torn sidecar cannot happen (atomic write), but never fail recovery on one
  }
}

/**
 * Cuts the partial file to what its header covers (the audio of the last
 * completed flush; anything after it is a flush that was interrupted) and
 * returns the sample count, or undefined when it is not a WAV we wrote.
 */
async function repairPartial(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r+');
  try {
    const size = (await handle.stat()).size;
    if (size < PCM16_HEADER_SIZE) return undefined;
    const header = Buffer.alloc(PCM16_HEADER_SIZE);
    await handle.read(header, 0, PCM16_HEADER_SIZE, 0);
    const layout = parseWavLayout(header);
    if (!layout.ok || layout.layout.encoding !== 'pcm16' || layout.layout.dataOffset !== PCM16_HEADER_SIZE) {
      return undefined;
    }
    const declared = header.readUInt32LE(40);
    const samples = Math.floor(Math.min(declared, size - PCM16_HEADER_SIZE) / 2);
    await handle.write(writePcm16Header(header, samples * 2), 0, PCM16_HEADER_SIZE, 0);
    await handle.truncate(PCM16_HEADER_SIZE + samples * 2);
    await handle.sync();
    return samples;
  } finally {
    await handle.close();
  }
}

async function finishedSamples(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return Math.max(0, Math.floor((info.size - PCM16_HEADER_SIZE) / 2));
  } catch {
    return undefined;
  }
}
