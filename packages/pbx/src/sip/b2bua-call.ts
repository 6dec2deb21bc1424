import { randomUUID } from 'node:crypto';
import { bridgedAnswer, type RelayCall } from '@telekommune/media';
import {
  Dialog,
  formatUri,
  type InviteServerTransaction,
  type NameAddr,
  nameAddr,
  type Replaces,
  type ServerTransaction,
  type SipRequest,
  type SipResponse,
  type Target,
} from '@telekommune/sip';
import type { ApplicationContext, CallLegs, RingOutcome, RingTarget } from '../calls/ring-outcome.js';
import type { Disposition, HangupSide } from '../cdr/cdr.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import type { Destination } from '../routing/destination.js';
import { type JoiningCall, joinCalls, matchReplaces } from './attended-transfer.js';
import { allowedMethods, type B2buaEnvironment } from './b2bua-environment.js';
import { internalCallCdr } from './call-cdr.js';
import { CallHoldMusic } from './call-hold-music.js';
import { answerForApplication, type CallMediaHandler } from './call-media-handler.js';
import type { CalleeLeg } from './callee-leg.js';
import { attemptForks } from './fork-attempt.js';
import { deviceForks, type ForkSpec, forkInvite } from './fork-spec.js';
import { type DialogRoute, InDialogRelay, otherSide, type Side } from './in-dialog-relay.js';
import { InboundLeg } from './inbound-leg.js';
import { completedElsewhere, OutboundLeg } from './outbound-leg.js';
import { decideRefer } from './refer-decision.js';
import { ReferNotifier } from './refer-notifier.js';
import { statusFor } from './ring-status.js';
import { hasSdp, sdpOf, sdpType, sendrecv } from './sdp-body.js';
import { SessionTimer } from './session-timer.js';

interface CallerIdentity {
  readonly extension: string;
  readonly displayName: string | undefined;
}

const noExtensions: ReadonlySet<string> = new Set();

/** Why a pickup could not take the call: the picker's INVITE is answered with this. */
export interface PickupRefusal {
  readonly status: number;
  readonly reason: string;
}

/** A blind transfer being carried out (RFC 3515): the transferor's side is rung anew. */
interface Transfer {
  /** The party that sent the REFER; its place goes to the target. */
  readonly transferor: Side;
  /** The transferor's extension: its permission class applies, and it is recalled when nobody answers. */
  readonly extension: string;
  /** The transferee's SDP, sending and receiving, offered to the target. */
  readonly offer: string;
  /** Who the target sees calling: the transferee. */
  readonly presented: CallerIdentity;
  readonly notifier: ReferNotifier;
  /** The target's leg, once it answered. */
  leg: OutboundLeg | undefined;
  /** The transferor hung up before the target answered. */
  transferorGone: boolean;
  ringingNotified: boolean;
}

/**
 * One call through the back-to-back user agent: the caller's leg (A, where
 * we are the UAS) and the callee's leg (B, where we are the UAC), two
 * dialogs joined by this object (pbx.md §3). Forks ring every device of a
 * callee (fork-attempt.ts); the first 2xx wins and the others are
 * cancelled. SDP crosses through the RTP relay, so media is anchored;
 * re-INVITE, UPDATE, INFO and BYE pass from either side to the other
 * (in-dialog-relay.ts). Ending the call writes its CDR (call-cdr.ts).
 */
export class B2buaCall implements CallLegs, JoiningCall {
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
  /** The connected callee leg: a device we rang, or a phone that picked the call up. */
  bLeg: CalleeLeg | undefined;
  relayCall: RelayCall | undefined;

  readonly abort = new AbortController();
  /** Aborted when the call has ended, however it ended (applications stop on it). */
  private readonly endController = new AbortController();
  /** The application holding the caller's media, while there is one. */
  private mediaHandler: CallMediaHandler | undefined;
  private ringing = false;
  /** Extensions whose devices ring for this call right now (what pickup looks for). */
  private ringingAt: ReadonlySet<string> = noExtensions;
  /** The extension that picked the call up while it rang (pbx.md §4). */
  private pickedUpBy: string | undefined;
  private forks: OutboundLeg[] = [];
  private finalStatus = 0;
  private pendingAckForB: OutboundLeg | undefined;
  private ringingSent = false;
  private sessionTimer: SessionTimer | undefined;
  private readonly aContact: NameAddr;
  /** The offer for callee legs: the caller's SDP pointed at the relay, or as it came. */
  private offerForB: string | undefined;
  private readonly relay: InDialogRelay;
  /** Where the caller's side is reached: the caller's flow, or a transfer target that took its place. */
  private aTarget: Target;
  /** The SDP each party sent last, as it sent it (a transfer target is offered the transferee's). */
  private readonly lastSdp: { a?: string; b?: string } = {};
  private transfer: Transfer | undefined;
  /** A transferor's dialog once its target answered: BYE expected from it, else sent to it. */
  private detached: (DialogRoute & { timer: NodeJS.Timeout | undefined }) | undefined;
  /** After an attended transfer: party `mine` talks to `peer`'s party `theirs` (attended-transfer.ts). */
  private linked: { readonly peer: B2buaCall; readonly mine: Side; readonly theirs: Side } | undefined;
  /** Music on hold, when the environment has a player for it. */
  private readonly holdMusic: CallHoldMusic | undefined;

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
    const flow = transaction.flow;
    this.aTarget = {
      protocol: flow.protocol,
      address: flow.remoteAddress,
      port: flow.remotePort,
      connectionId: flow.connectionId,
    };
    this.relay = new InDialogRelay({
      stack: env.stack,
      other: (side) => this.otherDialog(side),
      sdpFor: (from, sdp) => this.sdpFor(from, sdp),
      contact: () => this.contactHeader(),
      ended: () => this.state === 'ended',
      refreshed: () => {
        this.sessionTimer?.refresh();
        this.linked?.peer.sessionTimer?.refresh();
      },
      changed: (side, offer) => void this.holdMusic?.changed(side, offer),
    });
    const player = env.holdMusic;
    this.holdMusic = player
      ? new CallHoldMusic({
          player: () => player(tenant),
          relayCall: () => this.relayCall,
          lastSdp: (side) => this.lastSdp[side],
          eligible: () =>
            this.state === 'answered' &&
            this.bLeg !== undefined &&
            this.linked === undefined &&
            this.transfer === undefined &&
            this.mediaHandler === undefined,
          log: (level, detail, message) => env.log(level, { call: this.id, ...detail }, message),
        })
      : undefined;
    this.ended.addEventListener('abort', () => this.holdMusic?.stop(), { once: true });
  }

  private contactUriFor(protocol: Target['protocol']) {
    try {
      return this.env.stack.contactUri(protocol);
    } catch {
      return this.env.stack.contactUri('udp');
    }
  }

  private contactHeader(): [string, string] {
    return ['Contact', `<${formatUri(this.aContact.uri)}>`];
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
    const offer = sdpOf(this.invite);
    if (offer !== undefined) {
      this.lastSdp.a = offer;
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
    const picker = this.pickedUpBy;
    // A pickup stopped the routing (its ringing was cancelled) and answered the caller itself.
    this.path = picker === undefined ? routed.path : [...routed.path, `pickup:${picker}`];
    if (routed.outcome.kind !== 'answered' && picker === undefined) this.finishUnanswered(routed.outcome);
  }

  // ---- applications (IVR, voicemail, feature codes) -------------------------

  /** Aborts once the call has ended. */
  get ended(): AbortSignal {
    return this.endController.signal;
  }

  /** The caller's SDP offer as it came in the INVITE (undefined for a late offer). */
  get callerOffer(): string | undefined {
    return sdpOf(this.invite);
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

  /** The SDP offered to callees (pointed at the relay when media is anchored; undefined for a late offer). */
  get calleeOffer(): string | undefined {
    return this.transfer ? this.transfer.offer : this.offerForB;
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
    const forks = deviceForks(targets, this.tenant.domain);
    if (forks.length === 0) return { kind: 'unavailable', reason: 'not registered' };
    // Busy lamps (RFC 4235) show these extensions ringing until the attempt ends.
    const extensions = targets.map((t) => t.extension);
    this.env.registry.ringing(this, extensions, true);
    this.ringingAt = new Set(extensions);
    try {
      return await this.attempt(forks, timeout_ms, signal);
    } finally {
      this.ringingAt = noExtensions;
      this.env.registry.ringing(this, extensions, false);
    }
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
    const transfer = this.transfer;
    return attemptForks(specs, this.env.limits.maxForks, timeout_ms, signal, {
      createLeg: (spec, events) => {
        const contactUri = this.contactUriFor(spec.target.protocol);
        const invite = forkInvite(spec, {
          caller: transfer ? transfer.presented : this.caller,
          domain: this.tenant.domain,
          invite: this.invite,
          contactUri,
          limits: this.env.limits,
          offer: transfer ? transfer.offer : this.offerForB,
        });
        const leg = new OutboundLeg(
          this.env.stack,
          invite,
          spec.target,
          spec.label,
          nameAddr({ uri: contactUri }),
          events,
        );
        this.forks.push(leg);
        return leg;
      },
      connectedLeg: () => (transfer ? transfer.leg : this.bLeg),
      provisional: (response) =>
        transfer ? this.transferProgress(transfer, response) : this.relayProvisional(response),
      connect: (leg, response) =>
        transfer ? this.connectTransfer(transfer, leg, response) : this.connect(leg, response),
      settled: () => {
        this.ringing = false;
      },
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

  // ---- pickup (**EXT, *8) ------------------------------------------------------

  /** Extensions whose devices this call rings now; empty once answered, or while not ringing phones. */
  get ringingExtensions(): ReadonlySet<string> {
    return this.state === 'routing' && this.transfer === undefined ? this.ringingAt : noExtensions;
  }

  /**
   * Another phone of the tenant picks up this ringing call (call-pickup.ts
   * chose it): the picker's INVITE becomes the call's B side. The offers of
   * caller and picker crossed, so each is answered with the other's media
   * through the relay (bridgedAnswer); the ringing forks are CANCELled with
   * "Call completed elsewhere" (RFC 3326) and the router stops. Returns a
   * refusal, with the call left ringing, when it cannot be picked up.
   */
  pickUp(
    picker: string,
    invite: SipRequest,
    transaction: InviteServerTransaction,
  ): PickupRefusal | undefined {
    if (this.ringingExtensions.size === 0 || this.transaction.state !== 'proceeding')
      return { status: 480, reason: 'No Call To Pick Up' };
    const callerOffer = sdpOf(this.invite);
    const pickerOffer = sdpOf(invite);
    if (callerOffer === undefined) return { status: 488, reason: 'Ringing Call Has No Offer To Answer' };
    if (pickerOffer === undefined) return { status: 488, reason: 'Pickup Needs An SDP Offer' };
    // Checked on the offers as they came, before the relay learns anything.
    for (const [offer, peer] of [
      [pickerOffer, callerOffer],
      [callerOffer, pickerOffer],
    ] as const) {
      const check = bridgedAnswer(offer, peer);
      if (!check.ok) return { status: 488, reason: `Media Not Compatible (${check.reason})` };
    }
    if (invite.fromTag === undefined || invite.contacts.length === 0)
      return { status: 400, reason: 'Missing From Tag Or Contact' };
    const pickerThrough = this.sdpFor('b', pickerOffer);
    const forPicker = this.offerForB === undefined ? undefined : bridgedAnswer(pickerOffer, this.offerForB);
    const forCaller = pickerThrough === undefined ? undefined : bridgedAnswer(callerOffer, pickerThrough);
    if (!forPicker?.ok || !forCaller?.ok) return { status: 488, reason: 'Unusable SDP' };

    for (const fork of this.forks) fork.cancel([completedElsewhere]);
    const contact = nameAddr({ uri: this.contactUriFor(transaction.flow.protocol) });
    transaction.reply(200, {
      headers: [
        ['Contact', `<${formatUri(contact.uri)}>`],
        ['Allow', allowedMethods],
      ],
      body: forPicker.sdp,
      contentType: sdpType,
    });
    const flow = transaction.flow;
    const leg = new InboundLeg(
      this.env.stack,
      Dialog.fromUasRequest(invite, transaction.toTag, { localContact: contact }),
      {
        protocol: flow.protocol,
        address: flow.remoteAddress,
        port: flow.remotePort,
        connectionId: flow.connectionId,
      },
      picker,
    );
    this.pickedUpBy = picker;
    this.bLeg = leg;
    this.answeredBy = picker;
    this.answeredAt_ms = this.env.now();
    this.env.registry.add(leg.dialog, this, 'b');
    this.answerCaller(forCaller.sdp);
    this.state = 'answered';
    this.armSessionTimer(undefined);
    // Stops the router: the pending attempt settles and nothing else is tried.
    this.abort.abort();
    return undefined;
  }

  // ---- the callee side ----------------------------------------------------

  /** 180 to the caller once; 183 with the callee's early media when it sends SDP. */
  private relayProvisional(response: SipResponse): void {
    if (this.state !== 'routing' || this.transaction.state !== 'proceeding') return;
    if (response.status === 183 || hasSdp(response)) {
      const early = sdpOf(response);
      if (early === undefined) return;
      const sdp = this.sdpFor('b', early);
      if (sdp === undefined) return;
      this.transaction.reply(183, { body: sdp, contentType: sdpType, headers: [this.contactHeader()] });
      return;
    }
    if (response.status === 180 && !this.ringingSent) {
      this.ringingSent = true;
      this.transaction.reply(180, { headers: [this.contactHeader()] });
    }
  }

  /**
   * The SDP to hand the other party for what `from` sent, through the relay
   * when media is anchored; once linked to another call, through both calls'
   * relays (each relay's transferor-facing port sends to the other's).
   */
  private sdpFor(from: Side, sdp: string): string | undefined {
    const linked = this.linked;
    if (!linked) return this.relaySdp(from, sdp);
    if (from === linked.mine) {
      const through = this.relaySdp(from, sdp);
      return through === undefined ? undefined : linked.peer.relaySdp(otherSide(linked.theirs), through);
    }
    const through = linked.peer.relaySdp(linked.theirs, sdp);
    return through === undefined ? undefined : this.relaySdp(from, through);
  }

  /** What `sdpFor` does within this call alone. */
  private relaySdp(from: Side, sdp: string): string | undefined {
    this.lastSdp[from] = sdp;
    const held = this.holdMusic?.stillHolding(from, sdp);
    if (held !== undefined) return held;
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
    const answer = sdpOf(response);
    const answerForA = answer !== undefined ? this.sdpFor('b', answer) : undefined;
    if (this.state === 'routing') this.answerCaller(answerForA);
    else if (application && !this.relayCall && answerForA !== undefined) {
      // Direct media: the caller still sends to the application; point it at the callee.
      void this.relay.reoffer('a', answerForA);
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
      this.contactHeader(),
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

  private armSessionTimer(bResponse: SipResponse | undefined): void {
    const intervals = [this.invite.sessionExpires?.delta_s, bResponse?.sessionExpires?.delta_s].filter(
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
    if (this.fromDetached(request, transaction)) return;
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
      answerForApplication(request, transaction, this.mediaHandler, this.contactHeader());
      return;
    }
    switch (request.method) {
      case 'BYE':
        transaction.reply(200);
        if (this.transfer?.transferor === side) {
          // A blind transferor hangs up while its target rings: the transferee stays, hearing music.
          const transfer = this.transfer;
          transfer.transferorGone = true;
          own.terminate();
          void this.holdMusic?.standIn(side, () => this.transfer === transfer && this.state === 'answered');
          return;
        }
        this.hangup(side === 'a' ? 'caller' : 'callee');
        return;
      case 'REFER':
        this.receiveRefer(request, transaction, side);
        return;
      case 'INVITE':
      case 'UPDATE':
        await this.relay.passSessionChange(request, transaction, side);
        return;
      default:
        await this.relay.passThrough(request, transaction, side);
    }
  }

  /** An ACK for a 2xx we sent to `side` (the initial INVITE's, or a re-INVITE's). */
  receiveAck(ack: SipRequest, side: Side): void {
    if (side === 'a' && this.pendingAckForB) {
      const leg = this.pendingAckForB;
      this.pendingAckForB = undefined;
      const answer = sdpOf(ack);
      void leg.acknowledge(answer !== undefined ? this.sdpFor('a', answer) : undefined);
      return;
    }
    this.relay.receiveAck(ack, side);
  }

  private otherDialog(side: Side): DialogRoute | undefined {
    const linked = this.linked;
    if (linked && side === linked.mine) return linked.peer.partyRoute(linked.theirs);
    if (side === 'a') {
      const leg = this.bLeg;
      return leg?.dialog ? { dialog: leg.dialog, target: leg.target } : undefined;
    }
    if (!this.aDialog) return undefined;
    return {
      dialog: this.aDialog,
      target: this.aTarget,
    };
  }

  /** The dialog with party `side` and where it is reached. */
  partyRoute(side: Side): DialogRoute | undefined {
    return this.otherDialog(otherSide(side));
  }

  // ---- transfer (REFER, RFC 3515) --------------------------------------------

  /**
   * A REFER from party `side`: judged (refer-decision.ts), answered 202 and
   * carried out as a blind transfer, or refused with the call left as it was.
   */
  private receiveRefer(request: SipRequest, transaction: ServerTransaction, side: Side): void {
    const transfers = this.env.transfers;
    if (!transfers) {
      transaction.reply(501, { reason: 'Transfers Are Not Available' });
      return;
    }
    const party = side === 'a' ? this.caller.extension : this.bLeg?.label;
    const extension = this.tenant.extensions.some((e) => e.number === party) ? party : undefined;
    const decision = decideRefer(() => request.referTo, {
      tenantId: this.tenant.id,
      tenantOfHost: (host) => transfers.tenantOfHost(host),
      transferor: extension,
      connected: this.state === 'answered' && this.bLeg !== undefined && !this.mediaHandler && !this.linked,
      transferring: this.transfer !== undefined,
      resolve: (dialled) => (extension ? transfers.resolve(this.tenant, dialled, extension) : undefined),
    });
    const log = { call: this.id, transferor: extension ?? party, referTo: request.header('refer-to') };
    if (decision.kind === 'refuse' || extension === undefined) {
      const status = decision.kind === 'refuse' ? decision.status : 403;
      this.env.log('info', { ...log, status }, 'transfer refused');
      transaction.reply(status, decision.kind === 'refuse' ? { reason: decision.reason } : {});
      return;
    }
    if (decision.kind === 'attended') {
      this.attendedTransfer(request, transaction, side, extension, decision.replaces, log);
      return;
    }
    const kept = otherSide(side);
    const keptSdp = this.lastSdp[kept];
    const offer = keptSdp === undefined ? undefined : this.sdpFor(kept, sendrecv(keptSdp));
    if (offer === undefined) {
      transaction.reply(488, { reason: 'No Session To Transfer' });
      return;
    }
    const subscribe = this.acceptRefer(request, transaction);
    const transferorRoute = this.partyRoute(side);
    const transfer: Transfer = {
      transferor: side,
      extension,
      offer,
      presented:
        kept === 'a' ? this.caller : { extension: this.bLeg?.label ?? this.dialled, displayName: undefined },
      notifier: new ReferNotifier(
        this.env.stack,
        () => transferorRoute,
        this.env.limits.referExpires_s,
        subscribe,
      ),
      leg: undefined,
      transferorGone: false,
      ringingNotified: false,
    };
    this.env.log('info', { ...log, to: decision.dialled }, 'blind transfer');
    this.blindTransfer(transfer, decision.dialled, decision.destination).catch((error: unknown) => {
      this.env.log('warn', { call: this.id, error: String(error) }, 'transfer failed');
      this.transfer = undefined;
      void transfer.notifier.final(500);
    });
  }

  /** Answers a REFER 202; whether the transferor wants NOTIFYs (RFC 4488 `Refer-Sub: false`, echoed, asks for none). */
  private acceptRefer(request: SipRequest, transaction: ServerTransaction): boolean {
    const subscribe = request.header('refer-sub')?.trim().toLowerCase() !== 'false';
    transaction.reply(202, {
      headers: [this.contactHeader(), ...(subscribe ? [] : [['Refer-Sub', 'false'] as [string, string]])],
    });
    return subscribe;
  }

  /**
   * A REFER whose Refer-To carries Replaces (attended-transfer.ts): the
   * other call is found by the Replaces dialog and its far party joined to
   * this call's, or the REFER is refused with both calls left as they were.
   */
  private attendedTransfer(
    request: SipRequest,
    transaction: ServerTransaction,
    side: Side,
    extension: string,
    replaces: Replaces,
    log: Record<string, unknown>,
  ): void {
    const registry = this.env.registry;
    const match = matchReplaces(replaces, this as B2buaCall, extension, {
      find: (callId, localTag, remoteTag) => registry.find(callId, localTag, remoteTag),
      ringing: (callId) => registry.active().some((c) => c.state === 'routing' && c.invite.callId === callId),
    });
    if (match.kind === 'refuse') {
      this.env.log(
        'info',
        { ...log, status: match.status, reason: match.reason },
        'attended transfer refused',
      );
      transaction.reply(match.status, { reason: match.reason });
      return;
    }
    const subscribe = this.acceptRefer(request, transaction);
    const transferorRoute = this.partyRoute(side);
    const notifier = new ReferNotifier(
      this.env.stack,
      () => transferorRoute,
      this.env.limits.referExpires_s,
      subscribe,
    );
    this.env.log('info', { ...log, other: match.call.id }, 'attended transfer');
    joinCalls(this, side, match.call, match.transferorSide, { notifier, log: this.env.log }).catch(
      (error: unknown) => {
        this.env.log('warn', { call: this.id, error: String(error) }, 'attended transfer failed');
        void notifier.final(500);
      },
    );
  }

  // ---- JoiningCall (attended-transfer.ts) -------------------------------------

  get tenantId(): string {
    return this.tenant.id;
  }

  party(side: Side): string | undefined {
    return side === 'a' ? this.caller.extension : this.bLeg?.label;
  }

  joinRefusal(): { status: number; reason: string } | undefined {
    if (this.state !== 'answered' || !this.bLeg) return { status: 403, reason: 'Other Call Not Connected' };
    if (this.mediaHandler) return { status: 403, reason: 'Other Call Is Held By An Application' };
    if (this.transfer) return { status: 491, reason: 'A Transfer Is In Progress' };
    if (this.linked) return { status: 403, reason: 'Other Call Already Transferred' };
    return undefined;
  }

  link(peer: JoiningCall, mine: Side, theirs: Side): void {
    if (!(peer instanceof B2buaCall)) throw new TypeError('a call can only be linked to another B2BUA call');
    this.linked = { peer, mine, theirs };
    this.holdMusic?.stop(); // the held party is about to be joined to the other call's party
  }

  async resumeLinked(): Promise<boolean> {
    const linked = this.linked;
    if (!linked || this.state !== 'answered') return false;
    const theirs = linked.peer.lastSdp[linked.theirs];
    const offer = theirs === undefined ? undefined : this.sdpFor(otherSide(linked.mine), sendrecv(theirs));
    if (offer === undefined) return false;
    return this.relay.reoffer(linked.mine, offer);
  }

  setAside(route: DialogRoute, now: boolean): void {
    if (now) {
      if (route.dialog.state === 'terminated') return;
      const bye = route.dialog.createRequest('BYE');
      route.dialog.terminate();
      void this.env.stack.request(bye, { target: route.target }).catch(() => {});
      return;
    }
    this.endDetached();
    this.detached = { ...route, timer: undefined };
    this.awaitTransferorBye();
  }

  addPath(step: string): void {
    this.path = [...this.path, step];
  }

  /**
   * Rings the target where the transferor was, through the router as if the
   * transferor dialled it (forwarding, ring groups, outside-number checks
   * under the transferor's permission class). Nobody answering: a transferor
   * still in the call gets the failure and keeps the call (RFC 3515 §2.4.7);
   * one that hung up is rung back (recall), and when it does not answer
   * either the transferee's call ends.
   */
  private async blindTransfer(transfer: Transfer, dialled: string, destination: Destination): Promise<void> {
    void transfer.notifier.progress(100);
    const before = this.path;
    this.transfer = transfer;
    this.path = [...before, `transfer:${dialled}`];
    const signal = this.ended;
    const legs = this.transferLegs(transfer.extension);
    let routed = await this.env.router.route(this.tenant, destination, legs, signal);
    this.path = [...this.path, ...routed.path];
    if (routed.outcome.kind !== 'answered' && transfer.transferorGone && this.state === 'answered') {
      this.path = [...this.path, `recall:${transfer.extension}`];
      const recall: Destination = { kind: 'extension', number: transfer.extension };
      routed = await this.env.router.route(this.tenant, recall, legs, signal);
      this.path = [...this.path, ...routed.path];
    }
    this.transfer = undefined;
    const outcome = routed.outcome;
    if (outcome.kind === 'answered') {
      await transfer.notifier.final(200);
      this.awaitTransferorBye();
      return;
    }
    if (this.state !== 'answered') {
      await transfer.notifier.final(487);
      return;
    }
    const { status, reason } = statusFor(outcome);
    this.env.log('info', { call: this.id, outcome: outcome.kind }, 'transfer target did not answer');
    if (!transfer.transferorGone) {
      this.path = before;
      await transfer.notifier.final(status, reason);
      return;
    }
    this.hangup('system');
  }

  /** The router's view of the call during a transfer: applications are not offered a transferee. */
  private transferLegs(transferor: string): CallLegs {
    return {
      ring: (targets, timeout_ms, signal) => this.ring(targets, timeout_ms, signal),
      application: async (destination) => ({
        kind: 'unavailable',
        reason: `${destination.split(':')[0]} does not take transferred calls`,
      }),
      outside: async (number, signal, path = []) => {
        // One carrier leg per call: its trunk record, fraud count and bill belong to one outside party.
        if (this.path.some((p) => p.startsWith('number:')))
          return { kind: 'unavailable', reason: 'transfer from an outside call to the outside' };
        return this.outside(number, signal, [`extension:${transferor}`, ...path]);
      },
    };
  }

  /** Ringing at the target: the transferor is told once (sipfrag 180). */
  private transferProgress(transfer: Transfer, response: SipResponse): void {
    if (transfer.ringingNotified || (response.status !== 180 && response.status !== 183)) return;
    transfer.ringingNotified = true;
    void transfer.notifier.progress(180);
  }

  /**
   * The target answered: it takes the transferor's place in the call, the
   * relay turns to it, and the transferee is re-INVITEd with its SDP (which
   * also takes it off hold). The transferor's dialog is kept apart until it
   * hangs up.
   */
  private connectTransfer(transfer: Transfer, leg: OutboundLeg, response: SipResponse): void {
    transfer.leg = leg;
    void leg.acknowledge();
    const side = transfer.transferor;
    const old = this.partyRoute(side);
    if (side === 'b') this.bLeg = leg;
    else if (leg.dialog) {
      this.aDialog = leg.dialog;
      this.aTarget = leg.target;
    }
    if (leg.dialog) this.env.registry.add(leg.dialog, this, side);
    this.answeredBy = leg.label;
    if (old && old.dialog.state !== 'terminated') this.detached = { ...old, timer: undefined };
    const answer = sdpOf(response);
    const forTransferee = answer !== undefined ? this.sdpFor(side, answer) : undefined;
    if (forTransferee !== undefined) void this.relay.reoffer(otherSide(side), forTransferee);
  }

  /** A request on a transferor's dialog after its target answered: BYE ends it, anything else is refused. */
  private fromDetached(request: SipRequest, transaction: ServerTransaction): boolean {
    const detached = this.detached;
    const id = detached?.dialog.id;
    if (!detached || !id || request.callId !== id.callId || request.toTag !== id.localTag) return false;
    if (request.method === 'BYE') {
      transaction.reply(200);
      clearTimeout(detached.timer);
      detached.dialog.terminate();
      this.detached = undefined;
    } else {
      transaction.reply(481);
    }
    return true;
  }

  /** After the final NOTIFY the transferor hangs up; if it does not in time, the PBX ends its leg. */
  private awaitTransferorBye(): void {
    const detached = this.detached;
    if (!detached) return;
    detached.timer = setTimeout(() => this.endDetached(), this.env.limits.transferorBye_ms);
  }

  private endDetached(): void {
    const detached = this.detached;
    if (!detached) return;
    this.detached = undefined;
    clearTimeout(detached.timer);
    if (detached.dialog.state === 'terminated') return;
    const bye = detached.dialog.createRequest('BYE');
    detached.dialog.terminate();
    void this.env.stack.request(bye, { target: detached.target }).catch(() => {});
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
    // Linked by an attended transfer: the transferor's slot is set aside; its partner is in the other call.
    const linked = this.linked;
    if (side !== 'callee' && this.bLeg && (!linked || linked.mine === 'b'))
      void this.bLeg.bye().catch(() => {});
    if (
      side !== 'caller' &&
      this.aDialog &&
      this.aDialog.state !== 'terminated' &&
      (!linked || linked.mine === 'a')
    ) {
      const bye = this.aDialog.createRequest('BYE');
      this.aDialog.terminate();
      void this.env.stack.request(bye, { target: this.aTarget }).catch(() => {});
    }
    this.release();
    if (linked)
      linked.peer.hangup(side === 'system' ? 'system' : linked.theirs === 'a' ? 'callee' : 'caller');
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
    this.endDetached();
    this.endController.abort();
    this.sessionTimer?.stop();
    this.relayCall?.release();
    this.env.registry.remove(this);
    const cdr = internalCallCdr(
      {
        id: this.id,
        tenantId: this.tenant.id,
        callId: this.invite.callId,
        caller: this.caller,
        dialled: this.dialled,
        answeredBy: this.answeredBy,
        startedAt_ms: this.startedAt_ms,
        answeredAt_ms: this.answeredAt_ms,
        endedAt_ms: this.endedAt_ms,
        hangupSide: this.hangupSide,
        finalStatus: this.finalStatus,
        path: this.path,
      },
      disposition,
      this.env.now(),
    );
    this.env.writeCdr(cdr);
  }
}
