import { SipStackError } from '../errors.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import type { Flow } from '../transport/transport.js';
import { ServerTransactionBase } from './server-transaction-base.js';
import { sixtyFourT1 } from './timers.js';
import type { TransactionEnvironment } from './transaction.js';
import { INVITE_SERVER_MOVES, type InviteServerState } from './transaction-state.js';
import type { ServerEnd } from './transaction-user.js';
import type { Wire } from './wire.js';

/**
 * INVITE server transaction, RFC 3261 §17.2.1 (Figure 7) with RFC 6026 §7.1:
 * a 2xx moves it to Accepted, where retransmitted INVITEs are absorbed and
 * further 2xx from the TU (its own retransmissions, §13.3.1.4) pass through
 * until Timer L.
 */
export class InviteServerTransaction extends ServerTransactionBase<InviteServerState> {
  readonly isInvite = true;
  #provisional: Buffer | undefined;
  #final: Buffer | undefined;
  #timerG_ms = 0;
  #cancelled = false;

  constructor(
    key: string,
    request: SipRequest,
    flow: Flow,
    wire: Wire,
    env: TransactionEnvironment,
    ended: (end: ServerEnd) => void,
    /** Told of the first 2xx, so the UAS core can retransmit it until the ACK (§13.3.1.4). */
    private readonly accepted?: (response: SipResponse) => void,
  ) {
    super(key, 'proceeding', INVITE_SERVER_MOVES, request, flow, wire, env, ended);
  }

  /** True once a CANCEL for this INVITE arrived while it was pending. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Called by the layer on a matching CANCEL; true when the INVITE was still pending. */
  markCancelled(): boolean {
    if (this.state !== 'proceeding') return false;
    this.#cancelled = true;
    return true;
  }

  respond(response: SipResponse): void {
    const status = response.status;
    if (this.state === 'accepted' && status >= 200 && status < 300) {
      this.sendResponse(response);
      return;
    }
    if (this.state !== 'proceeding') {
      throw new SipStackError('invalid-state', `INVITE transaction in ${this.state} cannot send ${status}`);
    }
    if (status < 200) {
      this.#provisional = this.sendResponse(response);
    } else if (status < 300) {
      this.sendResponse(response);
      this.transition('accepted');
      this.startTimer('L', sixtyFourT1(this.env.config), () => this.#end('completed'));
      this.accepted?.(response);
    } else {
      this.#final = this.sendResponse(response);
      this.transition('completed');
      if (!this.wire.reliable) {
        this.#timerG_ms = this.env.config.t1_ms;
        this.startTimer('G', this.#timerG_ms, () => this.#timerG());
      }
      this.startTimer('H', sixtyFourT1(this.env.config), () => this.#end('no-ack'));
    }
  }

  #timerG(): void {
    if (this.state !== 'completed' || !this.#final) return;
    this.wire.send(this.#final);
    this.#timerG_ms = Math.min(2 * this.#timerG_ms, this.env.config.t2_ms);
    this.startTimer('G', this.#timerG_ms, () => this.#timerG());
  }

  /** A request matching this transaction: a retransmitted INVITE or the ACK for a non-2xx. */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      if (this.state !== 'completed') return; // an ACK in Accepted belongs to the TU; none arrive here
      this.transition('confirmed');
      this.startTimer('I', this.wire.reliable ? 0 : this.env.config.t4_ms, () => this.#end('completed'));
      return;
    }
    if (this.state === 'proceeding' && this.#provisional) this.wire.send(this.#provisional);
    else if (this.state === 'completed' && this.#final) this.wire.send(this.#final);
    // Accepted and Confirmed absorb retransmissions.
  }

  transportError(): void {
    if (this.terminated) return;
    this.#end('transport-error');
  }

  #end(end: ServerEnd): void {
    if (this.terminated) return;
    this.transition('terminated');
    this.ended(end);
  }
}
