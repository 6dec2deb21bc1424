import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { MediaError } from '../errors.js';

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export interface PortPair {
  /** The even RTP port; RTCP is port + 1 (RFC 3550 §11). */
  readonly port: number;
  readonly rtp: Socket;
  readonly rtcp: Socket;
}

export interface PortAllocatorOptions {
  readonly host: string;
  readonly range: PortRange;
  /** Socket receive buffer, octets (the kernel may cap it). */
  readonly receiveBufferSize?: number;
  readonly sendBufferSize?: number;
}

/**
 * Hands out RTP/RTCP port pairs from a bounded range, round robin so a port
 * just released is not reused at once (late packets of the old call would
 * land in the new one). Ports taken by other processes are skipped.
 */
export class PortAllocator {
  readonly host: string;
  readonly range: PortRange;
  private readonly inUse = new Set<number>();
  private cursor: number;
  private readonly pairs: number;

  constructor(private readonly options: PortAllocatorOptions) {
    const min = options.range.min + (options.range.min % 2);
    const max = options.range.max;
    if (!(min >= 1024 && max <= 65535 && max > min)) {
      throw new MediaError(
        'invalid-argument',
        `bad RTP port range ${options.range.min}-${options.range.max}`,
      );
    }
    this.host = options.host;
    this.range = { min, max };
    this.pairs = Math.floor((max - min + 1) / 2);
    this.cursor = 0;
  }

  /** Pairs the range holds. */
  get capacity(): number {
    return this.pairs;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  async allocate(): Promise<PortPair> {
    for (let attempt = 0; attempt < this.pairs; attempt++) {
      const port = this.range.min + 2 * ((this.cursor + attempt) % this.pairs);
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const pair = await this.tryBind(port);
      if (pair) {
        this.cursor = (this.cursor + attempt + 1) % this.pairs;
        return pair;
      }
      this.inUse.delete(port);
    }
    throw new MediaError('ports-exhausted', `no free RTP port pair in ${this.range.min}-${this.range.max}`);
  }

  /** Closes the sockets and returns the pair to the range. */
  release(pair: PortPair): void {
    closeQuietly(pair.rtp);
    closeQuietly(pair.rtcp);
    this.inUse.delete(pair.port);
  }

  private async tryBind(port: number): Promise<PortPair | undefined> {
    const rtp = await this.bind(port);
    if (!rtp) return undefined;
    const rtcp = await this.bind(port + 1);
    if (!rtcp) {
      closeQuietly(rtp);
      return undefined;
    }
    return { port, rtp, rtcp };
  }

  private bind(port: number): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: isIPv6(this.options.host) ? 'udp6' : 'udp4' });
      const onError = () => {
        closeQuietly(socket);
        resolve(undefined);
      };
      socket.once('error', onError);
      socket.bind({ port, address: this.options.host, exclusive: true }, () => {
        socket.off('error', onError);
        // An unhandled 'error' event would end the process; owners add their own listeners.
        socket.on('error', () => {});
        try {
          if (this.options.receiveBufferSize) socket.setRecvBufferSize(this.options.receiveBufferSize);
          if (this.options.sendBufferSize) socket.setSendBufferSize(this.options.sendBufferSize);
        } catch {
          // The kernel's limit applies; not a reason to fail the call.
        }
        resolve(socket);
      });
    });
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}
