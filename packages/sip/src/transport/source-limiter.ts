import type { Socket } from 'node:net';
import { normalizeAddress } from './transport.js';

/** Counts open connections per remote IP address and refuses those over the limit. */
export class SourceLimiter {
  readonly #counts = new Map<string, number>();

  constructor(readonly maxPerSource: number) {}

  /** True when the socket may stay; otherwise it has been destroyed. */
  admit(socket: Socket): boolean {
    const source = normalizeAddress(socket.remoteAddress ?? '');
    const count = this.#counts.get(source) ?? 0;
    if (count >= this.maxPerSource) {
      socket.destroy();
      return false;
    }
    this.#counts.set(source, count + 1);
    socket.once('close', () => {
      const left = (this.#counts.get(source) ?? 1) - 1;
      if (left <= 0) this.#counts.delete(source);
      else this.#counts.set(source, left);
    });
    return true;
  }

  count(source: string): number {
    return this.#counts.get(source) ?? 0;
  }
}
