import { spawn } from 'node:child_process';
import { MediaError } from '../errors.js';
import { toTelephonyPcm } from '../wav/resample.js';
import { parseWav } from '../wav/wav-format.js';

export interface SpeechOptions {
  /** espeak-ng voice (default en-us). */
  readonly voice?: string;
  readonly wordsPerMinute?: number;
  /** Peak level after normalisation (default -3 dBFS). */
  readonly peakDbfs?: number;
  readonly timeoutMs?: number;
}

export const MAX_SPEECH_TEXT = 2000;
const MAX_SPEECH_OCTETS = 32 * 1024 * 1024;

/**
 * Speaks text with espeak-ng at run time (an auto-attendant greeting typed in
 * the console) and returns it as 8 kHz mono PCM, peak-normalised. The
 * bundled prompts are rendered ahead of time (`npm run prompts`); this is
 * for text that only exists in a tenant's configuration. Needs the Debian
 * package espeak-ng; rejects with a MediaError naming it when missing.
 */
export async function synthesizeSpeech(text: string, options: SpeechOptions = {}): Promise<Int16Array> {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_SPEECH_TEXT) {
    throw new MediaError('invalid-argument', `speech text must be 1-${MAX_SPEECH_TEXT} characters`);
  }
  const voice = options.voice ?? 'en-us';
  if (!/^[a-z0-9+_-]{2,40}$/i.test(voice)) throw new MediaError('invalid-argument', `bad voice ${voice}`);
  const wpm = Math.round(options.wordsPerMinute ?? 150);
  if (!(wpm >= 80 && wpm <= 300)) throw new MediaError('invalid-argument', 'wordsPerMinute must be 80-300');
  const wav = await runEspeak(
    ['-v', voice, '-s', String(wpm), '--stdout'],
    trimmed,
    options.timeoutMs ?? 15_000,
  );
  const parsed = parseWav(wav);
  if (!parsed.ok) throw new MediaError('io-error', `espeak-ng wrote no WAV (${parsed.reason})`);
  // espeak-ng streams to stdout with an unknown length in the header; the parser reads what is there.
  const pcm = toTelephonyPcm(parsed.audio);
  return normalise(pcm, options.peakDbfs ?? -3);
}

function runEspeak(args: string[], text: string, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('espeak-ng', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new MediaError('io-error', `espeak-ng took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new MediaError(
          'io-error',
          error.code === 'ENOENT'
            ? 'espeak-ng is not installed: apt-get install -y espeak-ng'
            : String(error),
          { cause: error },
        ),
      );
    });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SPEECH_OCTETS) child.kill('SIGKILL');
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new MediaError('io-error', `espeak-ng failed (${code}): ${stderr.trim()}`));
    });
    // The text goes on stdin, never through a shell or the argument list.
    child.stdin.end(text);
  });
}

function normalise(pcm: Int16Array, peakDbfs: number): Int16Array {
  let peak = 0;
  for (const s of pcm) peak = Math.max(peak, Math.abs(s));
  if (peak === 0) return pcm;
  const gain = (32767 * 10 ** (peakDbfs / 20)) / peak;
  return pcm.map((s) => Math.max(-32768, Math.min(32767, Math.round(s * gain))));
}
