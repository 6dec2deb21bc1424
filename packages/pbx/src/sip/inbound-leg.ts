import type { Dialog, SipStack, Target } from '@telekommune/sip';
import type { CalleeLeg } from './callee-leg.js';

/**
 * A B side that came to the call by its own INVITE (a phone that picked up
 * a ringing call): the dialog is ours as UAS, made when we answered it.
 * In-dialog requests are relayed to it like to any callee.
 */
export class InboundLeg implements CalleeLeg {
  constructor(
    private readonly stack: SipStack,
    readonly dialog: Dialog,
    readonly target: Target,
    readonly label: string,
  ) {}

  async bye(): Promise<void> {
    if (this.dialog.state === 'terminated') return;
    const bye = this.dialog.createRequest('BYE');
    this.dialog.terminate();
    await this.stack.request(bye, { target: this.target });
  }
}
