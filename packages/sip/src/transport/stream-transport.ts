import {
  createServer as createNetServer,
  isIPv4,
  isIPv6,
  connect as netConnect,
  type Server,
  type Socket,
} from 'node:net';
import { createServer as createTlsServer, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { SipStackError } from '../errors.js';
import { boundedWrite } from './bounded-write.js';
import { ConnectionTable, remoteKey } from './connection-table.js';
import { ipFamily } from './ip-family.js';
import { listenOn, requireBindAddress } from './listening.js';
import { SourceLimiter } from './source-limiter.js';
import { StreamFramer } from './stream-framer.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  type Destination,
  type Flow,
  normalizeAddress,
  type Transport,
  type TransportLimits,
  type TransportSink,
} from './transport.js';

export interface TlsConfig {
  /** PEM certificate (chain) and private key served to peers. */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** Trusted CAs for outbound connections (default: Node's bundle). */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Verify peers' certificates on outbound connections (default true). */
  readonly rejectUnauthorized?: boolean;
}

export interface StreamTransportOptions {
  readonly protocol: 'tcp' | 'tls';
  readonly address: string;
  readonly port: number;
  readonly tls?: TlsConfig;
  readonly limits?: TransportLimits;
}

interface Connection {
  readonly id: string;
  readonly socket: Socket;
  readonly key: string;
  readonly framer: StreamFramer;
  flow: Flow;
  messageTimer: NodeJS.Timeout | undefined;
  /** Settles when an outbound connection is up (TLS: handshake done); inbound ones are up at once. */
  ready: Promise<void>;
  up: boolean;
}

/**
 * SIP over TCP and TLS (RFC 3261 §18, RFC 5630): messages framed by
 * Content-Length, connections reused in both directions (a request to a peer
 * goes over the connection it came in on, §18.2.2 and RFC 5626), with limits
 * on connections per source, idle time, message completion time
 * (slow-loris), message size and unread output.
 */
export class StreamTransport implements Transport {
  readonly protocol: 'tcp' | 'tls';
  readonly reliable = true;
  readonly secure: boolean;
  readonly #server: Server;
  readonly #sink: TransportSink;
  readonly #limits: TransportLimits;
  readonly #tls: TlsConfig | undefined;
  readonly #connections: ConnectionTable<Connection>;
  readonly #sources: SourceLimiter;
  readonly #ipv6: boolean;
  #localAddress: string;
  #localPort = 0;
  #closed = false;

  private constructor(options: StreamTransportOptions, sink: TransportSink, server: Server) {
    this.protocol = options.protocol;
    this.secure = options.protocol === 'tls';
    this.#server = server;
    this.#sink = sink;
    this.#limits = options.limits ?? DEFAULT_TRANSPORT_LIMITS;
    this.#connections = new ConnectionTable(options.protocol);
    this.#sources = new SourceLimiter(this.#limits.maxConnectionsPerSource);
    this.#tls = options.tls;
    this.#localAddress = options.address;
    this.#ipv6 = isIPv6(options.address);
  }

  static async listen(options: StreamTransportOptions, sink: TransportSink): Promise<StreamTransport> {
    requireBindAddress(options.address);
    const limits = options.limits ?? DEFAULT_TRANSPORT_LIMITS;
    let transport: StreamTransport | undefined;
    let server: Server;
    if (options.protocol === 'tls') {
      if (!options.tls)
        throw new SipStackError('invalid-argument', 'a TLS transport needs a certificate and key');
      server = createTlsServer({
        cert: options.tls.cert,
        key: options.tls.key,
        handshakeTimeout: limits.messageTimeout_ms,
      });
      server.on('secureConnection', (socket: TLSSocket) => transport?.adopt(socket));
      server.on('tlsClientError', () => {}); // a failed handshake only ends that connection
      // Counted on the raw connection, before any TLS work is spent on it.
      server.on('connection', (socket: Socket) => transport?.admit(socket));
    } else {
      server = createNetServer((socket) => {
        if (transport?.admit(socket)) transport.adopt(socket);
      });
    }
    server.maxConnections = limits.maxConnections;
    transport = new StreamTransport(options, sink, server);
    const t = transport;
    server.on('error', () => {});
    const bound = await listenOn(server, options.port, options.address);
    if (bound) {
      t.#localAddress = bound.address;
      t.#localPort = bound.port;
    }
    return t;
  }

  get localAddress(): string {
    return this.#localAddress;
  }

  get localPort(): number {
    return this.#localPort;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  canReach(address: string): boolean {
    if (ipFamily(address) === 6) return this.#ipv6;
    return !this.#ipv6 || this.#localAddress === '::';
  }

  hasConnection(connectionId: string): boolean {
    return this.#connections.has(connectionId);
  }

  /** Refuses a connection over the per-source limit, or any once closed. */
  private admit(socket: Socket): boolean {
    if (this.#closed) {
      socket.destroy();
      return false;
    }
    return this.#sources.admit(socket);
  }

  /** Starts reading a connection (inbound, or outbound once opened). */
  private adopt(socket: Socket): Connection {
    const id = this.#connections.nextId();
    const flow = this.#connections.acceptedFlow(socket, id, this.#localAddress, this.#localPort);
    const connection: Connection = {
      id,
      socket,
      key: remoteKey(flow.remoteAddress, flow.remotePort),
      framer: new StreamFramer(this.#limits.maxMessageBytes),
      flow,
      messageTimer: undefined,
      ready: Promise.resolve(),
      up: true,
    };
    this.#register(connection);
    this.#read(connection);
    return connection;
  }

  #register(connection: Connection): void {
    this.#connections.add(connection);
    const { socket } = connection;
    socket.setNoDelay(true);
    socket.setTimeout(this.#limits.idleTimeout_ms, () => socket.destroy());
    socket.on('error', () => {});
    socket.once('close', () => {
      if (connection.messageTimer) clearTimeout(connection.messageTimer);
      this.#connections.remove(connection);
      this.#sink.connectionClosed?.(connection.flow);
    });
  }

  #read(connection: Connection): void {
    const { socket, framer } = connection;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.kind === 'message') this.#sink.receive(frame.data, connection.flow, false);
        else if (frame.kind === 'ping') socket.write('\r\n');
        else {
          // Framing is lost: let the stack answer what it can (400), then close.
          if (frame.head) this.#sink.receive(frame.head, connection.flow, false);
          socket.end();
          setTimeout(() => socket.destroy(), 1000).unref();
          return;
        }
      }
      if (framer.pendingBytes > 0) {
        connection.messageTimer ??= setTimeout(() => socket.destroy(), this.#limits.messageTimeout_ms);
      } else if (connection.messageTimer) {
        clearTimeout(connection.messageTimer);
        connection.messageTimer = undefined;
      }
    });
  }

  #connect(destination: Destination): Connection {
    if (this.#connections.size >= this.#limits.maxConnections) {
      throw new SipStackError('limit-exceeded', `${this.protocol}: too many connections`);
    }
    const socket =
      this.protocol === 'tls'
        ? tlsConnect({
            host: destination.address,
            port: destination.port,
            ...(destination.serverName && !isIPv4(destination.serverName) && !isIPv6(destination.serverName)
              ? { servername: destination.serverName }
              : {}),
            ...(this.#tls?.ca ? { ca: this.#tls.ca as string | Buffer | Array<string | Buffer> } : {}),
            ...(this.#tls ? { cert: this.#tls.cert, key: this.#tls.key } : {}),
            rejectUnauthorized: this.#tls?.rejectUnauthorized ?? true,
          })
        : netConnect({ host: destination.address, port: destination.port });
    const connection: Connection = {
      id: this.#connections.nextId(),
      socket,
      key: remoteKey(destination.address, destination.port),
      framer: new StreamFramer(this.#limits.maxMessageBytes),
      flow: {
        protocol: this.protocol,
        remoteAddress: normalizeAddress(destination.address),
        remotePort: destination.port,
        localAddress: this.#localAddress,
        localPort: 0,
        connectionId: undefined,
      },
      messageTimer: undefined,
      ready: Promise.resolve(),
      up: false,
    };
    connection.flow = { ...connection.flow, connectionId: connection.id };
    const timer = setTimeout(() => socket.destroy(), this.#limits.connectTimeout_ms);
    connection.ready = new Promise<void>((resolve, reject) => {
      const failed = (error?: Error) => {
        clearTimeout(timer);
        reject(
          new SipStackError(
            'send-failed',
            `${this.protocol}: cannot connect to ${destination.address}:${destination.port}`,
            error ? { cause: error } : {},
          ),
        );
      };
      socket.once('error', failed);
      socket.once('close', () => failed());
      socket.once(this.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', failed);
        connection.up = true;
        connection.flow = {
          ...connection.flow,
          localAddress: normalizeAddress(socket.localAddress ?? this.#localAddress),
          localPort: socket.localPort ?? 0,
        };
        resolve();
      });
    });
    connection.ready.catch(() => {});
    this.#register(connection);
    this.#read(connection);
    return connection;
  }

  send(data: Buffer, destination: Destination): Promise<void> {
    if (this.#closed)
      return Promise.reject(new SipStackError('transport-closed', `${this.protocol} transport is closed`));
    let connection = this.#connections.find(destination);
    if (!connection || connection.socket.destroyed) {
      try {
        connection = this.#connect(destination);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Written at once when up, so a reply goes out before a close queued in the same turn.
    if (connection.up) return this.#write(connection, data);
    const pending = connection;
    return connection.ready.then(() => this.#write(pending, data));
  }

  #write(connection: Connection, data: Buffer): Promise<void> {
    const { socket } = connection;
    const output = {
      queuedBytes: socket.writableLength,
      drop: () => socket.destroy(),
      write: (bytes: Buffer, done: (error?: Error | null) => void) => socket.write(bytes, done),
    };
    return boundedWrite(this.protocol, output, data, this.#limits.maxPendingWriteBytes);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const connection of this.#connections.values()) connection.socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
