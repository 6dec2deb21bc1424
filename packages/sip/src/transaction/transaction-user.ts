import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import type { Flow } from '../transport/transport.js';
import type { ClientTransaction } from './client-transaction.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';

/** The TU above a client transaction: gets its responses and failures (RFC 3261 §17.1). */
export interface ClientTransactionUser {
  /** Provisional and final responses, in order; 2xx retransmissions too for INVITE (RFC 6026 Accepted). */
  receiveResponse(response: SipResponse, transaction: ClientTransaction): void;
  /** Timer B or F fired: treat as 408 (§8.1.3.1). */
  timeout(transaction: ClientTransaction): void;
  /** The request could not be sent: treat as 503 (§8.1.3.1). */
  transportError(transaction: ClientTransaction, error: Error): void;
}

/** Why a server transaction ended, for the TU. */
export type ServerEnd = 'completed' | 'no-ack' | 'transport-error';

/**
 * The transaction user above the server side (the UAS core): new requests
 * with their transaction, and what matches no transaction (RFC 3261 §17.2).
 */
export interface TransactionUser {
  /** A new request (not ACK, not CANCEL); answer it with `transaction.respond`. */
  receiveRequest(request: SipRequest, transaction: ServerTransaction): void;
  /** An ACK that matches no server transaction: the ACK for a 2xx (§17.2.3, §13.3.1.4). */
  receiveAck(ack: SipRequest, flow: Flow): void;
  /** A CANCEL for a pending INVITE; the layer has already answered the CANCEL with 200 (§9.2). */
  receiveCancel(cancel: SipRequest, invite: InviteServerTransaction): void;
  /** A response matching no client transaction: 2xx retransmissions and forked 2xx (§13.2.2.4). */
  receiveStrayResponse(response: SipResponse, flow: Flow): void;
  /** A server transaction ended; `no-ack` is Timer H: the UAS never got the ACK for its non-2xx. */
  serverTransactionEnded?(transaction: ServerTransaction, end: ServerEnd): void;
}
