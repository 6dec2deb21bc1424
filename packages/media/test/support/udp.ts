import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface Received {
  readonly msg: Buffer;
  readonly from: RemoteInfo;
}

/** A UDP socket on 127.0.0.1 (port 0 unless given) that records what it receives. */
export class TestPeer {
  readonly received: Received[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('message', (msg, from) => {
      this.received.push({ msg, from });
      this.waiters = this.waiters.filter((w) => {
        if (this.received.length >= w.count) w.resolve();
        return this.received.length < w.count;
      });
    });
  }

  static async bind(port = 0): Promise<TestPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    return new TestPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(msg: Buffer, port: number): void {
    this.socket.send(msg, port, '127.0.0.1');
  }

  /** Resolves once `count` packets have arrived in total; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} packets, got ${this.received.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** A port range of `size` ports starting at a currently free ephemeral port (the allocator skips taken ones). */
export async function testPortRange(size = 64): Promise<{ min: number; max: number }> {
  const probe = await TestPeer.bind();
  const port = probe.port;
  probe.close();
  const min = Math.min(port, 65535 - size) & ~1;
  return { min, max: min + size - 1 };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms until it holds; rejects after `timeoutMs` (slow, shared CI machines). */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
