import { describe, expect, it } from 'vitest';
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
});
