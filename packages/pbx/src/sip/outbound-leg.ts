import {
  Dialog,
  type NameAddr,
  type SipRequest,
  type SipResponse,
  type SipStack,
  type Target,
} from '@telekommune/sip';
import type { CalleeLeg } from './callee-leg.js';

/**
 * The Reason on a CANCEL to forks another phone answered (RFC 3326 §2):
 * phones then log no missed call.
 */
export const completedElsewhere: readonly [string, string] = [
  'Reason',
  'SIP;cause=200;text="Call completed elsewhere"',
];

export type LegState = 'calling' | 'early' | 'answered' | 'failed' | 'ended';

export interface OutboundLegEvents {
  provisional(leg: OutboundLeg, response: SipResponse): void;
  final(leg: OutboundLeg, response: SipResponse): void;
}

/**
 * One INVITE the B2BUA sends to one device (a fork), from the request to its
 * final response: CANCEL only once a provisional response has come (RFC 3261
 * §9.1), and a 2xx that arrives after we gave up is ACKed and BYE'd.
 */
export class OutboundLeg implements CalleeLeg {
  state: LegState = 'calling';
  dialog: Dialog | undefined;
  finalResponse: SipResponse | undefined;
  private provisionalSeen = false;
  private cancelWanted = false;
  private cancelSent = false;
  private unwanted = false;
  private cancelHeaders: ReadonlyArray<readonly [string, string]> = [];

  constructor(
    private readonly stack: SipStack,
    readonly invite: SipRequest,
    readonly target: Target,
    /** The extension (or number) this leg rings, for the CDR. */
    readonly label: string,
    readonly localContact: NameAddr,
    private readonly events: OutboundLegEvents,
  ) {}

  /** Sends the INVITE; events report its responses. */
  start(): void {
    this.stack
      .request(this.invite, {
        target: this.target,
        onProvisional: (response) => {
          this.provisionalSeen = true;
          if (response.toTag !== undefined && response.status > 100 && !this.dialog) {
            try {
              this.dialog = Dialog.fromUacResponse(this.invite, response, this.localContact);
            } catch {
              // a provisional without Contact makes no early dialog; harmless
            }
          }
          if (this.cancelWanted) {
            this.cancelWanted = false;
            this.sendCancel();
            return;
          }
          if (this.state === 'calling' || this.state === 'early') {
            if (response.status > 100) this.state = 'early';
            this.events.provisional(this, response);
          }
        },
      })
      .then((response) => this.onFinal(response));
  }

  get pending(): boolean {
    return this.state === 'calling' || this.state === 'early';
  }

  /**
   * Gives up on this fork: CANCEL now if allowed, else as soon as a
   * provisional response arrives; `headers` go in the CANCEL (a Reason).
   */
  cancel(headers: ReadonlyArray<readonly [string, string]> = []): void {
    if (!this.pending || this.unwanted) return;
    this.unwanted = true;
    this.cancelHeaders = headers;
    if (this.provisionalSeen) this.sendCancel();
    else this.cancelWanted = true;
  }

  private sendCancel(): void {
    if (this.cancelSent) return;
    this.cancelSent = true;
    // The CANCEL's own answer does not matter: the INVITE's final response ends the fork.
    this.stack.cancel(this.invite, this.cancelHeaders).catch(() => {});
  }

  private onFinal(response: SipResponse): void {
    this.finalResponse = response;
    if (response.status >= 200 && response.status < 300) {
      if (this.dialog && this.dialog.id.remoteTag === response.toTag) this.dialog.confirm(response);
      else this.dialog = Dialog.fromUacResponse(this.invite, response, this.localContact);
      if (this.unwanted) {
        // Answered after we cancelled it (the CANCEL crossed the 200): end it at once.
        this.state = 'ended';
        void this.acknowledge().then(() => this.bye());
        return;
      }
      this.state = 'answered';
    } else {
      this.state = 'failed';
    }
    this.events.final(this, response);
  }

  /** ACKs the 2xx (§13.2.2.4), with the answer when the INVITE carried no offer. */
  async acknowledge(body?: string): Promise<void> {
    const dialog = this.dialog;
    if (!dialog) return;
    const ack = dialog.createAck(this.invite.cseq.seq, body ? { body, contentType: 'application/sdp' } : {});
    try {
      await this.stack.sendAck(ack, { target: this.target });
    } catch {
      // the device is gone; its BYE or our session timer ends the call
    }
  }

  /** Ends the confirmed dialog with BYE. */
  async bye(headers: ReadonlyArray<readonly [string, string]> = []): Promise<void> {
    const dialog = this.dialog;
    if (!dialog || dialog.state === 'terminated') return;
    const bye = dialog.createRequest('BYE', { headers });
    dialog.terminate();
    this.state = 'ended';
    await this.stack.request(bye, { target: this.target });
  }
}
