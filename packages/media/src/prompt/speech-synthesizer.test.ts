import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rmsDbfs } from '../audio/level.js';
import { MediaError } from '../errors.js';
import { synthesizeSpeech } from './speech-synthesizer.js';

const hasEspeak = spawnSync('sh', ['-c', 'command -v espeak-ng']).status === 0;
if (!hasEspeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is not installed: apt-get install -y espeak-ng');
  process.stderr.write('skipping speech synthesis tests: apt-get install -y espeak-ng\n');
}

describe('synthesizeSpeech', () => {
  it.skipIf(!hasEspeak)('speaks a tenant greeting as 8 kHz audio peaking at -3 dBFS', async () => {
    const pcm = await synthesizeSpeech('Welcome to Acme. For sales, press 1.');
    expect(pcm.length).toBeGreaterThan(8000 * 1.5);
    expect(pcm.length).toBeLessThan(8000 * 6);
    expect(rmsDbfs(pcm)).toBeGreaterThan(-30);
    const peak = pcm.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(23000);
    expect(peak).toBeLessThanOrEqual(23198);
  });

  it.skipIf(!hasEspeak)('takes text that looks like options as text', async () => {
    const pcm = await synthesizeSpeech('-v xx --help; $(reboot)');
    expect(pcm.length).toBeGreaterThan(4000);
  });

  it('refuses empty, huge and odd input', async () => {
    await expect(synthesizeSpeech('   ')).rejects.toBeInstanceOf(MediaError);
    await expect(synthesizeSpeech('x'.repeat(3000))).rejects.toThrow(/1-2000/);
    await expect(synthesizeSpeech('hi', { voice: 'en; rm -rf /' })).rejects.toThrow(/bad voice/);
    await expect(synthesizeSpeech('hi', { wordsPerMinute: 5 })).rejects.toThrow(/80-300/);
  });
});
