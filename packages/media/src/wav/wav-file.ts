import { open } from 'node:fs/promises';
import { MediaError } from '../errors.js';
import { toTelephonyPcm } from './resample.js';
import { DEFAULT_MAX_WAV_OCTETS, parseWav, type WavAudio } from './wav-format.js';

/** Reads and decodes a WAV file, refusing files over `maxOctets`. */
export async function readWavFile(path: string, maxOctets = DEFAULT_MAX_WAV_OCTETS): Promise<WavAudio> {
  const handle = await open(path, 'r');
  let buffer: Buffer;
  try {
    const { size } = await handle.stat();
    if (size > maxOctets) throw new MediaError('invalid-wav', `${path}: ${size} octets exceeds ${maxOctets}`);
    buffer = Buffer.alloc(size);
    await handle.read(buffer, 0, size, 0);
  } finally {
    await handle.close();
  }
  const result = parseWav(buffer, maxOctets);
  if (!result.ok) throw new MediaError('invalid-wav', `${path}: ${result.reason}`);
  return result.audio;
}

/** Reads any supported WAV as 8 kHz mono 16-bit PCM. */
export async function readTelephonyPcm(
  path: string,
  maxOctets = DEFAULT_MAX_WAV_OCTETS,
): Promise<Int16Array> {
  return toTelephonyPcm(await readWavFile(path, maxOctets));
}
