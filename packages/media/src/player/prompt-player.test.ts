import { describe, expect, it } from 'vitest';
import { type G711Law, g711Encode } from '../codec/g711.js';
import { G711Clip } from '../codec/g711-clip.js';
import type { PlayItem } from './play-item.js';
import { PromptPlayer } from './prompt-player.js';

const clips: Record<string, Int16Array> = {
  a: new Int16Array(400).fill(1),
  b: new Int16Array(100).fill(2),
  c: new Int16Array(160).fill(3),
};

function resolver(delays: Record<string, Promise<void>> = {}) {
  return async (item: PlayItem) => {
    if (item.kind !== 'prompt') throw new Error('unexpected');
    await delays[item.id];
    const clip = clips[item.id];
    if (!clip) throw new Error(`no prompt ${item.id}`);
    return clip;
  };
}

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function readFrames(player: PromptPlayer, count: number): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let i = 0; i < count; i++) {
    const frame = new Int16Array(160);
    if (!player.read(frame)) break;
    frames.push(frame);
  }
  return frames;
}

describe('PromptPlayer', () => {
  it('plays items back to back across frame edges and resolves when done', async () => {
    const player = new PromptPlayer(resolver());
    const done = player.play(['a', 'b']);
    await settle();
    const frames = readFrames(player, 10);
    // 500 samples: frames of 160, 160, 160 and 20 + padding.
    expect(frames).toHaveLength(4);
    expect(frames[2]![79]).toBe(1);
    expect(frames[2]![80]).toBe(2);
    expect(frames[3]![19]).toBe(2);
    expect(frames[3]![20]).toBe(0);
    expect(await done).toEqual({ reason: 'finished', failedItems: 0, playedSamples: 500 });
    expect(player.read(new Int16Array(160))).toBe(false);
  });

  it('counts an underrun while the head item is loading, and skips items that fail', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => {
      release = r;
    });
    const player = new PromptPlayer(resolver({ c: slow }));
    const done = player.play(['missing', 'c']);
    await settle();
    const frame = new Int16Array(160);
    expect(player.read(frame)).toBe(true);
    expect(frame.every((s) => s === 0)).toBe(true);
    expect(player.underruns).toBe(1);
    release();
    await settle();
    expect(readFrames(player, 5)).toHaveLength(1);
    expect(await done).toMatchObject({ reason: 'finished', failedItems: 1, playedSamples: 160 });
  });

  it('stops interruptible playback on a key press, and keeps what is not interruptible', async () => {
    const player = new PromptPlayer(resolver());
    const first = player.play(['a']);
    const second = player.play(['a']);
    const important = player.play(['c'], { interruptible: false });
    await settle();
    readFrames(player, 1);
    expect(player.interrupt('5')).toBe(true);
    expect(await first).toMatchObject({ reason: 'interrupted', digit: '5', playedSamples: 160 });
    expect(await second).toMatchObject({ reason: 'interrupted', digit: '5', playedSamples: 0 });
    expect(player.interrupt('6')).toBe(false);
    expect(readFrames(player, 5)).toHaveLength(1);
    expect(await important).toMatchObject({ reason: 'finished' });
  });

  it('stops everything and bounds the queue', async () => {
    const player = new PromptPlayer(resolver());
    const one = player.play(['a'], { interruptible: false });
    player.stop();
    expect(await one).toMatchObject({ reason: 'stopped' });
    const tooMany = await player.play(Array.from({ length: 300 }, () => 'b'));
    expect(tooMany.reason).toBe('stopped');
    expect(player.playing).toBe(false);
  });

  it.each<G711Law>(['mulaw', 'alaw'])(
    'reads %s frames byte-identical to encoding what read() gives, across clips, a load and the end',
    async (law) => {
      // A clip of varied samples (every sign and segment), shorter and longer than a frame.
      const speech = Int16Array.from({ length: 1234 }, (_, i) =>
        Math.round(Math.sin(i / 7) * 30000 * ((i % 5) / 4)),
      );
      const beep = Int16Array.from({ length: 97 }, (_, i) => ((i * 331) % 65536) - 32768);
      let release!: () => void;
      const late = new Promise<void>((resolve) => {
        release = resolve;
      });
      const make = () =>
        new PromptPlayer(async (item) => {
          if (item.kind !== 'prompt') throw new Error('unexpected');
          if (item.id === 'late') await late;
          return item.id === 'beep' ? beep : speech;
        });
      const pcm = make();
      const encoded = make();
      const items = ['speech', 'beep', 'late', 'speech'];
      const done = [pcm.play(items), encoded.play(items)];
      await settle();
      let frames = 0;
      for (;;) {
        if (frames === 12) {
          release(); // the 'late' clip loads: both players underran on it until now
          await settle();
        }
        const frame = new Int16Array(160);
        const octets = new Uint8Array(160);
        const hadPcm = pcm.read(frame);
        expect(encoded.readEncoded(law, octets)).toBe(hadPcm);
        if (!hadPcm) break;
        expect(Buffer.from(octets).equals(Buffer.from(g711Encode(law, frame)))).toBe(true);
        frames++;
      }
      expect(frames).toBeGreaterThan(20);
      expect(await done[1]).toEqual(await done[0]);
      expect(encoded.underruns).toBe(pcm.underruns);
      expect(encoded.underruns).toBeGreaterThan(0);
    },
  );

  it('encodes a clip once for every player that plays it', async () => {
    const shared = Int16Array.from({ length: 800 }, (_, i) => i * 40 - 16000);
    const players = [0, 1, 2].map(() => new PromptPlayer(async () => shared));
    for (const player of players) void player.play(['x']);
    await settle();
    const out = new Uint8Array(160);
    for (const player of players) expect(player.readEncoded('mulaw', out)).toBe(true);
    const clip = G711Clip.of('mulaw', shared);
    expect(G711Clip.of('mulaw', shared)).toBe(clip);
    expect(G711Clip.of('alaw', shared)).not.toBe(clip);
    expect(
      clip.octets.subarray(0, 160).equals(Buffer.from(g711Encode('mulaw', shared.subarray(0, 160)))),
    ).toBe(true);
  });
});
