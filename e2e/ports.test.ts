import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { freePort, freePortBlock } from './support/ports.js';

describe('ports for the tools the tests start', () => {
  it('hands out an even block above the ephemeral range, each port bindable, never the same block twice', async () => {
    const first = await freePortBlock(4);
    const second = await freePortBlock(4);
    for (const base of [first, second]) {
      expect(base % 2).toBe(0);
      expect(base).toBeGreaterThanOrEqual(61_000);
      expect(base + 3).toBeLessThanOrEqual(65_519);
    }
    expect(Math.abs(second - first)).toBeGreaterThanOrEqual(4);
    const sockets = await Promise.all(
      [0, 1, 2, 3].map(
        (offset) =>
          new Promise<ReturnType<typeof createSocket>>((resolve, reject) => {
            const socket = createSocket('udp4');
            socket.once('error', reject);
            socket.bind(first + offset, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    // With the block held, the next block steps past it.
    const third = await freePortBlock(4);
    expect(third < first || third >= first + 4).toBe(true);
    for (const socket of sockets) socket.close();
  });

  it('refuses a block that cannot fit', async () => {
    await expect(freePortBlock(0)).rejects.toThrow(RangeError);
    await expect(freePortBlock(10_000)).rejects.toThrow(/does not fit/);
    expect(await freePort()).toBeGreaterThanOrEqual(61_000);
  });
});
