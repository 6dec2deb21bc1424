import { randomUUID } from 'node:crypto';
import type { RelayCall, RtpRelay } from '@telekommune/media';
import {
  createRequest,
  Dialog,
  formatUri,
  generateCallId,
  type InviteServerTransaction,
  type NameAddr,
  nameAddr,
  parseUri,
  type ServerTransaction,
  type SipRequest,
  type SipResponse,
  type SipStack,
  sipUri,
  type Target,
  type Uri,
} from '@telekommune/sip';
import type { CallRouter } from '../calls/call-router.js';
import type { ApplicationContext, CallLegs, RingOutcome, RingTarget } from '../calls/ring-outcome.js';
import type { Cdr, Disposition, HangupSide } from '../cdr/cdr.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import type { Destination } from '../routing/destination.js';
import type { CallRegistry } from './call-registry.js';
import { bindingTarget } from './flows.js';
import { OutboundLeg, type OutboundLegEvents } from './outbound-leg.js';
import { SessionTimer } from './session-timer.js';

/** What a call needs from the process around it. */
export interface B2buaEnvironment {
  readonly stack: SipStack;
  readonly router: CallRouter;
  readonly registry: CallRegistry;
  /** Media anchoring; undefined lets media flow directly between the phones. */
  readonly relay: RtpRelay | undefined;
  readonly writeCdr: (cdr: Cdr) => void;
  readonly log: (level: 'debug' | 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
  /** Voicemail, IVR, conference: answered by the media engine (later capabilities). */
  readonly application?: (
    call: B2buaCall,
    destination: string,
    signal: AbortSignal,
    context: ApplicationContext,
  ) => Promise<RingOutcome>;
  /** Calls to outside numbers, through the carriers. */
  readonly outside?: (
    call: B2buaCall,
    number: string,
    signal: AbortSignal,
    path: readonly string[],
  ) => Promise<RingOutcome>;
  readonly now: () => number;
  readonly limits: B2buaLimits;
}

export interface B2buaLimits {
  /** Devices rung at once for one call (all forks of all targets). */
  readonly maxForks: number;
  /** Session-Expires we grant (RFC 4028); the caller's smaller wish is kept. */
  readonly sessionExpires_s: number;
  /** Min-SE: a smaller Session-Expires is refused with 422. */
  readonly minSessionExpires_s: number;
}

export const defaultB2buaLimits: B2buaLimits = {
  maxForks: 32,
  sessionExpires_s: 1800,
  minSessionExpires_s: 90,
};

/** The methods the B2BUA passes across in a dialog, and advertises in Allow. */
export const allowedMethods =
  'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, MESSAGE, NOTIFY, REGISTER, SUBSCRIBE';

type Side = 'a' | 'b';

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

/** One INVITE to send for a call: to a registered device or to a carrier. */
export interface ForkSpec {
  /** Who this reaches, for the CDR's answeredBy: an extension number or an E.164 number. */
  readonly label: string;
  readonly requestUri: string | Uri;
  /** Where to send it (a device's flow or contact, a carrier's address). */
  readonly target: Target;
  readonly to: Uri;
  /** The caller identity to present; the caller's extension in the tenant's domain by default. */
  readonly from?: Uri;
  readonly fromDisplayName?: string | undefined;
  /** More header fields, e.g. P-Asserted-Identity or Privacy for a carrier. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Sees every response of this fork (carrier failover needs the status and when the first came). */
  readonly onResponse?: (response: SipResponse) => void;
}

interface CallerIdentity {
  readonly extension: string;
  readonly displayName: string | undefined;
}

const sdpType = 'application/sdp';

function hasSdp(message: SipRequest | SipResponse): boolean {
  if (message.body.length === 0) return false;
  const type = message.contentType;
  return type !== undefined && `${type.type}/${type.subtype}`.toLowerCase() === sdpType;
}

/** The SIP status the caller gets for an outcome without an answer. */
export function statusFor(outcome: RingOutcome): {
  status: number;
  reason?: string;
  disposition: Disposition;
} {
  switch (outcome.kind) {
    case 'answered':
      return { status: 200, disposition: 'answered' };
    case 'busy':
      return { status: 486, disposition: 'busy' };
    case 'no-answer':
      return { status: 480, reason: 'No Answer', disposition: 'no-answer' };
    case 'declined':
      return { status: 603, disposition: 'declined' };
    case 'unavailable':
      return {
        status: 480,
        ...(outcome.reason ? { reason: capitalise(outcome.reason) } : {}),
        disposition: 'unavailable',
      };
    case 'not-found':
      return { status: 404, disposition: 'not-found' };
    case 'cancelled':
      return { status: 487, disposition: 'cancelled' };
    case 'failed':
      return {
        status: outcome.status >= 400 && outcome.status < 700 ? outcome.status : 500,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        disposition: 'failed',
      };
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * One call through the back-to-back user agent: the caller's leg (A, where
 * we are the UAS) and the callee's leg (B, where we are the UAC), two
 * dialogs joined by this object (pbx.md §3). Forks ring every device of a
 * callee; the first 2xx wins and the others are cancelled. SDP crosses
 * through the RTP relay, so media is anchored; re-INVITE, UPDATE, INFO and
 * BYE pass from either side to the other.
 */
export class B2buaCall implements CallLegs {
  readonly id = randomUUID();
  readonly startedAt_ms: number;
  answeredAt_ms: number | undefined;
  endedAt_ms: number | undefined;
  answeredBy: string | undefined;
  hangupSide: HangupSide | undefined;
  state: 'routing' | 'answered' | 'ended' = 'routing';
  path: readonly string[] = [];

  /** The caller's dialog, once we answered. */
  aDialog: Dialog | undefined;
  /** The connected callee leg. */
  bLeg: OutboundLeg | undefined;
  relayCall: RelayCall | undefined;

  readonly abort = new AbortController();
  /** Aborted when the call has ended, however it ended (applications stop on it). */
  private readonly endController = new AbortController();
  /** The application holding the caller's media, while there is one. */
  private mediaHandler: CallMediaHandler | undefined;
  private ringing = false;
  private forks: OutboundLeg[] = [];
  private finalStatus = 0;
  private pendingAckForB: OutboundLeg | undefined;
  private reinvitePending = false;
  private ringingSent = false;
  /** A late-offer re-INVITE's ACK waiting for the answer in the other party's ACK. */
  private deferredAck: { dialog: Dialog; seq: number; target: Target; from: Side } | undefined;
  private sessionTimer: SessionTimer | undefined;
  private readonly aContact: NameAddr;
  /** The offer for callee legs: the caller's SDP pointed at the relay, or as it came. */
  private offerForB: string | undefined;

  constructor(
    private readonly env: B2buaEnvironment,
    readonly tenant: TenantConfig,
    readonly caller: CallerIdentity,
    readonly dialled: string,
    readonly invite: SipRequest,
    readonly transaction: InviteServerTransaction,
  ) {
    this.startedAt_ms = env.now();
    this.aContact = nameAddr({ uri: this.contactUriFor(transaction.flow.protocol) });
  }

  private contactUriFor(protocol: Target['protocol']) {
    try {
      return this.env.stack.contactUri(protocol);
    } catch {
      return this.env.stack.contactUri('udp');
    }
  }

  /** Routes the call to `destination` and answers the caller with how it ended. */
  async run(destination: Destination): Promise<void> {
    if (this.env.relay) {
      try {
        this.relayCall = await this.env.relay.createCall(this.id);
        this.relayCall.on('timeout', () => {
          this.env.log('info', { call: this.id }, 'no media for the relay timeout; ending the call');
          this.hangup('system');
        });
      } catch (error) {
        this.env.log('warn', { call: this.id, error: String(error) }, 'no relay ports; refusing the call');
        this.finishUnanswered({ kind: 'failed', status: 503, reason: 'Media Resources Exhausted' });
        return;
      }
    }
    if (hasSdp(this.invite)) {
      const offer = this.invite.body.toString('utf8');
      if (this.relayCall) {
        const rewritten = this.relayCall.rewrite('a', offer);
        if (!rewritten.ok) {
          this.finishUnanswered({
            kind: 'failed',
            status: 488,
            reason: `Unusable SDP (${rewritten.reason})`,
          });
          return;
        }
        this.offerForB = rewritten.sdp;
      } else {
        this.offerForB = offer;
      }
    }
    const routed = await this.env.router.route(this.tenant, destination, this, this.abort.signal);
    this.path = routed.path;
    if (routed.outcome.kind !== 'answered') this.finishUnanswered(routed.outcome);
  }

  // ---- applications (IVR, voicemail, feature codes) -------------------------

  /** Aborts once the call has ended. */
  get ended(): AbortSignal {
    return this.endController.signal;
  }

  /** The caller's SDP offer as it came in the INVITE (undefined for a late offer). */
  get callerOffer(): string | undefined {
    return hasSdp(this.invite) ? this.invite.body.toString('utf8') : undefined;
  }

  /**
   * Answers the caller with an application's SDP (already pointed at the
   * relay when media is anchored). Returns false when the caller can no
   * longer be answered (gone, or answered before).
   */
  answerWithApplication(sdp: string, label: string, handler: CallMediaHandler): boolean {
    if (this.state !== 'routing' || this.transaction.state !== 'proceeding') return false;
    this.answerCaller(sdp);
    this.state = 'answered';
    this.answeredAt_ms = this.env.now();
    this.answeredBy = label;
    this.mediaHandler = handler;
    return true;
  }

  /** Hands the caller's media back to an application after a transfer attempt that nobody answered. */
  attachMedia(handler: CallMediaHandler | undefined): void {
    this.mediaHandler = handler;
  }

  /**
   * The SDP offered to callees from now on (an IVR transfer offers only the
   * codec the caller already uses with the application).
   */
  setCalleeOffer(sdp: string): void {
    this.offerForB = sdp;
  }

  // ---- CallLegs -----------------------------------------------------------

  async ring(targets: readonly RingTarget[], timeout_ms: number, signal: AbortSignal): Promise<RingOutcome> {
    const forks: ForkSpec[] = [];
    for (const target of targets) {
      for (const binding of target.bindings) {
        let contactUri: ReturnType<typeof parseUri> | undefined;
        try {
          contactUri = parseUri(binding.contact);
        } catch {
          contactUri = undefined;
        }
        forks.push({
          label: target.extension,
          requestUri: binding.contact,
          target: bindingTarget(binding, contactUri),
          to: sipUri({ user: target.extension, host: this.tenant.domain }),
        });
      }
    }
    if (forks.length === 0) return { kind: 'unavailable', reason: 'not registered' };
    return this.attempt(forks, timeout_ms, signal);
  }

  /**
   * Sends one INVITE per fork at once (all devices of a callee, or one
   * carrier), relays ringing and early media to the caller, connects the
   * first 2xx and cancels the rest. Resolves when one answered, all failed,
   * `timeout_ms` passed, or the caller hung up. Carrier routing (failover
   * from one carrier to the next) calls this once per carrier.
   */
  attempt(specs: readonly ForkSpec[], timeout_ms: number, signal: AbortSignal): Promise<RingOutcome> {
    if (signal.aborted) return Promise.resolve({ kind: 'cancelled' });
    if (specs.length === 0) return Promise.resolve({ kind: 'unavailable', reason: 'nothing to call' });
    this.ringing = true;
    return new Promise<RingOutcome>((resolve) => {
      let settled = false;
      const failures: number[] = [];
      const forks: OutboundLeg[] = [];
      const settle = (outcome: RingOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.ringing = false;
        for (const fork of forks) if (fork !== this.bLeg) fork.cancel();
        resolve(outcome);
      };
      const onAbort = () => settle({ kind: 'cancelled' });
      const timer = setTimeout(() => settle({ kind: 'no-answer' }), timeout_ms);
      signal.addEventListener('abort', onAbort);

      const observers = new Map<OutboundLeg, (response: SipResponse) => void>();
      const events: OutboundLegEvents = {
        provisional: (leg, response) => {
          observers.get(leg)?.(response);
          if (!settled) this.relayProvisional(response);
        },
        final: (leg, response) => {
          observers.get(leg)?.(response);
          if (response.status < 300) {
            if (settled || this.bLeg) {
              // Another fork won, or the attempt is over: this one must not linger.
              leg.state = 'ended';
              void leg.acknowledge().then(() => leg.bye());
              return;
            }
            this.connect(leg, response);
            settle({ kind: 'answered', by: leg.label });
            return;
          }
          failures.push(response.status);
          if (!settled && forks.every((f) => !f.pending)) settle(outcomeOfFailures(failures));
        },
      };
      for (const spec of specs.slice(0, this.env.limits.maxForks)) {
        const leg = this.createFork(spec, events);
        if (spec.onResponse) observers.set(leg, spec.onResponse);
        forks.push(leg);
        this.forks.push(leg);
      }
      for (const leg of forks) leg.start();
    });
  }

  async application(
    destination: string,
    signal: AbortSignal,
    context: ApplicationContext = {},
  ): Promise<RingOutcome> {
    if (!this.env.application)
      return { kind: 'unavailable', reason: `${destination.split(':')[0]} is not available` };
    return this.env.application(this, destination, signal, context);
  }

  async outside(number: string, signal: AbortSignal, path: readonly string[] = []): Promise<RingOutcome> {
    if (!this.env.outside) return { kind: 'unavailable', reason: 'no route to outside numbers' };
    return this.env.outside(this, number, signal, path);
  }

  // ---- the callee side ----------------------------------------------------

  private createFork(spec: ForkSpec, events: OutboundLegEvents): OutboundLeg {
    const callerUri = sipUri({ user: this.caller.extension, host: this.tenant.domain });
    const maxForwards = Math.max(0, (this.invite.maxForwards ?? 70) - 1);
    const contactUri = this.contactUriFor(spec.target.protocol);
    const headers: (readonly [string, string])[] = [
      ['Allow', allowedMethods],
      ['Supported', 'timer'],
      ['Session-Expires', `${this.env.limits.sessionExpires_s};refresher=uas`],
      ['Min-SE', String(this.env.limits.minSessionExpires_s)],
      ...(spec.headers ?? []),
    ];
    const displayName = spec.from === undefined ? this.caller.displayName : spec.fromDisplayName;
    const invite = createRequest({
      method: 'INVITE',
      uri: spec.requestUri,
      from: nameAddr({ uri: spec.from ?? callerUri, ...(displayName ? { displayName } : {}) }),
      to: nameAddr({ uri: spec.to }),
      callId: generateCallId(),
      cseq: 1,
      contact: nameAddr({ uri: contactUri }),
      maxForwards,
      headers,
      ...(this.offerForB !== undefined ? { body: this.offerForB, contentType: sdpType } : {}),
    });
    return new OutboundLeg(
      this.env.stack,
      invite,
      spec.target,
      spec.label,
      nameAddr({ uri: contactUri }),
      events,
    );
  }

  /** 180 to the caller once; 183 with the callee's early media when it sends SDP. */
  private relayProvisional(response: SipResponse): void {
    if (this.state !== 'routing' || this.transaction.state !== 'proceeding') return;
    if (response.status === 183 || hasSdp(response)) {
      if (!hasSdp(response)) return;
      const sdp = this.sdpFor('b', response.body.toString('utf8'));
      if (sdp === undefined) return;
      this.transaction.reply(183, {
        body: sdp,
        contentType: sdpType,
        headers: [['Contact', `<${formatUri(this.aContact.uri)}>`]],
      });
      return;
    }
    if (response.status === 180 && !this.ringingSent) {
      this.ringingSent = true;
      this.transaction.reply(180, { headers: [['Contact', `<${formatUri(this.aContact.uri)}>`]] });
    }
  }

  /** The SDP to hand the other party for what `from` sent, through the relay when media is anchored. */
  private sdpFor(from: Side, sdp: string): string | undefined {
    if (!this.relayCall) return sdp;
    const rewritten = this.relayCall.rewrite(from, sdp);
    return rewritten.ok ? rewritten.sdp : undefined;
  }

  /** A fork answered: join it to the caller. */
  private connect(leg: OutboundLeg, response: SipResponse): void {
    // An application answered the caller before (IVR transfer): it stops sending before the relay turns.
    const application = this.mediaHandler;
    this.mediaHandler = undefined;
    application?.detach();
    this.bLeg = leg;
    this.answeredBy = leg.label;
    this.answeredAt_ms ??= this.env.now();
    if (leg.dialog) this.env.registry.add(leg.dialog, this, 'b');
    const answerForA = hasSdp(response) ? this.sdpFor('b', response.body.toString('utf8')) : undefined;
    if (this.state === 'routing') this.answerCaller(answerForA);
    else if (application && !this.relayCall && answerForA !== undefined) {
      // Direct media: the caller still sends to the application; point it at the callee.
      void this.reofferCaller(answerForA);
    }
    // With the offer in our INVITE the ACK is plain; with a late offer it carries the caller's answer.
    if (hasSdp(this.invite)) void leg.acknowledge();
    else this.pendingAckForB = leg;
    this.state = 'answered';
    this.armSessionTimer(response);
  }

  private answerCaller(sdp: string | undefined): void {
    if (this.transaction.state !== 'proceeding') return;
    const headers: [string, string][] = [
      ['Contact', `<${formatUri(this.aContact.uri)}>`],
      ['Allow', allowedMethods],
      ['Supported', 'timer'],
    ];
    const wanted = this.invite.sessionExpires;
    if (wanted) {
      const interval = Math.min(wanted.delta_s, this.env.limits.sessionExpires_s);
      headers.push(['Session-Expires', `${interval};refresher=uac`], ['Require', 'timer']);
    }
    this.finalStatus = 200;
    this.transaction.reply(200, {
      headers,
      ...(sdp !== undefined ? { body: sdp, contentType: sdpType } : {}),
    });
    this.aDialog = Dialog.fromUasRequest(this.invite, this.transaction.toTag, {
      localContact: this.aContact,
    });
    this.env.registry.add(this.aDialog, this, 'a');
  }

  private armSessionTimer(bResponse: SipResponse): void {
    const intervals = [this.invite.sessionExpires?.delta_s, bResponse.sessionExpires?.delta_s].filter(
      (d): d is number => typeof d === 'number' && d > 0,
    );
    if (intervals.length === 0) return;
    const interval_s = Math.min(...intervals, this.env.limits.sessionExpires_s);
    this.sessionTimer = new SessionTimer(interval_s * 1000, () => {
      this.env.log('info', { call: this.id }, 'session timer expired (RFC 4028): ending the call');
      this.hangup('system');
    });
  }

  // ---- in-dialog requests -------------------------------------------------

  /** A request inside one of this call's dialogs; `side` is the party that sent it. */
  async receiveInDialog(request: SipRequest, transaction: ServerTransaction, side: Side): Promise<void> {
    const own = side === 'a' ? this.aDialog : this.bLeg?.dialog;
    if (!own) {
      transaction.reply(481);
      return;
    }
    const check = own.receiveRequest(request);
    if (!check.accept) {
      transaction.reply(check.status, { reason: check.reason });
      return;
    }
    if (side === 'a' && this.mediaHandler && request.method !== 'BYE') {
      this.answerForApplication(request, transaction, this.mediaHandler);
      return;
    }
    switch (request.method) {
      case 'BYE':
        transaction.reply(200);
        this.hangup(side === 'a' ? 'caller' : 'callee');
        return;
      case 'INVITE':
      case 'UPDATE':
        await this.passSessionChange(request, transaction, side);
        return;
      default:
        await this.passThrough(request, transaction, side);
    }
  }

  /** The caller's in-dialog requests while an application holds the media. */
  private answerForApplication(
    request: SipRequest,
    transaction: ServerTransaction,
    handler: CallMediaHandler,
  ): void {
    const contact: [string, string] = ['Contact', `<${formatUri(this.aContact.uri)}>`];
    switch (request.method) {
      case 'INVITE':
      case 'UPDATE': {
        const answer = hasSdp(request) ? handler.offer(request.body.toString('utf8')) : handler.currentSdp();
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

  /** Sends the caller a re-INVITE with `sdp` (direct media after an IVR transfer) and ACKs its answer. */
  private async reofferCaller(sdp: string): Promise<void> {
    const dialog = this.aDialog;
    const target = this.otherDialog('b')?.target;
    if (!dialog || !target || dialog.state === 'terminated') return;
    const reinvite = dialog.createRequest('INVITE', { body: sdp, contentType: sdpType });
    this.reinvitePending = true;
    const response = await this.env.stack.request(reinvite, { target });
    this.reinvitePending = false;
    if (response.status >= 200 && response.status < 300) {
      dialog.receiveResponse(reinvite, response);
      await this.env.stack.sendAck(dialog.createAck(reinvite.cseq.seq), { target }).catch(() => {});
    }
  }

  /** A re-INVITE or UPDATE (hold, resume, codec change, session refresh): to the other side and back. */
  private async passSessionChange(
    request: SipRequest,
    transaction: ServerTransaction,
    side: Side,
  ): Promise<void> {
    const other = this.otherDialog(side);
    if (!other) {
      transaction.reply(481);
      return;
    }
    if (this.reinvitePending && request.method === 'INVITE') {
      transaction.reply(491); // glare (RFC 3261 §14.2)
      return;
    }
    let body: string | undefined;
    if (hasSdp(request)) {
      body = this.sdpFor(side, request.body.toString('utf8'));
      if (body === undefined) {
        transaction.reply(488, { reason: 'Unusable SDP' });
        return;
      }
    }
    const headers: [string, string][] = [];
    const se = request.header('session-expires');
    if (se) headers.push(['Session-Expires', se]);
    const outgoing = other.dialog.createRequest(request.method, {
      headers,
      ...(body !== undefined ? { body, contentType: sdpType } : {}),
    });
    if (request.method === 'INVITE') this.reinvitePending = true;
    const response = await this.env.stack.request(outgoing, { target: other.target });
    if (request.method === 'INVITE') this.reinvitePending = false;
    if (this.state === 'ended') {
      if (response.status < 300 && request.method === 'INVITE') {
        await this.env.stack.sendAck(other.dialog.createAck(outgoing.cseq.seq), { target: other.target });
      }
      return;
    }
    if (response.status >= 200 && response.status < 300) {
      other.dialog.receiveResponse(outgoing, response);
      const answer = hasSdp(response)
        ? this.sdpFor(side === 'a' ? 'b' : 'a', response.body.toString('utf8'))
        : undefined;
      const replyHeaders: [string, string][] = [['Contact', `<${formatUri(this.aContact.uri)}>`]];
      const rse = response.header('session-expires');
      if (rse) replyHeaders.push(['Session-Expires', rse]);
      if (request.method === 'INVITE') {
        if (body === undefined && answer !== undefined) {
          // Late offer in a re-INVITE: the answer comes in the caller's ACK and goes in ours.
          this.deferredAck = {
            dialog: other.dialog,
            seq: outgoing.cseq.seq,
            target: other.target,
            from: side,
          };
        } else {
          await this.env.stack.sendAck(other.dialog.createAck(outgoing.cseq.seq), { target: other.target });
        }
      }
      transaction.reply(response.status, {
        headers: replyHeaders,
        ...(answer !== undefined ? { body: answer, contentType: sdpType } : {}),
      });
      this.sessionTimer?.refresh();
      return;
    }
    transaction.reply(response.status >= 300 ? response.status : 500, { reason: response.reason });
  }

  /** INFO (DTMF), MESSAGE, NOTIFY and the like: relayed, and the answer relayed back. */
  private async passThrough(request: SipRequest, transaction: ServerTransaction, side: Side): Promise<void> {
    const other = this.otherDialog(side);
    if (!other) {
      transaction.reply(481);
      return;
    }
    const headers: [string, string][] = [];
    for (const name of ['event', 'subscription-state', 'info-package']) {
      const value = request.header(name);
      if (value !== undefined) headers.push([name, value]);
    }
    const contentType = request.header('content-type');
    const outgoing = other.dialog.createRequest(request.method, {
      headers,
      ...(request.body.length > 0 ? { body: request.body, ...(contentType ? { contentType } : {}) } : {}),
    });
    const response = await this.env.stack.request(outgoing, { target: other.target });
    transaction.reply(response.status, { reason: response.reason });
  }

  /** An ACK for a 2xx we sent to `side` (the initial INVITE's, or a re-INVITE's). */
  receiveAck(ack: SipRequest, side: Side): void {
    if (side === 'a' && this.pendingAckForB) {
      const leg = this.pendingAckForB;
      this.pendingAckForB = undefined;
      const sdp = hasSdp(ack) ? this.sdpFor('a', ack.body.toString('utf8')) : undefined;
      void leg.acknowledge(sdp);
      return;
    }
    const deferred = this.deferredAck;
    if (deferred && deferred.from === side) {
      this.deferredAck = undefined;
      const sdp = hasSdp(ack) ? this.sdpFor(deferred.from, ack.body.toString('utf8')) : undefined;
      const out = deferred.dialog.createAck(
        deferred.seq,
        sdp !== undefined ? { body: sdp, contentType: sdpType } : {},
      );
      void this.env.stack.sendAck(out, { target: deferred.target }).catch(() => {});
    }
  }

  private otherDialog(side: Side): { dialog: Dialog; target: Target } | undefined {
    if (side === 'a') {
      const leg = this.bLeg;
      return leg?.dialog ? { dialog: leg.dialog, target: leg.target } : undefined;
    }
    if (!this.aDialog) return undefined;
    const flow = this.transaction.flow;
    return {
      dialog: this.aDialog,
      target: {
        protocol: flow.protocol,
        address: flow.remoteAddress,
        port: flow.remotePort,
        connectionId: flow.connectionId,
      },
    };
  }

  // ---- endings --------------------------------------------------------------

  /** The caller cancelled before an answer (CANCEL matched our INVITE transaction). */
  cancelledByCaller(): void {
    this.hangupSide = 'caller';
    this.abort.abort();
    if (!this.ringing && this.state === 'routing') this.finishUnanswered({ kind: 'cancelled' });
  }

  /** Ends an answered call from `side` (or the system): BYE to whoever did not hang up. */
  hangup(side: HangupSide): void {
    if (this.state === 'ended') return;
    if (this.state === 'routing') {
      this.hangupSide = side;
      this.abort.abort();
      return;
    }
    this.state = 'ended';
    this.hangupSide = side;
    this.endedAt_ms = this.env.now();
    this.sessionTimer?.stop();
    if (side !== 'callee' && this.bLeg) void this.bLeg.bye().catch(() => {});
    if (side !== 'caller' && this.aDialog && this.aDialog.state !== 'terminated') {
      const bye = this.aDialog.createRequest('BYE');
      this.aDialog.terminate();
      const target = this.otherDialog('b')?.target;
      void this.env.stack.request(bye, target ? { target } : {}).catch(() => {});
    }
    this.release();
  }

  /** Our 2xx to the caller was never ACKed (RFC 3261 §13.3.1.4): end the session. */
  ackTimedOut(): void {
    this.hangup('system');
  }

  private finishUnanswered(outcome: RingOutcome): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.endedAt_ms = this.env.now();
    const { status, reason, disposition } = statusFor(outcome);
    this.finalStatus = status;
    if (this.transaction.state === 'proceeding') {
      this.transaction.reply(status, reason !== undefined ? { reason } : {});
    }
    for (const fork of this.forks) fork.cancel();
    this.release(disposition);
  }

  private release(disposition?: Disposition): void {
    this.mediaHandler = undefined;
    this.endController.abort();
    this.sessionTimer?.stop();
    this.relayCall?.release();
    this.env.registry.remove(this);
    const answered = this.answeredAt_ms !== undefined;
    const cdr: Cdr = {
      id: this.id,
      tenantId: this.tenant.id,
      callId: this.invite.callId,
      direction: 'internal',
      caller: this.caller.extension,
      callerName: this.caller.displayName,
      callee: this.dialled,
      answeredBy: this.answeredBy,
      startedAt_ms: this.startedAt_ms,
      answeredAt_ms: this.answeredAt_ms,
      endedAt_ms: this.endedAt_ms ?? this.env.now(),
      disposition: answered ? 'answered' : (disposition ?? 'failed'),
      hangupSide: this.hangupSide ?? (answered ? undefined : 'system'),
      sipStatus: answered ? 200 : this.finalStatus,
      forwardingPath: this.path,
    };
    this.env.writeCdr(cdr);
  }
}

/**
 * The caller's outcome when every device failed (RFC 3261 §16.7 picks the
 * best response; a PBX user cares about busy versus declined versus gone).
 */
export function outcomeOfFailures(statuses: readonly number[]): RingOutcome {
  if (statuses.includes(603)) return { kind: 'declined' };
  if (statuses.some((s) => s === 486 || s === 600)) return { kind: 'busy' };
  if (statuses.every((s) => s === 404 || s === 604)) return { kind: 'unavailable', reason: 'device unknown' };
  if (statuses.includes(487)) return { kind: 'no-answer' };
  const client = statuses.filter((s) => s >= 400 && s < 500 && s !== 408 && s !== 480);
  if (client.length > 0) return { kind: 'failed', status: client[0] ?? 500 };
  return { kind: 'unavailable', reason: 'no device reachable' };
}
