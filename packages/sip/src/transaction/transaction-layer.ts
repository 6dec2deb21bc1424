import { SipParseError, SipStackError } from '../errors.js';
import { createResponse } from '../message/create-response.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import type { Flow } from '../transport/transport.js';
import type { ClientTransaction } from './client-transaction.js';
import { CompletedCache } from './completed-cache.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';
import { DEFAULT_TIMER_CONFIG, nodeTimers, sixtyFourT1, type TimerConfig, type Timers } from './timers.js';
import type { Transaction, TransactionEnvironment } from './transaction.js';
import { clientKey, serverKey } from './transaction-key.js';
import type { ClientTransactionUser, TransactionUser } from './transaction-user.js';
import type { Wire } from './wire.js';

/** Makes a wire; `failed` is how the wire reports an asynchronous send error. */
export type WireFactory = (failed: (error: Error) => void) => Wire;

/** What the layer needs from the network below it. */
export interface TransactionNetwork {
  /** The wire a server transaction answers on (RFC 3261 §18.2.2 response routing). */
  responseWire(request: SipRequest, flow: Flow): WireFactory;
  /** Sends a response without a transaction (overload 503). */
  sendStateless(response: SipResponse, flow: Flow): void;
  /** A lightweight wire for completed-transaction records (no closures over the transaction). */
  recordWire?(request: SipRequest, flow: Flow): Wire;
}

export interface TransactionLimits {
  /** Live server transactions; new requests over it get a stateless 503. */
  readonly maxServerTransactions: number;
  /** Live client transactions; sending over it fails with `limit-exceeded`. */
  readonly maxClientTransactions: number;
}

export const DEFAULT_TRANSACTION_LIMITS: TransactionLimits = {
  maxServerTransactions: 200_000,
  maxClientTransactions: 100_000,
};

export interface TransactionLayerOptions {
  readonly tu: TransactionUser;
  readonly network: TransactionNetwork;
  readonly timers?: Timers;
  readonly config?: TimerConfig;
  readonly limits?: TransactionLimits;
  /** Send 100 Trying as soon as an INVITE arrives (§17.2.1 asks for one within 200 ms). Default true. */
  readonly autoTrying?: boolean;
  /**
   * A request the TU has not answered finally within this gets an answer from
   * the layer, so a forgetful TU cannot pin transactions in memory: non-INVITE
   * 500 after 64*T1 (the client has given up by then; RFC 4320 forbids 408),
   * INVITE 408 after `inviteAnswer_ms` (default 300 s).
   */
  readonly inviteAnswer_ms?: number;
  /** Told when an INVITE server transaction sends its first 2xx (the UAS core retransmits it, §13.3.1.4). */
  readonly inviteAccepted?: (transaction: InviteServerTransaction, response: SipResponse) => void;
  readonly log?: (event: string, detail: Record<string, unknown>) => void;
}

/**
 * The transaction layer of RFC 3261 §17: matches requests and responses to
 * transactions, creates server transactions for new requests, absorbs
 * retransmissions, pairs CANCEL with its INVITE (§9.2), and passes to the TU
 * what matches nothing (ACK for 2xx, stray 2xx); other strays are dropped.
 */
export class TransactionLayer {
  readonly #server = new Map<string, ServerTransaction>();
  readonly #client = new Map<string, ClientTransaction>();
  readonly #tu: TransactionUser;
  readonly #network: TransactionNetwork;
  readonly #limits: TransactionLimits;
  readonly #autoTrying: boolean;
  readonly #inviteAccepted: TransactionLayerOptions['inviteAccepted'];
  readonly #log: ((event: string, detail: Record<string, unknown>) => void) | undefined;
  readonly #serverEnv: TransactionEnvironment;
  readonly #timers: Timers;
  readonly #config: TimerConfig;
  readonly #inviteAnswer_ms: number;
  /** Answer guards of server transactions the TU has not answered yet. */
  readonly #guards = new Map<ServerTransaction, unknown>();
  readonly #completed: CompletedCache;
  readonly #clientEnv: TransactionEnvironment;

  constructor(options: TransactionLayerOptions) {
    this.#tu = options.tu;
    this.#network = options.network;
    this.#limits = options.limits ?? DEFAULT_TRANSACTION_LIMITS;
    this.#autoTrying = options.autoTrying ?? true;
    this.#inviteAccepted = options.inviteAccepted;
    this.#log = options.log;
    const base = {
      timers: options.timers ?? nodeTimers,
      config: options.config ?? DEFAULT_TIMER_CONFIG,
      ...(options.log ? { log: options.log } : {}),
    };
    this.#timers = base.timers;
    this.#config = base.config;
    this.#inviteAnswer_ms = options.inviteAnswer_ms ?? 300_000;
    this.#completed = new CompletedCache(base.timers);
    this.#serverEnv = {
      ...base,
      terminated: (tx) => {
        this.#forget(this.#server, tx);
        this.#unguard(tx as ServerTransaction);
      },
      finalSent: (tx) => this.#unguard(tx as ServerTransaction),
      retainCompleted: (tx, bytes, timerJ_ms) => {
        // A fresh wire whose failures are only logged: the record must not hold the transaction.
        const { request, flow } = tx as ServerTransaction;
        const wire = this.#network.recordWire
          ? this.#network.recordWire(request, flow)
          : this.#network.responseWire(request, flow)(() => {});
        this.#completed.add(tx.key, bytes, wire, timerJ_ms);
      },
    };
    this.#clientEnv = { ...base, terminated: (tx) => this.#forget(this.#client, tx) };
  }

  /** Live server transactions, including non-INVITE ones in Completed (kept as compact records). */
  get serverTransactionCount(): number {
    return this.#server.size + this.#completed.size;
  }

  get clientTransactionCount(): number {
    return this.#client.size;
  }

  #forget(map: Map<string, Transaction<string>>, tx: Transaction<string>): void {
    if (map.get(tx.key) === tx) map.delete(tx.key);
  }

  /** A request that passed `validateRequest`. */
  receiveRequest(request: SipRequest, flow: Flow): void {
    const key = serverKey(request);
    const existing = this.#server.get(key);
    if (existing) {
      existing.receiveRequest(request);
      return;
    }
    if (this.#completed.retransmit(key)) return;
    if (request.method === 'ACK') {
      this.#tu.receiveAck(request, flow);
      return;
    }
    if (this.serverTransactionCount >= this.#limits.maxServerTransactions) {
      this.#log?.('server transaction limit reached: 503', { limit: this.#limits.maxServerTransactions });
      const busy = createResponse(request, 503, { headers: [['Retry-After', '5']] });
      this.#network.sendStateless(busy, flow);
      return;
    }
    const tx = this.#createServer(key, request, flow);
    if (request.method === 'CANCEL') {
      this.#cancel(request, tx);
      return;
    }
    if (tx instanceof InviteServerTransaction && this.#autoTrying) tx.reply(100);
    try {
      this.#tu.receiveRequest(request, tx);
    } catch (error) {
      this.#failed(tx, error);
    }
    // Most requests are answered at once; only the others need a guard timer.
    if (tx.state === 'trying' || tx.state === 'proceeding') this.#guard(tx);
  }

  #createServer(key: string, request: SipRequest, flow: Flow): ServerTransaction {
    let tx: ServerTransaction | undefined;
    const wire = this.#network.responseWire(
      request,
      flow,
    )((error) => {
      this.#log?.('response send failed', { key, error: error.message });
      tx?.transportError();
    });
    // Inline arrows: a named one would be renamed (tsx keeps names) on every request.
    const accepted = this.#inviteAccepted;
    tx =
      request.method === 'INVITE'
        ? new InviteServerTransaction(
            key,
            request,
            flow,
            wire,
            this.#serverEnv,
            (end) => this.#tu.serverTransactionEnded?.(tx!, end),
            (response) => accepted?.(tx as InviteServerTransaction, response),
          )
        : new NonInviteServerTransaction(key, request, flow, wire, this.#serverEnv, (end) =>
            this.#tu.serverTransactionEnded?.(tx!, end),
          );
    this.#server.set(key, tx);
    return tx;
  }

  #guard(tx: ServerTransaction): void {
    const delay = tx.isInvite ? this.#inviteAnswer_ms : sixtyFourT1(this.#config);
    const handle = this.#timers.setTimeout(() => {
      this.#guards.delete(tx);
      if (tx.state !== 'trying' && tx.state !== 'proceeding') return;
      this.#log?.('transaction user never answered', { key: tx.key, method: tx.request.method });
      tx.reply(tx.isInvite ? 408 : 500, {
        reason: tx.isInvite ? 'Request Timeout' : 'No Answer From Application',
      });
    }, delay);
    this.#guards.set(tx, handle);
  }

  #unguard(tx: ServerTransaction): void {
    const handle = this.#guards.get(tx);
    if (handle === undefined) return;
    this.#timers.clearTimeout(handle);
    this.#guards.delete(tx);
  }

  /** §9.2: 481 when no INVITE matches, else 200, and the TU hears of it if the INVITE is pending. */
  #cancel(cancel: SipRequest, tx: ServerTransaction): void {
    const invite = this.#server.get(serverKey(cancel, 'INVITE'));
    if (!(invite instanceof InviteServerTransaction)) {
      tx.reply(481);
      return;
    }
    tx.reply(200);
    if (invite.markCancelled()) {
      try {
        this.#tu.receiveCancel(cancel, invite);
      } catch (error) {
        this.#failed(invite, error);
      }
    }
  }

  /** A TU that throws gets its request answered: 400 for a malformed header it read, else 500. */
  #failed(tx: ServerTransaction, error: unknown): void {
    this.#log?.('transaction user threw', {
      key: tx.key,
      error: error instanceof Error ? error.message : String(error),
    });
    if (tx.state !== 'trying' && tx.state !== 'proceeding') return;
    try {
      if (error instanceof SipParseError) tx.reply(error.status, { reason: error.reason });
      else tx.reply(500);
    } catch {
      // already answered
    }
  }

  /**
   * A request refused before the TU (malformed, unsupported): answered within
   * a server transaction, so retransmissions are absorbed and an INVITE's
   * rejection is retransmitted until its ACK.
   */
  rejectRequest(request: SipRequest, flow: Flow, response: SipResponse): void {
    let key: string;
    try {
      key = serverKey(request);
    } catch {
      this.#network.sendStateless(response, flow);
      return;
    }
    const existing = this.#server.get(key);
    if (existing) {
      existing.receiveRequest(request);
      return;
    }
    if (this.#completed.retransmit(key)) return;
    if (request.method === 'ACK') return;
    if (this.serverTransactionCount >= this.#limits.maxServerTransactions) {
      this.#network.sendStateless(response, flow);
      return;
    }
    this.#createServer(key, request, flow).respond(response);
  }

  /** A response that passed `validateResponse`. */
  receiveResponse(response: SipResponse, flow: Flow): void {
    const tx = this.#client.get(clientKey(response));
    if (tx) {
      tx.receiveResponse(response);
      return;
    }
    if (response.cseq.method === 'INVITE' && response.status >= 200 && response.status < 300) {
      this.#tu.receiveStrayResponse(response, flow);
      return;
    }
    this.#log?.('stray response dropped', { status: response.status, callId: response.callId });
  }

  /**
   * Starts a client transaction for `request`, whose top Via carries a fresh
   * RFC 3261 branch, over the wire `wire` makes.
   */
  sendRequest(
    request: SipRequest,
    bytes: Buffer,
    wire: WireFactory,
    user: ClientTransactionUser,
  ): ClientTransaction {
    if (request.method === 'ACK')
      throw new SipStackError('invalid-argument', 'ACK is sent without a transaction');
    if (this.#client.size >= this.#limits.maxClientTransactions) {
      throw new SipStackError('limit-exceeded', 'too many client transactions');
    }
    const key = clientKey(request);
    if (this.#client.has(key)) throw new SipStackError('invalid-argument', `branch already in use: ${key}`);
    let tx: ClientTransaction | undefined;
    const boundWire = wire((error) => tx?.transportError(error));
    tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, request, bytes, boundWire, this.#clientEnv, user)
        : new NonInviteClientTransaction(key, request, bytes, boundWire, this.#clientEnv, user);
    this.#client.set(key, tx);
    tx.start();
    return tx;
  }

  /** The live INVITE server transaction a request (e.g. CANCEL) refers to, if any. */
  findInviteServerTransaction(request: SipRequest): InviteServerTransaction | undefined {
    const tx = this.#server.get(serverKey(request, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  /** Stops every transaction's timers and forgets them all. */
  close(): void {
    for (const handle of this.#guards.values()) this.#timers.clearTimeout(handle);
    this.#guards.clear();
    this.#completed.clear();
    for (const tx of this.#server.values()) tx.abort();
    for (const tx of this.#client.values()) tx.abort();
    this.#server.clear();
    this.#client.clear();
  }
}
