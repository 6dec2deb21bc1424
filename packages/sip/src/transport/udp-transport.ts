import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIPv6 } from 'node:net';
import { SipStackError } from '../errors.js';
import { ipFamily } from './ip-family.js';
import { requireBindAddress } from './listening.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  type Destination,
  type Flow,
  normalizeAddress,
  type Transport,
  type TransportLimits,
  type TransportSink,
} from './transport.js';

export interface UdpTransportOptions {
  /** Bind address: an IPv4 or IPv6 literal; `::` listens dual-stack. */
  readonly address: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly limits?: TransportLimits;
}

/** SIP over UDP (RFC 3261 §18): one message per datagram, datagrams over the size limit dropped. */
interface PendingDatagram {
  readonly data: Buffer;
  readonly destination: Destination;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Node resolves every datagram's destination before sending it, and its
 * default resolver answers even an IP address on the next tick. The stack
 * only ever sends to addresses (the resolver has run before, RFC 3263), so
 * literals are answered at once; a name still goes to the system resolver.
 */
function lookupLiteral(
  hostname: string,
  options: number | LookupOneOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = ipFamily(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
}

export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  readonly secure = false;
  readonly #socket: Socket;
  readonly #ipv6: boolean;
  readonly #dualStack: boolean;
  #localAddress: string;
  #localPort = 0;
  #closed = false;
  #queue: PendingDatagram[] = [];
  #flushScheduled = false;

  private constructor(socket: Socket, address: string) {
    this.#socket = socket;
    this.#ipv6 = isIPv6(address);
    this.#dualStack = this.#ipv6 && (address === '::' || address === '::0');
    this.#localAddress = address;
  }

  static async listen(options: UdpTransportOptions, sink: TransportSink): Promise<UdpTransport> {
    const limits = options.limits ?? DEFAULT_TRANSPORT_LIMITS;
    requireBindAddress(options.address, 'UDP bind address');
    const ipv6 = isIPv6(options.address);
    const socket = createSocket({ type: ipv6 ? 'udp6' : 'udp4', reuseAddr: false, lookup: lookupLiteral });
    const transport = new UdpTransport(socket, options.address);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(limits.udpBufferBytes);
      socket.setSendBufferSize(limits.udpBufferBytes);
    } catch {
      // The kernel may cap buffer sizes (net.core.rmem_max); the defaults still work.
    }
    const bound = socket.address();
    transport.#localAddress = bound.address;
    transport.#localPort = bound.port;
    const localAddress = bound.address;
    const localPort = bound.port;
    socket.on('message', (data, rinfo) => {
      if (data.length > limits.maxMessageBytes) return;
      const flow: Flow = {
        protocol: 'udp',
        remoteAddress: normalizeAddress(rinfo.address),
        remotePort: rinfo.port,
        localAddress,
        localPort,
        connectionId: undefined,
      };
      sink.receive(data, flow, true);
    });
    // ICMP errors surface as socket errors on some systems; a UDP socket stays usable.
    socket.on('error', () => {});
    return transport;
  }

  get localAddress(): string {
    return this.#localAddress;
  }

  get localPort(): number {
    return this.#localPort;
  }

  canReach(address: string): boolean {
    if (ipFamily(address) === 6) return this.#ipv6;
    return !this.#ipv6 || this.#dualStack;
  }

  hasConnection(): boolean {
    return false;
  }

  /**
   * Queues a datagram; everything queued while the event loop handles one
   * batch of input leaves together right after it (setImmediate). A send to a
   * sleeping peer costs a wake-up; sent in a burst, the peer wakes once.
   */
  send(data: Buffer, destination: Destination): Promise<void> {
    if (this.#closed) return Promise.reject(new SipStackError('transport-closed', 'UDP transport is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ data, destination, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(this.#flush);
      }
    });
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (const pending of queue) this.#sendNow(pending);
  };

  #sendNow({ data, destination, resolve, reject }: PendingDatagram): void {
    if (this.#closed) {
      reject(new SipStackError('transport-closed', 'UDP transport is closed'));
      return;
    }
    const address =
      this.#dualStack && ipFamily(destination.address) === 4
        ? `::ffff:${destination.address}`
        : destination.address;
    this.#socket.send(data, destination.port, address, (error) => {
      if (error)
        reject(
          new SipStackError('send-failed', `UDP send to ${destination.address}:${destination.port} failed`, {
            cause: error,
          }),
        );
      else resolve();
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#flush(); // what was queued before close still leaves
    this.#closed = true;
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
