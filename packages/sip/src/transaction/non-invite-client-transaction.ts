import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import { sixtyFourT1 } from './timers.js';
import { Transaction, type TransactionEnvironment } from './transaction.js';
import { NON_INVITE_CLIENT_MOVES, type NonInviteClientState } from './transaction-state.js';
import type { ClientTransactionUser } from './transaction-user.js';
import type { Wire } from './wire.js';

/** Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6). */
export class NonInviteClientTransaction extends Transaction<NonInviteClientState> {
  readonly isInvite = false;
  readonly side = 'client';
  #timerE_ms = 0;
  #timerF_deadline = 0;

  constructor(
    key: string,
    readonly request: SipRequest,
    private readonly bytes: Buffer,
    wire: Wire,
    env: TransactionEnvironment,
    private readonly user: ClientTransactionUser,
  ) {
    super(key, 'trying', NON_INVITE_CLIENT_MOVES, wire, env);
  }

  start(): void {
    this.wire.send(this.bytes);
    if (!this.wire.reliable) {
      this.#timerE_ms = this.env.config.t1_ms;
      this.startTimer('E', this.#timerE_ms, () => this.#timerE());
    }
    const timerF = sixtyFourT1(this.env.config);
    this.#timerF_deadline = this.env.timers.now() + timerF;
    this.startTimer('F', timerF, () => this.#timeout());
  }

  #timerE(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.wire.send(this.bytes);
    // Trying: double up to T2; Proceeding: every T2.
    this.#timerE_ms =
      this.state === 'trying' ? Math.min(2 * this.#timerE_ms, this.env.config.t2_ms) : this.env.config.t2_ms;
    this.startTimer('E', this.#timerE_ms, () => this.#timerE());
  }

  #timeout(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    this.transition('terminated');
    this.user.timeout(this);
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return; // completed absorbs retransmissions
    if (response.status < 200) {
      if (this.state === 'trying') {
        this.transition('proceeding');
        // The transition stopped E and F; both keep running in Proceeding.
        if (!this.wire.reliable) this.startTimer('E', this.env.config.t2_ms, () => this.#timerE());
        this.startTimer('F', Math.max(0, this.#timerF_deadline - this.env.timers.now()), () =>
          this.#timeout(),
        );
      }
      this.user.receiveResponse(response, this);
      return;
    }
    this.transition('completed');
    this.startTimer('K', this.wire.reliable ? 0 : this.env.config.t4_ms, () => this.transition('terminated'));
    this.user.receiveResponse(response, this);
  }

  transportError(error: Error): void {
    if (this.terminated) return;
    const before = this.state;
    this.transition('terminated');
    if (before !== 'completed') this.user.transportError(this, error);
  }
}
