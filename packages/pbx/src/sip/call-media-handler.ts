import type { ServerTransaction, SipRequest } from '@telekommune/sip';
import { allowedMethods } from './b2bua-environment.js';
import { sdpOf, sdpType } from './sdp-body.js';

/**
 * An application (IVR, voicemail, feature code) that answered the caller
 * and holds the caller's media: it answers the caller's re-INVITEs and
 * UPDATEs itself and takes DTMF sent by SIP INFO, until a callee is
 * connected (an IVR transfer), when `detach` tells it to stop sending.
 */
export interface CallMediaHandler {
  /** An offer from the caller (re-INVITE, UPDATE): the SDP to answer with, or undefined for 488. */
  offer(sdp: string): string | undefined;
  /** Our current SDP, for a re-INVITE without an offer. */
  currentSdp(): string | undefined;
  /** A SIP INFO body from the caller; whether it was understood (DTMF). */
  info(contentType: string, body: Buffer): boolean;
  /** A callee is being connected to the caller: stop sending media now. */
  detach(): void;
}

/**
 * Answers the caller's in-dialog request (not BYE) while an application
 * holds the media: offers and INFO go to `handler`, OPTIONS is answered,
 * anything else refused with 405. `contact` is our Contact header field.
 */
export function answerForApplication(
  request: SipRequest,
  transaction: ServerTransaction,
  handler: CallMediaHandler,
  contact: readonly [string, string],
): void {
  switch (request.method) {
    case 'INVITE':
    case 'UPDATE': {
      const offer = sdpOf(request);
      const answer = offer !== undefined ? handler.offer(offer) : handler.currentSdp();
      if (answer === undefined) {
        transaction.reply(488, { reason: 'Unusable SDP' });
        return;
      }
      const se = request.header('session-expires');
      transaction.reply(200, {
        headers: se ? [contact, ['Session-Expires', se]] : [contact],
        body: answer,
        contentType: sdpType,
      });
      return;
    }
    case 'INFO': {
      const understood = handler.info(request.header('content-type') ?? '', request.body);
      transaction.reply(understood || request.body.length === 0 ? 200 : 415);
      return;
    }
    case 'OPTIONS':
      transaction.reply(200, { headers: [['Allow', allowedMethods]] });
      return;
    default:
      transaction.reply(405, { headers: [['Allow', allowedMethods]] });
  }
}
