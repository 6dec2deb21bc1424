import type { Socket } from 'node:net';
import { type Destination, type Flow, normalizeAddress, type TransportProtocol } from './transport.js';

/** What the table needs of a connection: its id, its remote `address:port` and its flow. */
export interface TableConnection {
  readonly id: string;
  readonly key: string;
  readonly flow: Flow;
}

let nextConnection = 0;

/** The table key of a remote peer: one spelling per address (see `normalizeAddress`). */
export function remoteKey(address: string, port: number): string {
  return `${normalizeAddress(address)}:${port}`;
}

/**
 * The open connections of a connection-oriented transport (TCP, TLS, WS,
 * WSS), by id and by remote address and port, so a request to a peer goes
 * over the connection it came in on (RFC 3261 §18.2.2, RFC 5626 flows).
 */
export class ConnectionTable<C extends TableConnection> {
  readonly #byId = new Map<string, C>();
  readonly #byRemote = new Map<string, C>();

  constructor(readonly protocol: TransportProtocol) {}

  /** A new connection id, unique in this process (`tcp-7`). */
  nextId(): string {
    return `${this.protocol}-${++nextConnection}`;
  }

  get size(): number {
    return this.#byId.size;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  values(): IterableIterator<C> {
    return this.#byId.values();
  }

  add(connection: C): void {
    this.#byId.set(connection.id, connection);
    this.#byRemote.set(connection.key, connection);
  }

  /** Forgets a closed connection; a newer one to the same peer keeps its place. */
  remove(connection: C): void {
    this.#byId.delete(connection.id);
    if (this.#byRemote.get(connection.key) === connection) this.#byRemote.delete(connection.key);
  }

  /** The connection `destination` names by id, else the newest one to its address and port. */
  find(destination: Destination): C | undefined {
    return (
      (destination.connectionId !== undefined ? this.#byId.get(destination.connectionId) : undefined) ??
      this.#byRemote.get(remoteKey(destination.address, destination.port))
    );
  }

  /**
   * The flow of a connection a peer opened to us, read from its socket
   * (`localAddress`/`localPort` where the socket does not say).
   */
  acceptedFlow(socket: Socket, id: string, localAddress: string, localPort: number): Flow {
    return {
      protocol: this.protocol,
      remoteAddress: normalizeAddress(socket.remoteAddress ?? ''),
      remotePort: socket.remotePort ?? 0,
      localAddress: normalizeAddress(socket.localAddress ?? localAddress),
      localPort: socket.localPort ?? localPort,
      connectionId: id,
    };
  }
}
