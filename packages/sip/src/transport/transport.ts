/**
 * The port between the SIP stack and the network (RFC 3261 §18). A transport
 * moves whole messages as bytes; parsing, Via handling and response routing
 * live above it. Stream transports frame by Content-Length before delivery.
 */
export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Where a message came from and on what: what a registrar binds a contact to (RFC 5626 flows). */
export interface Flow {
  readonly protocol: TransportProtocol;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** The connection of a stream transport; undefined for UDP. */
  readonly connectionId: string | undefined;
}

export interface Destination {
  /** An IP address (never a host name: resolution happens above). */
  readonly address: string;
  readonly port: number;
  /** Prefer this existing connection (a registered flow, the connection a request came on). */
  readonly connectionId?: string | undefined;
  /** TLS: the name to verify and send as SNI. */
  readonly serverName?: string | undefined;
}

/** Receives what transports read. Called synchronously; must not throw. */
export interface TransportSink {
  /** One message (already framed on streams). `datagram` selects RFC 3261 §18.3 datagram rules. */
  receive(data: Buffer, flow: Flow, datagram: boolean): void;
  /** A connection went away (registrars drop the bindings of that flow). */
  connectionClosed?(flow: Flow): void;
}

export interface Transport {
  readonly protocol: TransportProtocol;
  /** Reliable transports get no retransmissions (RFC 3261 §17: timers A, E, G off). */
  readonly reliable: boolean;
  readonly secure: boolean;
  readonly localAddress: string;
  readonly localPort: number;
  /** Whether this transport can reach `address` (address family, bound interface). */
  canReach(address: string): boolean;
  /** Whether a connection with this id is still open (always false on UDP). */
  hasConnection(connectionId: string): boolean;
  send(data: Buffer, destination: Destination): Promise<void>;
  close(): Promise<void>;
}

/** Limits of the transport layer; every one is configurable on the stack. */
export interface TransportLimits {
  /** Largest message accepted or buffered, start line to end of body. */
  readonly maxMessageBytes: number;
  /** Open connections per transport. */
  readonly maxConnections: number;
  /** Open connections from one remote IP address. */
  readonly maxConnectionsPerSource: number;
  /** A connection with no traffic for this long is closed. */
  readonly idleTimeout_ms: number;
  /** A message that has started must be complete within this (slow-loris defence). */
  readonly messageTimeout_ms: number;
  /** Bytes queued for a peer that does not read before its connection is dropped. */
  readonly maxPendingWriteBytes: number;
  readonly connectTimeout_ms: number;
  /** UDP socket buffer size requested from the kernel. */
  readonly udpBufferBytes: number;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  maxMessageBytes: 65_535,
  maxConnections: 10_000,
  maxConnectionsPerSource: 256,
  idleTimeout_ms: 600_000,
  messageTimeout_ms: 10_000,
  maxPendingWriteBytes: 1_048_576,
  connectTimeout_ms: 5_000,
  udpBufferBytes: 4_194_304,
};

/** `::ffff:192.0.2.1` -> `192.0.2.1`: one spelling for an IPv4 peer on a dual-stack socket. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
