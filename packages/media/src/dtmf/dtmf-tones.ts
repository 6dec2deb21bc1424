import { samplesForMs } from '../audio/audio-frame.js';
import type { DtmfDigit } from './dtmf-digit.js';

/** DTMF frequency pairs (ITU-T Q.23): low group rows, high group columns. */
const ROWS = [697, 770, 852, 941] as const;
const COLUMNS = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

export function dtmfFrequencies(digit: DtmfDigit): readonly [number, number] {
  for (let row = 0; row < 4; row++) {
    const column = KEYPAD[row]!.indexOf(digit);
    if (column >= 0) return [ROWS[row]!, COLUMNS[column]!];
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}

/**
 * In-band DTMF as PCM (for peers that did not negotiate telephone-event):
 * each digit `durationMs` of its two tones at about -10 dBFS each, then
 * `gapMs` of silence (Q.24 asks for at least 40 ms of each).
 */
export function renderDtmfTones(digits: readonly DtmfDigit[], durationMs = 100, gapMs = 60): Int16Array {
  const toneSamples = samplesForMs(durationMs);
  const gapSamples = samplesForMs(gapMs);
  const out = new Int16Array(digits.length * (toneSamples + gapSamples));
  const amplitude = 32767 * 10 ** (-10 / 20);
  digits.forEach((digit, d) => {
    const [low, high] = dtmfFrequencies(digit);
    const base = d * (toneSamples + gapSamples);
    for (let n = 0; n < toneSamples; n++) {
      const t = n / 8000;
      out[base + n] = Math.round(
        amplitude * 0.5 * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t)),
      );
    }
  });
  return out;
}
