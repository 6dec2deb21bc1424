/**
 * Sample-rate conversion and down-mixing, for audio that arrives in other
 * formats (an uploaded greeting at 44.1 kHz stereo) and must become the
 * engine's 8 kHz mono.
 *
 * Band-limited interpolation: each output sample is a Blackman-windowed
 * sinc sum over the input, with the cut-off at the lower of the two Nyquist
 * frequencies (times 0.95), so down-sampling does not alias.
 */

const ZERO_CROSSINGS = 16;
/** Longest input converted, in samples (one hour at 48 kHz). */
export const MAX_RESAMPLE_INPUT = 48_000 * 3600;

export function downmixToMono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c]!;
    out[f] = Math.round(sum / channels);
  }
  return out;
}

export function resample(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return samples;
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError('sample rates must be positive');
  if (samples.length > MAX_RESAMPLE_INPUT) throw new RangeError('input too long to resample');
  const ratio = toRate / fromRate;
  const cutoff = 0.95 * Math.min(1, ratio); // relative to the input's Nyquist frequency
  const halfWidth = Math.ceil(ZERO_CROSSINGS / cutoff); // in input samples
  const outLength = Math.floor(samples.length * ratio);
  const kernel = kernelTable(cutoff, halfWidth);
  const out = new Int16Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const center = n / ratio;
    const first = Math.max(0, Math.ceil(center - halfWidth));
    const last = Math.min(samples.length - 1, Math.floor(center + halfWidth));
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const index = Math.round(Math.abs(k - center) * KERNEL_STEPS);
      sum += samples[k]! * (kernel[index] ?? 0);
    }
    out[n] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : Math.round(sum);
  }
  return out;
}

/** Kernel resolution: table entries per input sample. */
const KERNEL_STEPS = 512;

/** The windowed sinc for |x| in [0, halfWidth], tabulated (it is symmetric). */
function kernelTable(cutoff: number, halfWidth: number): Float64Array {
  const table = new Float64Array(halfWidth * KERNEL_STEPS + 1);
  for (let i = 0; i < table.length; i++) {
    const x = i / KERNEL_STEPS;
    const window =
      0.42 + 0.5 * Math.cos((Math.PI * x) / halfWidth) + 0.08 * Math.cos((2 * Math.PI * x) / halfWidth);
    const arg = Math.PI * cutoff * x;
    table[i] = cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg) * window;
  }
  return table;
}

/** Any decoded WAV as the engine's 8 kHz mono PCM. */
export function toTelephonyPcm(audio: {
  samples: Int16Array;
  channels: number;
  sampleRate: number;
}): Int16Array {
  return resample(downmixToMono(audio.samples, audio.channels), audio.sampleRate, 8000);
}
