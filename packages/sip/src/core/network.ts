import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SipStackError } from '../errors.js';
import type { ParseLimits } from '../message/parser.js';
import { serializeMessage } from '../message/serializer.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import type { RequestPolicy } from '../message/validate-request.js';
import { via as makeVia, stampReceived, type Via } from '../message/via.js';
import type { TransactionNetwork, WireFactory } from '../transaction/transaction-layer.js';
import type { Wire } from '../transaction/wire.js';
import { StreamTransport, type TlsConfig } from '../transport/stream-transport.js';
import type {
  Flow,
  Transport,
  TransportLimits,
  TransportProtocol,
  TransportSink,
} from '../transport/transport.js';
import { UdpTransport } from '../transport/udp-transport.js';
import { WsTransport } from '../transport/ws-transport.js';
import { screenInbound } from './inbound-screen.js';
import type { Target } from './resolver.js';
import { isUnicast, responseTarget } from './response-route.js';
import type { SipLogger } from './sip-logger.js';

/** One listener. `advertise` is the host and port put in Via and Contact when the bind address is not reachable as is (0.0.0.0, NAT). */
export type ListenConfig =
  | { protocol: 'udp' | 'tcp'; address: string; port: number; advertise?: Advertised }
  | { protocol: 'tls'; address: string; port: number; tls: TlsConfig; advertise?: Advertised }
  | { protocol: 'ws'; address: string; port: number; path?: string; advertise?: Advertised }
  | { protocol: 'wss'; address: string; port: number; path?: string; tls: TlsConfig; advertise?: Advertised };

export interface Advertised {
  readonly host: string;
  readonly port?: number;
}

export interface Listener {
  readonly transport: Transport;
  /** Host and port this listener puts in Via and Contact. */
  readonly host: string;
  readonly port: number;
}

/** What the network hands up: checked requests and responses, and refusals to send. */
export interface NetworkEvents {
  request(request: SipRequest, flow: Flow): void;
  response(response: SipResponse, flow: Flow): void;
  reject(request: SipRequest, response: SipResponse, flow: Flow): void;
  connectionClosed(flow: Flow): void;
}

function firstExternalAddress(ipv6: boolean): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (!entry.internal && (entry.family === 'IPv6') === ipv6) return entry.address;
    }
  }
  return ipv6 ? '::1' : '127.0.0.1';
}

/** Methods counted by name in `InboundStats`; any other method counts as `other`. */
const COUNTED_METHODS = new Set([
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
  'INFO',
  'UPDATE',
  'PRACK',
  'MESSAGE',
  'PUBLISH',
]);

/** What came in since start, for metrics: counts only, updated as messages arrive. */
export interface InboundStats {
  /** Requests passed up, by method (`other` for methods outside the usual set). */
  readonly requests: Map<string, number>;
  /** Responses passed up. */
  responses: number;
  /** Requests refused by the screen (400, 505, 416, ...). */
  rejected: number;
  /** Messages dropped unanswered as malformed (RFC 3261 §18.3, bad responses, bad ACKs). */
  malformed: number;
  /** Sources or requests refused by admission (banned, rate-limited, scanners). */
  notAdmitted: number;
}

/** One message on the wire, as a trace sees it (SIP traces on demand). */
export interface TappedMessage {
  /** Wall-clock milliseconds. */
  readonly at_ms: number;
  readonly direction: 'in' | 'out';
  readonly protocol: TransportProtocol;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The message's bytes (not to be modified). */
  readonly bytes: Buffer;
}

/** Sees every admitted inbound message and every outbound one while set; must not throw or block. */
export type SipTap = (message: TappedMessage) => void;

/** Whether to take inbound traffic: the flow alone before parsing, then each parsed request. */
export type InboundAdmission = (flow: Flow, request?: SipRequest) => boolean;

/**
 * The transport layer of RFC 3261 §18 above the transports: listeners, the
 * inbound screen (parse, validate, stamp received/rport), transport choice
 * for requests, response routing (§18.2.2, RFC 3581) and wires for the
 * transaction layer.
 */
export class Network implements TransactionNetwork, TransportSink {
  readonly #listeners: Listener[] = [];
  #events: NetworkEvents | undefined;
  /** Set while a trace runs; undefined costs nothing. */
  tap: SipTap | undefined;
  readonly stats: InboundStats = {
    requests: new Map(),
    responses: 0,
    rejected: 0,
    malformed: 0,
    notAdmitted: 0,
  };

  constructor(
    private readonly options: {
      readonly parseLimits: ParseLimits;
      readonly transportLimits: TransportLimits;
      readonly policy: RequestPolicy;
      readonly logger: SipLogger;
      readonly admit?: InboundAdmission;
    },
  ) {}

  set events(events: NetworkEvents) {
    this.#events = events;
  }

  get listeners(): readonly Listener[] {
    return this.#listeners;
  }

  async listen(config: ListenConfig): Promise<Listener> {
    const limits = this.options.transportLimits;
    let transport: Transport;
    switch (config.protocol) {
      case 'udp':
        transport = await UdpTransport.listen({ address: config.address, port: config.port, limits }, this);
        break;
      case 'tcp':
        transport = await StreamTransport.listen(
          { protocol: 'tcp', address: config.address, port: config.port, limits },
          this,
        );
        break;
      case 'tls':
        transport = await StreamTransport.listen(
          { protocol: 'tls', address: config.address, port: config.port, tls: config.tls, limits },
          this,
        );
        break;
      case 'ws':
        transport = await WsTransport.listen(
          {
            protocol: 'ws',
            address: config.address,
            port: config.port,
            limits,
            ...(config.path ? { path: config.path } : {}),
          },
          this,
        );
        break;
      case 'wss':
        transport = await WsTransport.listen(
          {
            protocol: 'wss',
            address: config.address,
            port: config.port,
            tls: config.tls,
            limits,
            ...(config.path ? { path: config.path } : {}),
          },
          this,
        );
        break;
    }
    const wildcard = transport.localAddress === '0.0.0.0' || transport.localAddress === '::';
    const host =
      config.advertise?.host ??
      (wildcard ? firstExternalAddress(isIPv6(transport.localAddress)) : transport.localAddress);
    const listener: Listener = { transport, host, port: config.advertise?.port ?? transport.localPort };
    this.#listeners.push(listener);
    return listener;
  }

  /** The listener that sends to `address` over `protocol`, preferring one that holds `connectionId`. */
  pick(protocol: TransportProtocol, address: string, connectionId?: string): Listener | undefined {
    let fallback: Listener | undefined;
    for (const listener of this.#listeners) {
      const t = listener.transport;
      if (t.protocol !== protocol) continue;
      if (connectionId !== undefined && t.hasConnection(connectionId)) return listener;
      if (!fallback && t.canReach(address)) fallback = listener;
    }
    return fallback;
  }

  /** The top Via for a request leaving through `listener` (RFC 3261 §18.1.1, RFC 3581 rport). */
  viaFor(listener: Listener, branch: string): Via {
    return makeVia({
      transport: listener.transport.protocol,
      host: listener.host,
      port: listener.port,
      branch,
    });
  }

  // ---- TransportSink -------------------------------------------------------

  receive(data: Buffer, flow: Flow, datagram: boolean): void {
    const events = this.#events;
    if (!events) return;
    const admit = this.options.admit;
    if (admit && !admit(flow)) {
      this.stats.notAdmitted++;
      this.options.logger.debug?.({ flow }, 'source not admitted: dropped');
      return;
    }
    this.tap?.({
      at_ms: Date.now(),
      direction: 'in',
      protocol: flow.protocol,
      localAddress: flow.localAddress,
      localPort: flow.localPort,
      remoteAddress: flow.remoteAddress,
      remotePort: flow.remotePort,
      bytes: data,
    });
    let screened: ReturnType<typeof screenInbound>;
    try {
      screened = screenInbound(data, {
        datagram,
        limits: this.options.parseLimits,
        policy: this.options.policy,
      });
    } catch (error) {
      // The screen is total over bytes; reaching here is a bug, never a crash.
      this.options.logger.error?.({ error, flow }, 'inbound screen failed');
      return;
    }
    if (screened.kind === 'request' || screened.kind === 'reject') screened.request.flow = flow;
    else if (screened.kind === 'response') screened.response.flow = flow;
    try {
      switch (screened.kind) {
        case 'request': {
          const request = screened.request;
          if (admit && !admit(flow, request)) {
            this.stats.notAdmitted++;
            this.options.logger.debug?.({ flow, method: request.method }, 'request not admitted: dropped');
            return;
          }
          const top = request.via;
          const stamped = stampReceived(top, flow.remoteAddress, flow.remotePort);
          if (stamped !== top) request.replaceTopVia(stamped);
          const method = COUNTED_METHODS.has(request.method) ? request.method : 'other';
          this.stats.requests.set(method, (this.stats.requests.get(method) ?? 0) + 1);
          events.request(request, flow);
          return;
        }
        case 'response':
          this.stats.responses++;
          events.response(screened.response, flow);
          return;
        case 'reject': {
          try {
            const top = screened.request.via;
            const stamped = stampReceived(top, flow.remoteAddress, flow.remotePort);
            if (stamped !== top) {
              screened.request.replaceTopVia(stamped);
              screened.response.replaceTopVia(stamped);
            }
          } catch {
            // malformed Via: the answer goes straight back to the source
          }
          this.options.logger.debug?.(
            { status: screened.response.status, reason: screened.response.reason, flow },
            'request refused',
          );
          this.stats.rejected++;
          events.reject(screened.request, screened.response, flow);
          return;
        }
        case 'drop':
          this.stats.malformed++;
          this.options.logger.debug?.({ reason: screened.reason, flow }, 'message dropped');
          return;
      }
    } catch (error) {
      this.options.logger.error?.({ error, flow }, 'inbound message handling failed');
    }
  }

  connectionClosed(flow: Flow): void {
    this.#events?.connectionClosed(flow);
  }

  // ---- sending ----------------------------------------------------------

  /** Sends bytes to a target over a matching listener. */
  sendTo(bytes: Buffer, target: Target): Promise<void> {
    const listener = this.pick(target.protocol, target.address, target.connectionId);
    if (!listener) {
      return Promise.reject(
        new SipStackError(
          'transport-unavailable',
          `no ${target.protocol} listener reaches ${target.address}`,
        ),
      );
    }
    this.tapOut(bytes, listener, target);
    return listener.transport.send(bytes, target);
  }

  private tapOut(bytes: Buffer, listener: Listener, target: Target): void {
    this.tap?.({
      at_ms: Date.now(),
      direction: 'out',
      protocol: listener.transport.protocol,
      localAddress: listener.transport.localAddress,
      localPort: listener.transport.localPort,
      remoteAddress: target.address,
      remotePort: target.port,
      bytes,
    });
  }

  /** A wire for a client transaction to `target`. */
  requestWire(target: Target): WireFactory {
    const listener = this.pick(target.protocol, target.address, target.connectionId);
    return (failed) => ({
      reliable: listener?.transport.reliable ?? false,
      send: (bytes) => {
        if (!listener) {
          queueMicrotask(() =>
            failed(new SipStackError('transport-unavailable', `no ${target.protocol} listener`)),
          );
          return;
        }
        this.tapOut(bytes, listener, target);
        listener.transport.send(bytes, target).catch(failed);
      },
    });
  }

  responseWire(request: SipRequest, flow: Flow): WireFactory {
    const target = responseTarget(safeVia(request), flow);
    const reliable = flow.connectionId !== undefined;
    return (failed) => new ResponseWire(this, target, reliable, failed);
  }

  /**
   * A wire for re-sending a final response from a completed-transaction
   * record: one small object, failures only logged, holding no transaction.
   */
  recordWire(request: SipRequest, flow: Flow): Wire {
    return new RecordWire(this, responseTarget(safeVia(request), flow), flow.connectionId !== undefined);
  }

  sendStateless(response: SipResponse, flow: Flow): void {
    const target = responseTarget(safeVia(response), flow);
    if (!isUnicast(target.address)) return;
    this.sendTo(serializeMessage(response), target).catch((error: unknown) =>
      this.options.logger.debug?.({ error, target }, 'stateless response not sent'),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#listeners.map((l) => l.transport.close()));
    this.#listeners.length = 0;
  }
}

/** The wire of a server transaction: sends its responses, reports a failed send to it. */
class ResponseWire implements Wire {
  constructor(
    private readonly network: Network,
    private readonly target: Target,
    readonly reliable: boolean,
    private readonly failed: (error: Error) => void,
  ) {}

  send(bytes: Buffer): void {
    if (!isUnicast(this.target.address)) {
      queueMicrotask(() =>
        this.failed(new SipStackError('no-route', `refusing to answer to ${this.target.address}`)),
      );
      return;
    }
    this.network.sendTo(bytes, this.target).catch(this.failed);
  }
}

class RecordWire implements Wire {
  constructor(
    private readonly network: Network,
    private readonly target: Target,
    readonly reliable: boolean,
  ) {}

  send(bytes: Buffer): void {
    if (!isUnicast(this.target.address)) return;
    this.network.sendTo(bytes, this.target).catch(() => {});
  }
}

function safeVia(message: SipRequest | SipResponse): Via | undefined {
  try {
    return message.via;
  } catch {
    return undefined;
  }
}
