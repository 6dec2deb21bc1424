import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { SipStackError } from '../errors.js';
import { boundedWrite } from './bounded-write.js';
import { ConnectionTable, remoteKey } from './connection-table.js';
import { listenOn, requireBindAddress } from './listening.js';
import { SourceLimiter } from './source-limiter.js';
import type { TlsConfig } from './stream-transport.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  type Destination,
  type Flow,
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
  readonly #connections: ConnectionTable<Connection>;
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
    this.#connections = new ConnectionTable(options.protocol);
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
    requireBindAddress(options.address);
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
    const bound = await listenOn(http, options.port, options.address);
    if (bound) {
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
    return this.#connections.has(connectionId);
  }

  #adopt(ws: WebSocket, socket: Socket): void {
    if (ws.protocol !== 'sip' || this.#closed) {
      ws.close(1002, 'the sip subprotocol is required (RFC 7118)');
      return;
    }
    const id = this.#connections.nextId();
    const flow = this.#connections.acceptedFlow(socket, id, this.#localAddress, this.#localPort);
    const connection: Connection = {
      id,
      ws,
      key: remoteKey(flow.remoteAddress, flow.remotePort),
      flow,
      lastSeen_ms: Date.now(),
    };
    this.#connections.add(connection);
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
      this.#connections.remove(connection);
      this.#sink.connectionClosed?.(connection.flow);
    });
  }

  #sweep(): void {
    const now = Date.now();
    for (const connection of this.#connections.values()) {
      const idle = now - connection.lastSeen_ms;
      if (idle > this.#limits.idleTimeout_ms) connection.ws.terminate();
      else if (idle > this.#limits.idleTimeout_ms / 2) connection.ws.ping();
    }
  }

  send(data: Buffer, destination: Destination): Promise<void> {
    if (this.#closed)
      return Promise.reject(new SipStackError('transport-closed', `${this.protocol} transport is closed`));
    const connection = this.#connections.find(destination);
    if (!connection) {
      return Promise.reject(
        new SipStackError(
          'no-route',
          `${this.protocol}: no connection to ${destination.address}:${destination.port}`,
        ),
      );
    }
    const { ws } = connection;
    const output = {
      queuedBytes: ws.bufferedAmount,
      drop: () => ws.terminate(),
      write: (bytes: Buffer, done: (error?: Error | null) => void) => ws.send(bytes, { binary: false }, done),
    };
    return boundedWrite(this.protocol, output, data, this.#limits.maxPendingWriteBytes);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    for (const connection of this.#connections.values()) connection.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}
