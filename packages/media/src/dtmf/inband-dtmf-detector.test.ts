import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_PROMPTS_DIRECTORY } from '../prompt/prompt-library.js';
import { renderTone } from '../tone/tone-source.js';
import { parseWav } from '../wav/wav-format.js';
import type { DtmfDigit } from './dtmf-digit.js';
import { renderDtmfTones } from './dtmf-tones.js';
import { InbandDtmfDetector } from './inband-dtmf-detector.js';

function detect(pcm: Int16Array): DtmfDigit[] {
  const detector = new InbandDtmfDetector();
  const out: DtmfDigit[] = [];
  for (let i = 0; i + 160 <= pcm.length; i += 160) {
    const digit = detector.process(pcm.subarray(i, i + 160));
    if (digit) out.push(digit);
  }
  return out;
}

function noise(length: number, amplitude: number, seed = 1): Int16Array {
  let x = seed;
  return Int16Array.from({ length }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return Math.round(((x / 2 ** 31) * 2 - 1) * amplitude);
  });
}

describe('in-band DTMF detection', () => {
  it('recognises all sixteen keys, each once', () => {
    const keys = [...'123A456B789C*0#D'] as DtmfDigit[];
    expect(detect(renderDtmfTones(keys, 80, 60))).toEqual(keys);
  });

  it('reports a held key once and a repeated key twice', () => {
    expect(detect(renderDtmfTones(['5'], 1000, 60))).toEqual(['5']);
    expect(detect(renderDtmfTones(['5', '5'], 80, 60))).toEqual(['5', '5']);
  });

  it('works under noise at 20 dB below the tones, and ignores tones shorter than 40 ms', () => {
    const tones = renderDtmfTones(['9', '#'], 100, 80);
    const hiss = noise(tones.length, 1000);
    const noisy = tones.map((s, i) => s + hiss[i]!);
    expect(detect(noisy)).toEqual(['9', '#']);
    expect(detect(renderDtmfTones(['1'], 20, 60))).toEqual([]);
  });

  it('ignores single tones, call-progress tones and the voice prompts (talk-off)', () => {
    const single = renderTone(
      { name: 's', segments: [{ frequencies: [770], durationMs: 500 }], repeat: false },
      500,
    );
    expect(detect(single)).toEqual([]);
    const ringback = renderTone(
      { name: 'r', segments: [{ frequencies: [440, 480], durationMs: 2000 }], repeat: false },
      2000,
    );
    expect(detect(ringback)).toEqual([]);
    const dir = join(BUNDLED_PROMPTS_DIRECTORY, 'en');
    const falses: string[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.wav'))) {
      const parsed = parseWav(readFileSync(join(dir, name)));
      if (parsed.ok && detect(parsed.audio.samples).length > 0) falses.push(name);
    }
    expect(falses).toEqual([]);
  });
});
