import { reasonPhrase, type SipStack } from '@telekommune/sip';
import type { DialogRoute } from './in-dialog-relay.js';

/** The sipfrag status line of a NOTIFY (RFC 3515 §2.4.5), e.g. `SIP/2.0 200 OK`. */
export function sipfrag(status: number, reason?: string): string {
  return `SIP/2.0 ${status} ${reason ?? reasonPhrase(status)}\r\n`;
}

/**
 * The implicit subscription a REFER creates (RFC 3515 §2.4.4): NOTIFYs with
 * `Event: refer` and a message/sipfrag body telling the transferor how the
 * transfer goes, in order, on the transferor's dialog. The last one
 * terminates the subscription. Nothing is sent once the transferor's dialog
 * has ended, or when it asked for no subscription (RFC 4488 `Refer-Sub: false`).
 */
export class ReferNotifier {
  private queue: Promise<void> = Promise.resolve();
  private done = false;

  constructor(
    private readonly stack: SipStack,
    /** The transferor's dialog, while it lasts. */
    private readonly route: () => DialogRoute | undefined,
    private readonly expires_s: number,
    private readonly enabled = true,
  ) {}

  /** A provisional outcome (`100 Trying`, `180 Ringing`); the subscription stays active. */
  progress(status: number, reason?: string): Promise<void> {
    return this.send(`active;expires=${this.expires_s}`, sipfrag(status, reason));
  }

  /** The final outcome of the transfer; the subscription ends. */
  final(status: number, reason?: string): Promise<void> {
    if (this.done) return this.queue;
    this.done = true;
    return this.send('terminated;reason=noresource', sipfrag(status, reason));
  }

  private send(state: string, body: string): Promise<void> {
    if (!this.enabled) return this.queue;
    this.queue = this.queue.then(async () => {
      const route = this.route();
      if (!route || route.dialog.state === 'terminated') return;
      const notify = route.dialog.createRequest('NOTIFY', {
        headers: [
          ['Event', 'refer'],
          ['Subscription-State', state],
        ],
        body,
        contentType: 'message/sipfrag;version=2.0',
      });
      await this.stack.request(notify, { target: route.target }).catch(() => undefined);
    });
    return this.queue;
  }
}
