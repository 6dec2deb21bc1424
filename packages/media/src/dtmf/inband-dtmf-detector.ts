import type { DtmfDigit } from './dtmf-digit.js';

/**
 * In-band DTMF detection (ITU-T Q.23 frequencies, Q.24 timing), for peers
 * that did not negotiate telephone-event and send key tones as audio.
 *
 * Every 20 ms frame, a Goertzel filter bank runs over the last 205 samples
 * (about 25 ms, the classic window whose bins fit the eight frequencies at
 * 8 kHz). A frame votes for a digit when the strongest row and column tone
 * together carry most of the frame's energy, each beats the other tones of
 * its group by 8 dB, and the twist (row against column level) is within
 * +4/-8 dB. A digit is reported after two agreeing frames (40 ms, Q.24's
 * minimum) and not again until a frame without it.
 */

const ROWS = [697, 770, 852, 941] as const;
const COLUMNS = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;
const WINDOW = 205;
const SAMPLE_RATE = 8000;
/** Signal floor: about -36 dBFS RMS over the window. */
const MIN_ENERGY = WINDOW * (32768 * 0.016) ** 2;
const GROUP_MARGIN = 10 ** (8 / 10);
const MAX_TWIST = 10 ** (8 / 10);
const MAX_REVERSE_TWIST = 10 ** (4 / 10);
/** Share of the window's energy the two tones must hold (talk-off guard). */
const MIN_TONE_SHARE = 0.75;

const coefficients = [...ROWS, ...COLUMNS].map((f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));

export class InbandDtmfDetector {
  private readonly window = new Float64Array(WINDOW);
  private filled = 0;
  private candidate: DtmfDigit | undefined;
  private agreeing = 0;
  private reported: DtmfDigit | undefined;

  /** Feeds one frame; returns a digit when a new key press is recognised. */
  process(frame: Int16Array): DtmfDigit | undefined {
    // Slide the window: keep the newest WINDOW samples.
    const n = frame.length;
    if (n >= WINDOW) {
      for (let i = 0; i < WINDOW; i++) this.window[i] = frame[n - WINDOW + i]!;
    } else {
      this.window.copyWithin(0, n);
      for (let i = 0; i < n; i++) this.window[WINDOW - n + i] = frame[i]!;
    }
    this.filled = Math.min(WINDOW, this.filled + n);
    if (this.filled < WINDOW) return undefined;
    const digit = this.classify();
    if (digit === undefined) {
      this.candidate = undefined;
      this.agreeing = 0;
      this.reported = undefined;
      return undefined;
    }
    if (digit === this.candidate) this.agreeing++;
    else {
      this.candidate = digit;
      this.agreeing = 1;
    }
    if (this.agreeing >= 2 && this.reported !== digit) {
      this.reported = digit;
      return digit;
    }
    return undefined;
  }

  private classify(): DtmfDigit | undefined {
    let total = 0;
    for (let i = 0; i < WINDOW; i++) total += this.window[i]! * this.window[i]!;
    if (total < MIN_ENERGY) return undefined;
    const power = coefficients.map((c) => {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < WINDOW; i++) {
        const s0 = this.window[i]! + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      // |X(k)|² scaled to the energy of a sine in the window (Parseval).
      return ((s1 * s1 + s2 * s2 - c * s1 * s2) * 2) / WINDOW;
    });
    const row = strongest(power.slice(0, 4));
    const column = strongest(power.slice(4));
    if (row.second * GROUP_MARGIN > row.value || column.second * GROUP_MARGIN > column.value)
      return undefined;
    // Twist: the high group may be up to 8 dB weaker (normal) or 4 dB stronger (reverse) than the low group.
    if (row.value > column.value * MAX_TWIST || column.value > row.value * MAX_REVERSE_TWIST)
      return undefined;
    if (row.value + column.value < MIN_TONE_SHARE * total) return undefined;
    return KEYPAD[row.index]![column.index] as DtmfDigit;
  }
}

function strongest(values: number[]): { index: number; value: number; second: number } {
  let index = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[index]!) index = i;
  let second = 0;
  for (let i = 0; i < values.length; i++) if (i !== index) second = Math.max(second, values[i]!);
  return { index, value: values[index]!, second };
}
