import { SipStackError } from '../errors.js';
import { createCancel } from '../message/create-cancel.js';
import { createResponse } from '../message/create-response.js';
import { generateBranch } from '../message/ids.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../message/parser.js';
import { serializeMessage } from '../message/serializer.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import { type SipUri, sipUri } from '../message/uri.js';
import { DEFAULT_REQUEST_POLICY, type RequestPolicy } from '../message/validate-request.js';
import { formatVia } from '../message/via.js';
import type { ClientTransaction } from '../transaction/client-transaction.js';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import {
  DEFAULT_TIMER_CONFIG,
  nodeTimers,
  sixtyFourT1,
  type TimerConfig,
  type TimerHandle,
  type Timers,
} from '../transaction/timers.js';
import {
  DEFAULT_TRANSACTION_LIMITS,
  TransactionLayer,
  type TransactionLimits,
} from '../transaction/transaction-layer.js';
import type { ClientTransactionUser, ServerEnd, TransactionUser } from '../transaction/transaction-user.js';
import {
  DEFAULT_TRANSPORT_LIMITS,
  type Flow,
  type TransportLimits,
  type TransportProtocol,
} from '../transport/transport.js';
import {
  type InboundAdmission,
  type InboundStats,
  type ListenConfig,
  type Listener,
  Network,
  type SipTap,
} from './network.js';
import { type Dns, resolveUri, systemDns, type Target } from './resolver.js';
import { type SipLogger, silentLogger } from './sip-logger.js';

/** What the PBX (or any TU) implements above the stack. Only `onRequest` is required. */
export interface SipStackHandlers {
  /**
   * A new request, in or out of a dialog (never ACK or CANCEL): answer with
   * `transaction.reply(status)` or `transaction.respond(response)`. If it
   * throws or rejects, the request gets 500 (400 naming the fault when it was
   * a malformed header it read). `transaction.flow` is where it came from.
   */
  onRequest(request: SipRequest, transaction: ServerTransaction): void | Promise<void>;
  /** A CANCEL for a pending INVITE (already answered 200). Default: answer the INVITE 487. */
  onCancel?(cancel: SipRequest, invite: InviteServerTransaction): void;
  /** The ACK for a 2xx this stack sent (its retransmissions have stopped). */
  onAck?(ack: SipRequest, flow: Flow): void;
  /** No ACK came for a 2xx within 64*T1: end the session with BYE (§13.3.1.4). */
  onAckTimeout?(invite: SipRequest, response: SipResponse): void;
  /** A 2xx matching nothing (e.g. from another fork); ACK and BYE it if unwanted. */
  onStrayResponse?(response: SipResponse, flow: Flow): void;
  /** A stream connection closed: registrations bound to that flow are gone. */
  onConnectionClosed?(flow: Flow): void;
  onTransactionEnded?(transaction: ServerTransaction, end: ServerEnd): void;
}

export interface SipStackLimits {
  readonly parse?: Partial<ParseLimits>;
  readonly transport?: Partial<TransportLimits>;
  readonly transaction?: Partial<TransactionLimits>;
  /** ACKs remembered to answer retransmitted 2xx (default 10,000). */
  readonly rememberedAcks?: number;
}

export interface SipStackOptions {
  readonly listen: readonly ListenConfig[];
  readonly handlers: SipStackHandlers;
  readonly timers?: Timers;
  readonly timerConfig?: Partial<TimerConfig>;
  readonly limits?: SipStackLimits;
  readonly policy?: Partial<RequestPolicy>;
  readonly logger?: SipLogger;
  readonly dns?: Dns;
  /** Answer INVITEs with 100 Trying at once (default true). */
  readonly autoTrying?: boolean;
  /** A sent INVITE still without a final answer after this is CANCELled (default 180 s; 0 = never). */
  readonly inviteTimeout_ms?: number;
  /**
   * Which inbound traffic to take at all: asked with the flow alone before
   * anything is parsed, then with each parsed request; false drops it
   * unanswered, before any transaction (banned sources, scanners).
   */
  readonly admit?: InboundAdmission;
}

export interface SendOptions {
  /** Send here instead of resolving the next hop (e.g. a registered contact's flow). */
  readonly target?: Target;
  /** Each provisional response, in order. */
  readonly onProvisional?: (response: SipResponse) => void;
  readonly inviteTimeout_ms?: number;
}

export interface SipStack {
  /** The bound listeners (port 0 resolved), with the host and port they advertise. */
  readonly listeners: readonly Listener[];
  /**
   * Sends a request in a client transaction and resolves with its final
   * response. Failures are responses too (RFC 3261 §8.1.3.1): a timeout is a
   * local 408, a transport failure a local 503. The stack adds the top Via.
   */
  request(request: SipRequest, options?: SendOptions): Promise<SipResponse>;
  /** Sends the ACK for a 2xx (no transaction, §13.2.2.4) and re-sends it for that 2xx's retransmissions. */
  sendAck(ack: SipRequest, options?: { target?: Target }): Promise<void>;
  /**
   * CANCELs a pending INVITE sent with `request` (§9.1), with `headers`
   * added (a Reason, RFC 3326); resolves with the CANCEL's response.
   */
  cancel(invite: SipRequest, headers?: ReadonlyArray<readonly [string, string]>): Promise<SipResponse>;
  /** Sends a message with no transaction at all. */
  sendStateless(message: SipRequest | SipResponse, target: Target): Promise<void>;
  /** Where a request goes next: first Route, else the Request-URI, resolved (RFC 3263 subset). */
  resolveNextHop(request: SipRequest): Promise<Target[]>;
  /** A URI for Contact headers that reaches this stack over `protocol`. */
  contactUri(protocol?: TransportProtocol, user?: string): SipUri;
  /** Live transactions, for metrics. */
  readonly transactionCounts: { readonly server: number; readonly client: number };
  /** Inbound message counts since start, for metrics. */
  readonly inbound: Readonly<InboundStats>;
  /** Sees every message in and out while set (SIP traces); undefined turns it off. */
  tap: SipTap | undefined;
  close(): Promise<void>;
}

interface PendingAck {
  readonly invite: SipRequest;
  readonly response: SipResponse;
  readonly transaction: InviteServerTransaction;
  interval_ms: number;
  timer: TimerHandle;
  readonly deadline: number;
}

function dialogTransactionKey(callId: string, seq: number, toTag: string | undefined): string {
  return `${callId}|${seq}|${toTag ?? ''}`;
}

function localResponse(request: SipRequest, status: number, reason: string): SipResponse {
  return createResponse(request, status, { reason });
}

/**
 * Creates a SIP stack: listeners, transport layer, transaction layer and the
 * UAS/UAC core duties the PBX should not repeat (2xx retransmission until
 * ACK, ACK for retransmitted 2xx, CANCEL, INVITE timeout).
 */
export async function createSipStack(options: SipStackOptions): Promise<SipStack> {
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? nodeTimers;
  const config: TimerConfig = { ...DEFAULT_TIMER_CONFIG, ...options.timerConfig };
  const handlers = options.handlers;
  const dns = options.dns ?? systemDns;
  const inviteTimeout = options.inviteTimeout_ms ?? 180_000;
  const maxAcks = options.limits?.rememberedAcks ?? 10_000;

  const network = new Network({
    parseLimits: { ...DEFAULT_PARSE_LIMITS, ...options.limits?.parse },
    transportLimits: { ...DEFAULT_TRANSPORT_LIMITS, ...options.limits?.transport },
    policy: { ...DEFAULT_REQUEST_POLICY, ...options.policy },
    logger,
    ...(options.admit ? { admit: options.admit } : {}),
  });

  /** UAS: 2xx responses waiting for their ACK, by Call-ID|CSeq|To tag. */
  const pendingAcks = new Map<string, PendingAck>();
  /** UAC: ACKs sent for 2xx, to re-send when the 2xx is retransmitted. */
  const sentAcks = new Map<string, { bytes: Buffer; target: Target; expires: number }>();
  const inviteTargets = new WeakMap<SipRequest, Target>();

  const retransmit2xx = (key: string) => {
    const pending = pendingAcks.get(key);
    if (!pending) return;
    if (timers.now() >= pending.deadline || pending.transaction.state !== 'accepted') {
      pendingAcks.delete(key);
      logger.warn?.({ callId: pending.invite.callId }, 'no ACK for 2xx');
      handlers.onAckTimeout?.(pending.invite, pending.response);
      return;
    }
    pending.transaction.respond(pending.response);
    pending.interval_ms = Math.min(2 * pending.interval_ms, config.t2_ms);
    const wait = Math.min(pending.interval_ms, Math.max(0, pending.deadline - timers.now()));
    pending.timer = timers.setTimeout(() => retransmit2xx(key), wait);
  };

  const resendAck = (response: SipResponse, flow: Flow): void => {
    const key = dialogTransactionKey(response.callId, response.cseq.seq, response.toTag);
    const ack = sentAcks.get(key);
    if (ack && ack.expires > timers.now()) {
      network.sendTo(ack.bytes, ack.target).catch(() => {});
      return;
    }
    handlers.onStrayResponse?.(response, flow);
  };

  const tu: TransactionUser = {
    receiveRequest(request, transaction) {
      const result = handlers.onRequest(request, transaction);
      if (result && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).catch((error: unknown) => {
          logger.error?.({ error, method: request.method, callId: request.callId }, 'request handler failed');
          if (transaction.state === 'trying' || transaction.state === 'proceeding') {
            try {
              transaction.reply(500);
            } catch {
              // answered meanwhile
            }
          }
        });
      }
    },
    receiveAck(ack, flow) {
      const key = dialogTransactionKey(ack.callId, ack.cseq.seq, ack.toTag);
      const pending = pendingAcks.get(key);
      if (pending) {
        timers.clearTimeout(pending.timer);
        pendingAcks.delete(key);
      }
      handlers.onAck?.(ack, flow);
    },
    receiveCancel(cancel, invite) {
      if (handlers.onCancel) handlers.onCancel(cancel, invite);
      else if (invite.state === 'proceeding') invite.reply(487);
    },
    receiveStrayResponse: resendAck,
    serverTransactionEnded(transaction, end) {
      handlers.onTransactionEnded?.(transaction, end);
    },
  };

  const transactions = new TransactionLayer({
    tu,
    network,
    timers,
    config,
    limits: { ...DEFAULT_TRANSACTION_LIMITS, ...options.limits?.transaction },
    autoTrying: options.autoTrying ?? true,
    log: (event, detail) => logger.debug?.(detail, event),
    inviteAccepted(transaction, response) {
      const key = dialogTransactionKey(response.callId, response.cseq.seq, response.toTag);
      const pending: PendingAck = {
        invite: transaction.request,
        response,
        transaction,
        interval_ms: config.t1_ms,
        timer: undefined,
        deadline: timers.now() + sixtyFourT1(config),
      };
      pending.timer = timers.setTimeout(() => retransmit2xx(key), config.t1_ms);
      pendingAcks.set(key, pending);
    },
  });

  network.events = {
    request: (request, flow) => transactions.receiveRequest(request, flow),
    response: (response, flow) => transactions.receiveResponse(response, flow),
    reject: (request, response, flow) => transactions.rejectRequest(request, flow, response),
    connectionClosed: (flow) => handlers.onConnectionClosed?.(flow),
  };

  try {
    for (const listen of options.listen) await network.listen(listen);
  } catch (error) {
    await network.close();
    throw error;
  }

  async function resolveNextHop(request: SipRequest): Promise<Target[]> {
    const route = request.routes[0];
    const uri = route && route.uri.kind === 'sip' && route.uri.params.has('lr') ? route.uri : request.uri;
    return resolveUri(uri, dns);
  }

  async function targetFor(request: SipRequest, given: Target | undefined): Promise<Target | SipResponse> {
    if (given) return given;
    try {
      const targets = await resolveNextHop(request);
      const first = targets[0];
      return first ?? localResponse(request, 503, 'No Route');
    } catch (error) {
      logger.debug?.({ error, uri: request.uriText }, 'next hop not resolved');
      return localResponse(request, 503, 'Next Hop Not Resolved');
    }
  }

  function prepare(request: SipRequest, target: Target): Buffer | SipResponse {
    const listener = network.pick(target.protocol, target.address, target.connectionId);
    if (!listener) return localResponse(request, 503, `No ${target.protocol.toUpperCase()} Transport`);
    if (!(request.method === 'CANCEL' && request.has('via'))) {
      request.removeHeader('via');
      request.prependHeader('Via', formatVia(network.viaFor(listener, generateBranch())));
    }
    if (!request.has('max-forwards')) request.prependHeader('Max-Forwards', '70');
    return serializeMessage(request);
  }

  function rememberAck(ack: SipRequest, bytes: Buffer, target: Target): void {
    const now = timers.now();
    if (sentAcks.size >= maxAcks) {
      for (const [key, entry] of sentAcks) {
        if (entry.expires <= now || sentAcks.size >= maxAcks) sentAcks.delete(key);
        else break;
      }
    }
    sentAcks.set(dialogTransactionKey(ack.callId, ack.cseq.seq, ack.toTag), {
      bytes,
      target,
      expires: now + sixtyFourT1(config),
    });
  }

  const stack: SipStack = {
    get listeners() {
      return network.listeners;
    },

    async request(request, sendOptions = {}) {
      const target = await targetFor(request, sendOptions.target);
      if (!('protocol' in target)) return target;
      const prepared = prepare(request, target);
      if (!Buffer.isBuffer(prepared)) return prepared;
      if (request.method === 'INVITE') inviteTargets.set(request, target);
      return new Promise<SipResponse>((resolve) => {
        let settled = false;
        let inviteTimer: TimerHandle | undefined;
        const settle = (response: SipResponse) => {
          if (settled) return;
          settled = true;
          if (inviteTimer !== undefined) timers.clearTimeout(inviteTimer);
          resolve(response);
        };
        const user: ClientTransactionUser = {
          receiveResponse(response, _tx) {
            if (response.status < 200) {
              if (!settled) sendOptions.onProvisional?.(response);
              return;
            }
            if (!settled) settle(response);
            else if (response.status < 300) resendAck(response, { ...flowOf(target) });
          },
          timeout: () => settle(localResponse(request, 408, 'Request Timeout')),
          transportError: (_tx, error) => {
            logger.debug?.({ error, target }, 'request not sent');
            settle(localResponse(request, 503, 'Transport Error'));
          },
        };
        let tx: ClientTransaction;
        try {
          tx = transactions.sendRequest(request, prepared, network.requestWire(target), user);
        } catch (error) {
          if (error instanceof SipStackError && error.code === 'limit-exceeded') {
            settle(localResponse(request, 503, 'Too Many Transactions'));
            return;
          }
          throw error;
        }
        const limit = sendOptions.inviteTimeout_ms ?? inviteTimeout;
        if (request.method === 'INVITE' && limit > 0) {
          inviteTimer = timers.setTimeout(() => {
            inviteTimer = undefined;
            if (!settled && tx.state === 'proceeding') void stack.cancel(request);
          }, limit);
        }
      });
    },

    async sendAck(ack, ackOptions = {}) {
      const target = await targetFor(ack, ackOptions.target);
      if (!('protocol' in target))
        throw new SipStackError('no-route', `cannot route the ACK: ${target.reason}`);
      const prepared = prepare(ack, target);
      if (!Buffer.isBuffer(prepared)) throw new SipStackError('transport-unavailable', prepared.reason);
      rememberAck(ack, prepared, target);
      await network.sendTo(prepared, target);
    },

    async cancel(invite, headers = []) {
      const target = inviteTargets.get(invite);
      const cancel = createCancel(invite, headers);
      return stack.request(cancel, target ? { target } : {});
    },

    async sendStateless(message, target) {
      if (message.isRequest) {
        const prepared = prepare(message as SipRequest, target);
        if (!Buffer.isBuffer(prepared)) throw new SipStackError('transport-unavailable', prepared.reason);
        await network.sendTo(prepared, target);
        return;
      }
      await network.sendTo(serializeMessage(message), target);
    },

    resolveNextHop,

    contactUri(protocol = 'udp', user) {
      const listener = network.listeners.find((l) => l.transport.protocol === protocol);
      if (!listener) throw new SipStackError('transport-unavailable', `no ${protocol} listener`);
      return sipUri({
        user,
        host: listener.host,
        port: listener.port,
        params: protocol === 'udp' ? [] : [['transport', protocol]],
      });
    },

    get transactionCounts() {
      return { server: transactions.serverTransactionCount, client: transactions.clientTransactionCount };
    },

    get inbound() {
      return network.stats;
    },

    get tap() {
      return network.tap;
    },
    set tap(tap: SipTap | undefined) {
      network.tap = tap;
    },

    async close() {
      for (const pending of pendingAcks.values()) timers.clearTimeout(pending.timer);
      pendingAcks.clear();
      sentAcks.clear();
      transactions.close();
      await network.close();
    },
  };
  return stack;
}

function flowOf(target: Target): Flow {
  return {
    protocol: target.protocol,
    remoteAddress: target.address,
    remotePort: target.port,
    localAddress: '',
    localPort: 0,
    connectionId: target.connectionId,
  };
}
