import { serializeMessage } from '../message/serializer.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import { buildNon2xxAck } from './build-ack.js';
import { sixtyFourT1 } from './timers.js';
import { Transaction, type TransactionEnvironment } from './transaction.js';
import { INVITE_CLIENT_MOVES, type InviteClientState } from './transaction-state.js';
import type { ClientTransactionUser } from './transaction-user.js';
import type { Wire } from './wire.js';

/**
 * INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) with RFC 6026 §8.4:
 * a 2xx moves it to Accepted, where further 2xx (retransmissions, forks) go
 * to the TU until Timer M; the TU sends the ACK for a 2xx itself.
 */
export class InviteClientTransaction extends Transaction<InviteClientState> {
  readonly isInvite = true;
  readonly side = 'client';
  #ack: Buffer | undefined;
  #timerA_ms = 0;

  constructor(
    key: string,
    readonly request: SipRequest,
    private readonly bytes: Buffer,
    wire: Wire,
    env: TransactionEnvironment,
    private readonly user: ClientTransactionUser,
  ) {
    super(key, 'calling', INVITE_CLIENT_MOVES, wire, env);
  }

  start(): void {
    this.wire.send(this.bytes);
    if (!this.wire.reliable) {
      this.#timerA_ms = this.env.config.t1_ms;
      this.startTimer('A', this.#timerA_ms, () => this.#timerA());
    }
    this.startTimer('B', sixtyFourT1(this.env.config), () => this.#timeout());
  }

  #timerA(): void {
    if (this.state !== 'calling') return;
    this.wire.send(this.bytes);
    this.#timerA_ms *= 2;
    this.startTimer('A', this.#timerA_ms, () => this.#timerA());
  }

  #timeout(): void {
    if (this.state !== 'calling') return;
    this.transition('terminated');
    this.user.timeout(this);
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          if (this.state === 'calling') this.transition('proceeding');
          this.user.receiveResponse(response, this);
        } else if (status < 300) {
          this.transition('accepted');
          this.startTimer('M', sixtyFourT1(this.env.config), () => this.transition('terminated'));
          this.user.receiveResponse(response, this);
        } else {
          this.transition('completed');
          this.#ack = serializeMessage(buildNon2xxAck(this.request, response));
          this.wire.send(this.#ack);
          this.startTimer('D', this.wire.reliable ? 0 : this.env.config.timerD_ms, () =>
            this.transition('terminated'),
          );
          this.user.receiveResponse(response, this);
        }
        return;
      case 'accepted':
        if (status >= 200 && status < 300) this.user.receiveResponse(response, this);
        else this.log('response dropped in accepted', { status });
        return;
      case 'completed':
        if (status >= 300 && this.#ack) this.wire.send(this.#ack);
        return;
      case 'terminated':
        return;
    }
  }

  transportError(error: Error): void {
    if (this.terminated) return;
    const before = this.state;
    this.transition('terminated');
    if (before === 'calling' || before === 'proceeding') this.user.transportError(this, error);
  }
}
