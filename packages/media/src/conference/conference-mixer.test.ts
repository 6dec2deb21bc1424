import { describe, expect, it } from 'vitest';
import { FRAME_SAMPLES } from '../audio/audio-frame.js';
import { ManualClock } from '../clock/manual-clock.js';
import { MediaClock } from '../clock/media-clock.js';
import { TONE_PLANS } from '../tone/tone-plan.js';
import { ToneSource } from '../tone/tone-source.js';
import { ConferenceMixer, type MixerParticipant } from './conference-mixer.js';
import { mixMinusOne } from './mix-minus.js';

const frameOf = (value: number) => new Int16Array(FRAME_SAMPLES).fill(value);
const outputs = (n: number) => Array.from({ length: n }, () => new Int16Array(FRAME_SAMPLES));

describe('mixMinusOne', () => {
  it('gives each participant the sum of the others, never its own audio', () => {
    const out = outputs(3);
    const present = mixMinusOne([frameOf(100), frameOf(20), frameOf(3)], out, new Int32Array(FRAME_SAMPLES));
    expect(present).toBe(3);
    expect([...new Set(out[0])]).toEqual([23]);
    expect([...new Set(out[1])]).toEqual([103]);
    expect([...new Set(out[2])]).toEqual([120]);
  });

  it('counts a participant with no frame as silence and still gives it the others', () => {
    const out = outputs(3);
    const present = mixMinusOne([frameOf(500), undefined, frameOf(-200)], out, new Int32Array(FRAME_SAMPLES));
    expect(present).toBe(2);
    expect(out[0]![0]).toBe(-200);
    expect(out[1]![0]).toBe(300);
    expect(out[2]![0]).toBe(500);
  });

  it('clips to 16 bits after summing, not before', () => {
    const out = outputs(4);
    mixMinusOne(
      [frameOf(30_000), frameOf(30_000), frameOf(-30_000), frameOf(-32_768)],
      out,
      new Int32Array(FRAME_SAMPLES),
    );
    // Hears 30000 - 30000 - 32768: exact, no clipping on the way.
    expect(out[0]![0]).toBe(-32_768);
    // Hears 30000 + 30000 - 32768 = 27232.
    expect(out[2]![0]).toBe(27_232);
    const loud = outputs(3);
    mixMinusOne([frameOf(32_767), frameOf(32_767), frameOf(32_767)], loud, new Int32Array(FRAME_SAMPLES));
    expect(loud.every((o) => o.every((s) => s === 32_767))).toBe(true);
    const low = outputs(3);
    mixMinusOne([frameOf(-32_768), frameOf(-32_768), frameOf(0)], low, new Int32Array(FRAME_SAMPLES));
    expect(low[2]!.every((s) => s === -32_768)).toBe(true);
  });

  it('is digital silence for everyone when nobody speaks', () => {
    const out = outputs(3).map((o) => o.fill(7)); // stale content must be overwritten
    const present = mixMinusOne([undefined, undefined, undefined], out, new Int32Array(FRAME_SAMPLES));
    expect(present).toBe(0);
    expect(out.every((o) => o.every((s) => s === 0))).toBe(true);
  });

  it('refuses scratch space shorter than a frame and fewer outputs than inputs', () => {
    expect(() => mixMinusOne([frameOf(1)], [], new Int32Array(FRAME_SAMPLES))).toThrow(RangeError);
    expect(() => mixMinusOne([frameOf(1)], outputs(1), new Int32Array(10))).toThrow(RangeError);
  });
});

function setup(limits: ConstructorParameters<typeof ConferenceMixer>[1] = {}) {
  const manual = new ManualClock(1000);
  const clock = new MediaClock({ clock: manual, timers: manual });
  const mixer = new ConferenceMixer(clock, limits);
  return { manual, clock, mixer };
}

function readAll(participant: MixerParticipant): Int16Array[] {
  const frames: Int16Array[] = [];
  const frame = new Int16Array(FRAME_SAMPLES);
  while (participant.read(frame)) frames.push(frame.slice());
  return frames;
}

describe('ConferenceMixer', () => {
  it('mixes on the media clock every 20 ms: the others are heard, oneself never', () => {
    const { manual, mixer } = setup();
    const a = mixer.join()!;
    const b = mixer.join()!;
    const c = mixer.join()!;
    a.write(frameOf(1000));
    b.write(frameOf(10));
    manual.advance(20);
    expect(mixer.ticks).toBe(1);
    expect(readAll(a).map((f) => f[0])).toEqual([10]);
    expect(readAll(b).map((f) => f[0])).toEqual([1000]);
    expect(readAll(c).map((f) => f[0])).toEqual([1010]);
    // Only A speaks for a second: A hears digital silence all along.
    for (let i = 0; i < 50; i++) {
      a.write(frameOf(1234));
      manual.advance(20);
      const heardByA = readAll(a);
      expect(heardByA.length).toBe(1);
      expect(heardByA[0]!.every((s) => s === 0)).toBe(true);
      expect(readAll(b)[0]![0]).toBe(1234);
    }
    expect(a.stats().voicedFramesOut).toBe(1);
    expect(b.stats().voicedFramesOut).toBe(51);
    expect(c.stats().framesIn).toBe(0);
  });

  it('takes what arrived: a short packet is padded with silence, a long one spread over ticks', () => {
    const { manual, mixer } = setup();
    const a = mixer.join()!;
    const b = mixer.join()!;
    a.write(new Int16Array(100).fill(5));
    manual.advance(20);
    const first = readAll(b)[0]!;
    expect(first.subarray(0, 100).every((s) => s === 5)).toBe(true);
    expect(first.subarray(100).every((s) => s === 0)).toBe(true);
    a.write(new Int16Array(2 * FRAME_SAMPLES).fill(9)); // one 40 ms packet
    manual.advance(20);
    manual.advance(20);
    const next = readAll(b);
    expect(next.map((f) => f[0])).toEqual([9, 9]);
  });

  it('bounds the queues: old input and unsent output are dropped', () => {
    const { manual, mixer } = setup({ maxInputMs: 40, maxOutputFrames: 2 });
    const a = mixer.join()!;
    const b = mixer.join()!;
    a.write(new Int16Array(5 * FRAME_SAMPLES).fill(3));
    expect(a.stats().droppedSamples).toBe(3 * FRAME_SAMPLES);
    manual.advance(100); // five ticks, nobody reads B's output
    expect(readAll(b).length).toBe(2);
    expect(b.stats().droppedFrames).toBe(3);
  });

  it('refuses participants beyond the limit and stops ticking when the last one leaves', () => {
    const { manual, clock, mixer } = setup({ maxParticipants: 2 });
    const a = mixer.join()!;
    const b = mixer.join()!;
    expect(mixer.join()).toBeUndefined();
    expect(clock.size).toBe(1);
    a.write(frameOf(77));
    a.leave();
    manual.advance(20);
    expect(readAll(b)[0]!.every((s) => s === 0)).toBe(true); // A's queued audio left with A
    b.leave();
    b.leave();
    expect(mixer.size).toBe(0);
    expect(clock.size).toBe(0);
    const ticks = mixer.ticks;
    manual.advance(100);
    expect(mixer.ticks).toBe(ticks);
    expect(mixer.join()).toBeDefined(); // room again
    expect(() => new ConferenceMixer(clock, { maxParticipants: 0 })).toThrow(RangeError);
  });

  it('plays an overlay (a join tone) to one participant on top of the mix, then stops it', () => {
    const { manual, mixer } = setup();
    const a = mixer.join()!;
    const b = mixer.join()!;
    b.overlay(new ToneSource(TONE_PLANS.eu.beep));
    for (let i = 0; i < 30; i++) {
      a.write(frameOf(0));
      manual.advance(20);
    }
    const heard = readAll(b);
    // Queue bound 3: the last three frames are after the 500 ms beep ended.
    expect(heard.every((f) => f.every((s) => s === 0))).toBe(true);
    expect(b.stats().voicedFramesOut).toBe(0); // the overlay is not someone else's audio
    expect(readAll(a).every((f) => f.every((s) => s === 0))).toBe(true);
    b.overlay(new ToneSource(TONE_PLANS.eu.beep));
    manual.advance(20);
    expect(readAll(b)[0]!.some((s) => s !== 0)).toBe(true);
  });
});
