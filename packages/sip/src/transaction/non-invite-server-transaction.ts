import { SipStackError } from '../errors.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import type { Flow } from '../transport/transport.js';
import { ServerTransactionBase } from './server-transaction-base.js';
import { sixtyFourT1 } from './timers.js';
import type { TransactionEnvironment } from './transaction.js';
import { NON_INVITE_SERVER_MOVES, type NonInviteServerState } from './transaction-state.js';
import type { ServerEnd } from './transaction-user.js';
import type { Wire } from './wire.js';

/** Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8). */
export class NonInviteServerTransaction extends ServerTransactionBase<NonInviteServerState> {
  readonly isInvite = false;
  #last: Buffer | undefined;

  constructor(
    key: string,
    request: SipRequest,
    flow: Flow,
    wire: Wire,
    env: TransactionEnvironment,
    ended: (end: ServerEnd) => void,
  ) {
    super(key, 'trying', NON_INVITE_SERVER_MOVES, request, flow, wire, env, ended);
  }

  respond(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') {
      throw new SipStackError('invalid-state', `transaction in ${this.state} cannot send ${response.status}`);
    }
    this.#last = this.sendResponse(response);
    if (response.status < 200) {
      if (this.state === 'trying') this.transition('proceeding');
      return;
    }
    this.transition('completed');
    const timerJ = this.wire.reliable ? 0 : sixtyFourT1(this.env.config);
    if (timerJ > 0 && this.env.retainCompleted) {
      // The layer absorbs retransmissions until Timer J from a compact record.
      this.env.retainCompleted(this, this.#last, timerJ);
      this.#end('completed');
      return;
    }
    this.startTimer('J', timerJ, () => this.#end('completed'));
  }

  /** A retransmission of the request: absorbed in Trying, answered with the last response after. */
  receiveRequest(_request: SipRequest): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.#last) this.wire.send(this.#last);
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
