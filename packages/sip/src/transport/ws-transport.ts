import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIPv4, isIPv6, type Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { SipStackError } from '../errors.js';
import { SourceLimiter } from './source-limiter.js';
import type { TlsConfig } from './stream-transport.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  type Destination,
  type Flow,
  normalizeAddress,
  type Transport,
  type TransportLimits,
  type TransportSink,
} from './transport.js';

export interface WsTransportOptions {
  readonly protocol: 'ws' | 'wss';
  readonly address: string;
  readonly port: number;
  /** Only upgrade requests for this path (default: any). */
  readonly path?: string;
  readonly tls?: TlsConfig;
  readonly limits?: TransportLimits;
}

interface Connection {
  readonly id: string;
  readonly ws: WebSocket;
  readonly key: string;
  readonly flow: Flow;
  lastSeen_ms: number;
}

let nextConnection = 0;
const KEEPALIVE = '\r\n\r\n';

/**
 * SIP over WebSocket (RFC 7118) with the `ws` package: the `sip`
 * subprotocol, one SIP message per WebSocket message, answers and requests to
 * a browser over the connection it opened (it cannot be reached otherwise).
 * Idle connections are pinged, then closed.
 */
export class WsTransport implements Transport {
  readonly protocol: 'ws' | 'wss';
  readonly reliable = true;
  readonly secure: boolean;
  readonly #http: HttpServer;
  readonly #wss: WebSocketServer;
  readonly #sink: TransportSink;
  readonly #limits: TransportLimits;
  readonly #byId = new Map<string, Connection>();
  readonly #byRemote = new Map<string, Connection>();
  readonly #sweeper: NodeJS.Timeout;
  #localAddress: string;
  #localPort = 0;
  #closed = false;

  private constructor(options: WsTransportOptions, sink: TransportSink, http: HttpServer) {
    this.protocol = options.protocol;
    this.secure = options.protocol === 'wss';
    this.#http = http;
    this.#sink = sink;
    this.#limits = options.limits ?? DEFAULT_TRANSPORT_LIMITS;
    this.#localAddress = options.address;
    this.#wss = new WebSocketServer({
      server: http,
      ...(options.path ? { path: options.path } : {}),
      maxPayload: this.#limits.maxMessageBytes,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    this.#wss.on('connection', (ws, request) => this.#adopt(ws, request.socket));
    this.#wss.on('error', () => {});
    const sweep_ms = Math.max(1000, Math.floor(this.#limits.idleTimeout_ms / 4));
    this.#sweeper = setInterval(() => this.#sweep(), sweep_ms);
    this.#sweeper.unref();
  }

  static async listen(options: WsTransportOptions, sink: TransportSink): Promise<WsTransport> {
    if (!isIPv4(options.address) && !isIPv6(options.address)) {
      throw new SipStackError('invalid-argument', `bind address ${options.address} is not an IP address`);
    }
    const limits = options.limits ?? DEFAULT_TRANSPORT_LIMITS;
    let http: HttpServer;
    if (options.protocol === 'wss') {
      if (!options.tls)
        throw new SipStackError('invalid-argument', 'a WSS transport needs a certificate and key');
      http = createHttpsServer({
        cert: options.tls.cert,
        key: options.tls.key,
        handshakeTimeout: limits.messageTimeout_ms,
      });
      http.on('tlsClientError', () => {});
    } else {
      http = createHttpServer();
    }
    http.maxConnections = limits.maxConnections;
    http.headersTimeout = limits.messageTimeout_ms;
    http.requestTimeout = limits.messageTimeout_ms;
    const sources = new SourceLimiter(limits.maxConnectionsPerSource);
    http.on('connection', (socket: Socket) => sources.admit(socket));
    // Plain HTTP requests get 426: this port only speaks SIP over WebSocket.
    http.on('request', (_req, res) => {
      res.writeHead(426, { Upgrade: 'websocket', Connection: 'close' });
      res.end();
    });
    http.on('error', () => {});
    const transport = new WsTransport(options, sink, http);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.address, () => {
        http.off('error', reject);
        resolve();
      });
    });
    const bound = http.address();
    if (bound && typeof bound === 'object') {
      transport.#localAddress = bound.address;
      transport.#localPort = bound.port;
    }
    return transport;
  }

  get localAddress(): string {
    return this.#localAddress;
  }

  get localPort(): number {
    return this.#localPort;
  }

  canReach(): boolean {
    // Only existing connections reach browsers; send() says when there is none.
    return true;
  }

  hasConnection(connectionId: string): boolean {
    return this.#byId.has(connectionId);
  }

  #adopt(ws: WebSocket, socket: Socket): void {
    if (ws.protocol !== 'sip' || this.#closed) {
      ws.close(1002, 'the sip subprotocol is required (RFC 7118)');
      return;
    }
    const remoteAddress = normalizeAddress(socket.remoteAddress ?? '');
    const remotePort = socket.remotePort ?? 0;
    const id = `${this.protocol}-${++nextConnection}`;
    const connection: Connection = {
      id,
      ws,
      key: `${remoteAddress}:${remotePort}`,
      flow: {
        protocol: this.protocol,
        remoteAddress,
        remotePort,
        localAddress: normalizeAddress(socket.localAddress ?? this.#localAddress),
        localPort: socket.localPort ?? this.#localPort,
        connectionId: id,
      },
      lastSeen_ms: Date.now(),
    };
    this.#byId.set(id, connection);
    this.#byRemote.set(connection.key, connection);
    ws.on('message', (data, isBinary) => {
      connection.lastSeen_ms = Date.now();
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (!isBinary && bytes.toString('latin1') === KEEPALIVE) return;
      if (bytes.length === 0) return;
      // RFC 7118 §5: the WebSocket message delimits the SIP message.
      this.#sink.receive(bytes, connection.flow, true);
    });
    ws.on('pong', () => {
      connection.lastSeen_ms = Date.now();
    });
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      this.#byId.delete(id);
      if (this.#byRemote.get(connection.key) === connection) this.#byRemote.delete(connection.key);
      this.#sink.connectionClosed?.(connection.flow);
    });
  }

  #sweep(): void {
    const now = Date.now();
    for (const connection of this.#byId.values()) {
      const idle = now - connection.lastSeen_ms;
      if (idle > this.#limits.idleTimeout_ms) connection.ws.terminate();
      else if (idle > this.#limits.idleTimeout_ms / 2) connection.ws.ping();
    }
  }

  send(data: Buffer, destination: Destination): Promise<void> {
    if (this.#closed)
      return Promise.reject(new SipStackError('transport-closed', `${this.protocol} transport is closed`));
    const connection =
      (destination.connectionId !== undefined ? this.#byId.get(destination.connectionId) : undefined) ??
      this.#byRemote.get(`${normalizeAddress(destination.address)}:${destination.port}`);
    if (!connection) {
      return Promise.reject(
        new SipStackError(
          'no-route',
          `${this.protocol}: no connection to ${destination.address}:${destination.port}`,
        ),
      );
    }
    if (connection.ws.bufferedAmount + data.length > this.#limits.maxPendingWriteBytes) {
      connection.ws.terminate();
      return Promise.reject(
        new SipStackError('send-failed', `${this.protocol}: peer is not reading; connection dropped`),
      );
    }
    return new Promise((resolve, reject) => {
      connection.ws.send(data, { binary: false }, (error) => {
        if (error) reject(new SipStackError('send-failed', `${this.protocol} send failed`, { cause: error }));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    for (const connection of this.#byId.values()) connection.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}
