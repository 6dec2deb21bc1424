import type { Dialog, ServerTransaction, SipRequest, SipStack, Target } from '@telekommune/sip';
import { sdpOf, sdpType } from './sdp-body.js';

/** A party of a B2BUA call: the caller (A) or the callee (B). */
export type Side = 'a' | 'b';

/** A dialog of the call and where its party is reached. */
export interface DialogRoute {
  readonly dialog: Dialog;
  readonly target: Target;
}

/** What the relay needs of its call. */
export interface RelayedCall {
  readonly stack: SipStack;
  /** The dialog with the party other than `side`, once there is one. */
  other(side: Side): DialogRoute | undefined;
  /** The SDP to hand the other party for what `from` sent (through the media relay when anchored). */
  sdpFor(from: Side, sdp: string): string | undefined;
  /** Our Contact header field, for 2xx answers. */
  contact(): readonly [string, string];
  /** Whether the call has ended meanwhile. */
  ended(): boolean;
  /** A session change went through: the session timer starts over (RFC 4028). */
  refreshed(): void;
  /** Party `side` changed the session with `offer` (re-INVITE or UPDATE), and the other party accepted it. */
  changed?(side: Side, offer: string): void;
}

/** The party other than `side`. */
export const otherSide = (side: Side): Side => (side === 'a' ? 'b' : 'a');

/**
 * Passes in-dialog requests from one party of a call to the other and the
 * answers back: re-INVITE and UPDATE (hold, resume, codec change, session
 * refresh) with their SDP through the media relay, late offers whose answer
 * comes in an ACK, glare (491), and INFO, MESSAGE, NOTIFY and the like.
 */
export class InDialogRelay {
  /** A re-INVITE of ours is outstanding (a second one is glare). */
  private reinvitePending = false;
  /** A late-offer re-INVITE's ACK waiting for the answer in the other party's ACK. */
  private deferredAck: { dialog: Dialog; seq: number; target: Target; from: Side } | undefined;

  constructor(private readonly call: RelayedCall) {}

  /** A re-INVITE or UPDATE (hold, resume, codec change, session refresh): to the other side and back. */
  async passSessionChange(request: SipRequest, transaction: ServerTransaction, side: Side): Promise<void> {
    const to = this.call.other(side);
    if (!to) {
      transaction.reply(481);
      return;
    }
    if (this.reinvitePending && request.method === 'INVITE') {
      transaction.reply(491); // glare (RFC 3261 §14.2)
      return;
    }
    let body: string | undefined;
    const offer = sdpOf(request);
    if (offer !== undefined) {
      body = this.call.sdpFor(side, offer);
      if (body === undefined) {
        transaction.reply(488, { reason: 'Unusable SDP' });
        return;
      }
    }
    const headers: [string, string][] = [];
    const se = request.header('session-expires');
    if (se) headers.push(['Session-Expires', se]);
    const outgoing = to.dialog.createRequest(request.method, {
      headers,
      ...(body !== undefined ? { body, contentType: sdpType } : {}),
    });
    if (request.method === 'INVITE') this.reinvitePending = true;
    const response = await this.call.stack.request(outgoing, { target: to.target });
    if (request.method === 'INVITE') this.reinvitePending = false;
    if (this.call.ended()) {
      if (response.status < 300 && request.method === 'INVITE') {
        await this.call.stack.sendAck(to.dialog.createAck(outgoing.cseq.seq), { target: to.target });
      }
      return;
    }
    if (response.status >= 200 && response.status < 300) {
      to.dialog.receiveResponse(outgoing, response);
      const answered = sdpOf(response);
      const answer = answered !== undefined ? this.call.sdpFor(otherSide(side), answered) : undefined;
      const replyHeaders: [string, string][] = [[...this.call.contact()]];
      const rse = response.header('session-expires');
      if (rse) replyHeaders.push(['Session-Expires', rse]);
      if (request.method === 'INVITE') {
        if (body === undefined && answer !== undefined) {
          // Late offer in a re-INVITE: the answer comes in the caller's ACK and goes in ours.
          this.deferredAck = {
            dialog: to.dialog,
            seq: outgoing.cseq.seq,
            target: to.target,
            from: side,
          };
        } else {
          await this.call.stack.sendAck(to.dialog.createAck(outgoing.cseq.seq), { target: to.target });
        }
      }
      transaction.reply(response.status, {
        headers: replyHeaders,
        ...(answer !== undefined ? { body: answer, contentType: sdpType } : {}),
      });
      this.call.refreshed();
      if (offer !== undefined) this.call.changed?.(side, offer);
      return;
    }
    transaction.reply(response.status >= 300 ? response.status : 500, { reason: response.reason });
  }

  /** INFO (DTMF), MESSAGE, NOTIFY and the like: relayed, and the answer relayed back. */
  async passThrough(request: SipRequest, transaction: ServerTransaction, side: Side): Promise<void> {
    const to = this.call.other(side);
    if (!to) {
      transaction.reply(481);
      return;
    }
    const headers: [string, string][] = [];
    for (const name of ['event', 'subscription-state', 'info-package']) {
      const value = request.header(name);
      if (value !== undefined) headers.push([name, value]);
    }
    const contentType = request.header('content-type');
    const outgoing = to.dialog.createRequest(request.method, {
      headers,
      ...(request.body.length > 0 ? { body: request.body, ...(contentType ? { contentType } : {}) } : {}),
    });
    const response = await this.call.stack.request(outgoing, { target: to.target });
    transaction.reply(response.status, { reason: response.reason });
  }

  /** An ACK from `side` that completes a late-offer re-INVITE: our ACK to the other side carries its answer. */
  receiveAck(ack: SipRequest, side: Side): void {
    const deferred = this.deferredAck;
    if (!deferred || deferred.from !== side) return;
    this.deferredAck = undefined;
    const answer = sdpOf(ack);
    const sdp = answer !== undefined ? this.call.sdpFor(deferred.from, answer) : undefined;
    const out = deferred.dialog.createAck(
      deferred.seq,
      sdp !== undefined ? { body: sdp, contentType: sdpType } : {},
    );
    void this.call.stack.sendAck(out, { target: deferred.target }).catch(() => {});
  }

  /**
   * Sends `party` a re-INVITE with `sdp` (direct media after an IVR transfer,
   * a transferee joined to its transfer target) and ACKs its answer, which
   * goes through the media relay so the relay learns where `party` receives.
   * Resolves with whether the party accepted it.
   */
  async reoffer(party: Side, sdp: string): Promise<boolean> {
    const route = this.call.other(otherSide(party));
    if (!route || route.dialog.state === 'terminated') return false;
    const { dialog, target } = route;
    const reinvite = dialog.createRequest('INVITE', { body: sdp, contentType: sdpType });
    this.reinvitePending = true;
    const response = await this.call.stack.request(reinvite, { target });
    this.reinvitePending = false;
    if (response.status < 200 || response.status >= 300) return false;
    dialog.receiveResponse(reinvite, response);
    const answer = sdpOf(response);
    if (answer !== undefined) this.call.sdpFor(party, answer);
    await this.call.stack.sendAck(dialog.createAck(reinvite.cseq.seq), { target }).catch(() => {});
    return true;
  }
}
