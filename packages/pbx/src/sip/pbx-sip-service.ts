import type { RtpRelay } from '@telekommune/media';
import {
  createSipStack,
  type DigestAlgorithm,
  DigestServer,
  type InviteServerTransaction,
  type ListenConfig,
  type RequestPolicy,
  type ServerTransaction,
  type SipRequest,
  type SipStack,
  type TimerConfig,
} from '@telekommune/sip';
import { CallRouter } from '../calls/call-router.js';
import type { Cdr, CdrRepository } from '../cdr/cdr.js';
import { BatchingCdrWriter } from '../cdr/cdr-writer.js';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import { type MwiLimits, MwiServer } from '../mwi/mwi-server.js';
import { DIALOG_EVENT, type DialogEventLimits, DialogEventServer } from '../presence/dialog-event-server.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import type { LocationService } from '../registrar/location-service.js';
import type { Destination } from '../routing/destination.js';
import type { MessageCounts } from '../voicemail/voicemail-repository.js';
import { B2buaCall } from './b2bua-call.js';
import {
  allowedMethods,
  type B2buaEnvironment,
  type B2buaLimits,
  defaultB2buaLimits,
} from './b2bua-environment.js';
import { pickUpRinging } from './call-pickup.js';
import { CallRegistry } from './call-registry.js';
import { NatKeepalive } from './nat-keepalive.js';
import { handleRegister, type RegistrarDeps } from './registrar-handler.js';
import { defaultSecurityLimits, type SecurityLimits, SecurityMonitor } from './security-monitor.js';
import { SourceRateLimiter, type SourceRateLimits } from './source-rate-limiter.js';
import type { CarrierInvite } from './trunks/carrier-invite.js';

/** The logging surface the service needs (pino fits). */
export interface ServiceLogger {
  debug(detail: object, message: string): void;
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

export interface PbxSipServiceOptions {
  readonly listen: readonly ListenConfig[];
  readonly directory: () => TenantDirectory;
  readonly location: LocationService;
  readonly cdrs: CdrRepository;
  /** Anchors media; without it media flows directly between phones. */
  readonly relay?: RtpRelay | undefined;
  /** HMAC secret for digest nonces, the same on every node (at least 16 bytes). */
  readonly digestSecret: Buffer;
  /**
   * Digest algorithms offered, one challenge each, in this order (RFC 8760).
   * MD5 alone by default: many phones answer only the first challenge (SIPp
   * does), and some (libre-based ones such as baresip 1.x) give up on any
   * challenge whose algorithm they do not know. `['SHA-256', 'MD5']` serves
   * fleets that can do better.
   */
  readonly digestAlgorithms?: readonly DigestAlgorithm[];
  readonly logger: ServiceLogger;
  readonly timerConfig?: Partial<TimerConfig>;
  readonly b2buaLimits?: Partial<B2buaLimits>;
  readonly security?: SecurityMonitor;
  /** Limits of the default SecurityMonitor (ignored when `security` is given). */
  readonly securityLimits?: Partial<SecurityLimits>;
  /** Requests per second per source address (pbx.md §6); off when absent or 0. */
  readonly sourceRate?: SourceRateLimits;
  /** Sources the rate limit does not apply to (carriers, known by their allow-lists). */
  readonly rateExempt?: (address: string) => boolean;
  /** OPTIONS keep-alives to devices behind NAT, every this many ms (0 turns them off; default 30 s). */
  readonly natKeepalive_ms?: number;
  readonly now?: () => number;
  /** Answers a dialled string the router does not know (feature codes, outside numbers); undefined = 404. */
  readonly resolveDialled?: (
    tenant: TenantConfig,
    dialled: string,
    caller: string,
  ) => Destination | undefined;
  readonly application?: B2buaEnvironment['application'];
  /** Music on hold for anchored calls (the voice runtime's media engine). */
  readonly holdMusic?: B2buaEnvironment['holdMusic'];
  /** Voicemail counts: with them, SUBSCRIBE to message-summary (MWI, RFC 3842) is served. */
  readonly messageCounts?: (tenantId: string, box: string) => Promise<MessageCounts>;
  readonly mwiLimits?: Partial<MwiLimits>;
  /** Limits of busy-lamp subscriptions (SUBSCRIBE to the dialog package, RFC 4235). */
  readonly blfLimits?: Partial<DialogEventLimits>;
  readonly outside?: B2buaEnvironment['outside'];
  /** Recognises INVITEs from carriers (calls to DIDs), which are not digest-challenged. */
  readonly carrierInvite?: (request: SipRequest, flow: InviteServerTransaction['flow']) => CarrierInvite;
  /** Completes a CDR before it is stored (carrier, DID, cost and price of outside calls). */
  readonly completeCdr?: (cdr: Cdr) => Cdr | Promise<Cdr>;
}

/**
 * What the PBX accepts beyond the stack's defaults: session timers (RFC 4028),
 * tel: Request-URIs from carriers, and the bodies it reads or relays (DTMF
 * over INFO, MWI NOTIFY bodies, REFER sipfrag, MESSAGE text).
 */
export const pbxRequestPolicy: Partial<RequestPolicy> = {
  uriSchemes: ['sip', 'sips', 'tel'],
  supportedExtensions: ['timer'],
  acceptedContentTypes: [
    'application/sdp',
    'multipart/mixed',
    'multipart/alternative',
    'application/dtmf-relay',
    'application/dtmf',
    'application/simple-message-summary',
    'message/sipfrag',
    'text/plain',
  ],
};

function sipParts(uri: SipRequest['uri']): { user: string | undefined; host: string } | undefined {
  return uri.kind === 'sip' ? { user: uri.user, host: uri.host.toLowerCase() } : undefined;
}

/**
 * The PBX on the wire: the registrar, the B2BUA for calls between
 * extensions, OPTIONS answered locally, and everything else refused with the
 * right code. Tenants come from request domains; a tenant never reaches
 * another's extensions.
 */
export class PbxSipService {
  readonly registry = new CallRegistry();
  readonly security: SecurityMonitor;
  readonly sourceRate: SourceRateLimiter;
  private readonly rateExempt: (address: string) => boolean;
  readonly router: CallRouter;
  readonly digest: DigestServer;
  private readonly cdrWriter: BatchingCdrWriter;
  private stackRef: SipStack | undefined;
  private keepalive: NatKeepalive | undefined;
  private envRef: B2buaEnvironment | undefined;
  /** The MWI notifier, when voicemail counts were given. */
  readonly mwi: MwiServer | undefined;
  /** Busy lamps: the dialog event package (RFC 4235), fed by the call registry. */
  readonly blf: DialogEventServer;
  private readonly now: () => number;

  private constructor(private readonly options: PbxSipServiceOptions) {
    this.now = options.now ?? Date.now;
    this.security =
      options.security ??
      new SecurityMonitor(
        { ...defaultSecurityLimits, ...options.securityLimits },
        this.now,
        (address, failures) =>
          options.logger.warn({ address, failures }, 'too many failed authentications: address banned'),
      );
    this.sourceRate = new SourceRateLimiter(options.sourceRate ?? { perSecond: 0 }, undefined, (address) =>
      options.logger.warn({ address }, 'SIP requests over the per-source rate: dropping them'),
    );
    this.rateExempt = options.rateExempt ?? (() => false);
    this.cdrWriter = new BatchingCdrWriter(options.cdrs, {
      onError: (error, pending) =>
        options.logger.error({ err: error, pending }, 'CDRs not stored yet; will retry'),
    });
    this.router = new CallRouter(options.directory, options.location, undefined, undefined, this.now);
    const counts = options.messageCounts;
    this.mwi = counts
      ? new MwiServer({
          stack: () => this.stack,
          directory: options.directory,
          location: options.location,
          digest: new DigestServer({
            secret: options.digestSecret,
            algorithms: options.digestAlgorithms ?? ['MD5'],
            lookup: (username, realm) => {
              const tenant = options.directory().tenantByDomain(realm);
              const extension = tenant ? options.directory().extension(tenant.id, username) : undefined;
              return extension ? { password: extension.password } : undefined;
            },
          }),
          security: this.security,
          counts,
          log: (level, detail, message) => options.logger[level](detail, message),
          ...(options.mwiLimits ? { limits: options.mwiLimits } : {}),
          now: this.now,
        })
      : undefined;
    this.digest = new DigestServer({
      secret: options.digestSecret,
      algorithms: options.digestAlgorithms ?? ['MD5'],
      lookup: (username, realm) => {
        const tenant = options.directory().tenantByDomain(realm);
        const extension = tenant ? options.directory().extension(tenant.id, username) : undefined;
        return extension ? { password: extension.password } : undefined;
      },
    });
    this.blf = new DialogEventServer({
      stack: () => this.stack,
      directory: options.directory,
      digest: this.digest,
      security: this.security,
      calls: () => this.registry.active(),
      log: (level, detail, message) => options.logger[level](detail, message),
      ...(options.blfLimits ? { limits: options.blfLimits } : {}),
      now: this.now,
    });
    this.registry.observe(this.blf);
  }

  private environment(stack: SipStack): B2buaEnvironment {
    const options = this.options;
    const logger = options.logger;
    return {
      stack,
      router: this.router,
      registry: this.registry,
      relay: options.relay,
      writeCdr: (cdr) => {
        const complete = options.completeCdr;
        if (!complete) {
          this.cdrWriter.write(cdr);
          return;
        }
        Promise.resolve(complete(cdr))
          .then((done) => this.cdrWriter.write(done))
          .catch((error: unknown) => logger.error({ err: error, cdr: cdr.id }, 'CDR not completed'));
      },
      log: (level, detail, message) => logger[level](detail, message),
      now: this.now,
      limits: { ...defaultB2buaLimits, ...options.b2buaLimits },
      ...(options.application ? { application: options.application } : {}),
      ...(options.holdMusic ? { holdMusic: options.holdMusic } : {}),
      ...(options.outside ? { outside: options.outside } : {}),
      transfers: {
        tenantOfHost: (host) => options.directory().tenantByDomain(host)?.id,
        resolve: (tenant, dialled, caller) => this.destinationFor(tenant, dialled, caller),
      },
    };
  }

  private get env(): B2buaEnvironment {
    if (!this.envRef) throw new Error('SIP stack not started');
    return this.envRef;
  }

  static async start(options: PbxSipServiceOptions): Promise<PbxSipService> {
    const service = new PbxSipService(options);
    const stack = await createSipStack({
      listen: options.listen,
      policy: pbxRequestPolicy,
      // 100 Trying is sent once a call is accepted for routing (startCall): an INVITE answered at
      // once (407, 404, 403) needs none, which saves a datagram on every challenged call.
      autoTrying: false,
      // Banned sources and floods beyond the per-source rate are not even parsed; known scanners
      // are not answered.
      admit: (flow, request) => {
        const address = flow.remoteAddress;
        // The source was admitted before parsing; a parsed request is only judged by its User-Agent.
        if (request !== undefined) return !service.security.isScanner(request.header('user-agent'));
        if (service.security.isBanned(address)) return false;
        return service.rateExempt(address) || service.sourceRate.take(address);
      },
      ...(options.timerConfig ? { timerConfig: options.timerConfig } : {}),
      logger: {
        debug: (detail, message) => options.logger.debug(detail as object, message ?? ''),
        warn: (detail, message) => options.logger.warn(detail as object, message ?? ''),
        error: (detail, message) => options.logger.error(detail as object, message ?? ''),
      },
      handlers: {
        onRequest: (request, transaction) => service.onRequest(request, transaction),
        onCancel: (_cancel, invite) => service.onCancel(invite),
        onAck: (ack) => service.onAck(ack),
        onAckTimeout: (invite, response) => {
          const entry = service.registry.find(invite.callId, response.toTag ?? '', invite.fromTag ?? '');
          entry?.call.ackTimedOut();
        },
        onConnectionClosed: (flow) => {
          if (flow.connectionId !== undefined) options.location.dropConnection(flow.connectionId);
        },
      },
    });
    service.keepalive = new NatKeepalive(stack, options.location, {
      interval_ms: options.natKeepalive_ms ?? 30_000,
      maxFailures: 3,
      maxInFlight: 200,
    });
    service.keepalive.start();
    service.stackRef = stack;
    service.envRef = service.environment(stack);
    return service;
  }

  get stack(): SipStack {
    if (!this.stackRef) throw new Error('SIP stack not started');
    return this.stackRef;
  }

  async close(): Promise<void> {
    this.keepalive?.stop();
    await this.mwi?.close();
    await this.blf.close();
    for (const call of this.registry.active()) call.hangup('system');
    await this.stackRef?.close();
    await this.cdrWriter.stop();
  }

  /** Made on the first REGISTER, then shared by every one. */
  private registrarDeps: RegistrarDeps | undefined;

  private async onRequest(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const toTag = request.toTag;
    if (toTag !== undefined) {
      if (this.mwi?.inDialog(request, transaction) || this.blf.inDialog(request, transaction)) return;
      const entry = this.registry.find(request.callId, toTag, request.fromTag ?? '');
      if (!entry) {
        this.options.logger.debug(
          { method: request.method, callId: request.callId, toTag },
          'no dialog for in-dialog request',
        );
        transaction.reply(481);
        return;
      }
      await entry.call.receiveInDialog(request, transaction, entry.side);
      return;
    }
    switch (request.method) {
      case 'REGISTER':
        this.registrarDeps ??= {
          directory: this.options.directory,
          location: this.options.location,
          digest: this.digest,
          security: this.security,
          now: this.now,
          onNewBindings: (tenantId, aor, contacts) => this.mwi?.registered(tenantId, aor, contacts),
        };
        await handleRegister(request, transaction, this.registrarDeps);
        return;
      case 'INVITE':
        await this.onInvite(request, transaction as InviteServerTransaction);
        return;
      case 'OPTIONS':
        // Answered here, whatever the Request-URI and even at Max-Forwards 0 (RFC 4475 §3.3.11).
        transaction.reply(200, {
          headers: [
            ['Allow', allowedMethods],
            ['Accept', 'application/sdp'],
            ['Supported', 'timer'],
          ],
        });
        return;
      case 'BYE':
      case 'UPDATE':
      case 'INFO':
        transaction.reply(481);
        return;
      case 'SUBSCRIBE': {
        const event = request.event?.type.toLowerCase();
        if (event === DIALOG_EVENT) await this.blf.subscribe(request, transaction);
        else if (event === 'message-summary' && this.mwi) await this.mwi.subscribe(request, transaction);
        else
          transaction.reply(489, {
            headers: [['Allow-Events', this.mwi ? `message-summary, ${DIALOG_EVENT}` : DIALOG_EVENT]],
          });
        return;
      }
      default:
        transaction.reply(405, { headers: [['Allow', allowedMethods]] });
    }
  }

  private async onInvite(request: SipRequest, transaction: InviteServerTransaction): Promise<void> {
    if (request.maxForwards === 0) {
      transaction.reply(483);
      return;
    }
    // RFC 4028 §8: a session interval under our Min-SE is refused with 422 naming the minimum.
    const minSe = this.env.limits.minSessionExpires_s;
    const wanted = request.sessionExpires;
    if (wanted !== undefined && wanted.delta_s < minSe) {
      transaction.reply(422, { headers: [['Min-SE', String(minSe)]] });
      return;
    }
    const fromCarrier = this.options.carrierInvite?.(request, transaction.flow);
    if (fromCarrier !== undefined && fromCarrier.kind !== 'not-carrier') {
      if (fromCarrier.kind === 'refuse') {
        transaction.reply(fromCarrier.status, { reason: fromCarrier.reason });
        return;
      }
      const { tenant, caller, dialled, destination, started } = fromCarrier;
      this.startCall(tenant, caller, dialled, request, transaction, destination, started);
      return;
    }
    const directory = this.options.directory();
    const from = sipParts(request.from.uri);
    const target = sipParts(request.uri);
    const tenant = from ? directory.tenantByDomain(from.host) : undefined;
    if (!tenant || !from?.user || !target) {
      transaction.reply(404, { reason: 'Not Found' });
      return;
    }
    // The callee is looked up in the caller's tenant only; another tenant's domain is refused outright.
    const targetTenant = directory.tenantByDomain(target.host);
    if (targetTenant && targetTenant.id !== tenant.id) {
      transaction.reply(403, { reason: 'Calls Between Tenants Are Not Allowed' });
      return;
    }
    const auth = await this.digest.authenticate(request, { realm: tenant.domain, proxy: true });
    if (auth.kind === 'challenge') {
      if (auth.reason !== 'no-credentials') {
        this.options.logger.debug(
          { reason: auth.reason, user: auth.username, source: transaction.flow.remoteAddress },
          'INVITE challenged',
        );
      }
      if (auth.reason !== 'no-credentials' && !auth.stale)
        this.security.authFailed(transaction.flow.remoteAddress, auth.username);
      transaction.reply(auth.status, { headers: auth.headers });
      return;
    }
    const caller = directory.extension(tenant.id, auth.username);
    if (auth.username !== from.user || !caller) {
      this.security.authFailed(transaction.flow.remoteAddress, auth.username);
      transaction.reply(403, { reason: 'Caller Identity Does Not Match The Credentials' });
      return;
    }
    this.security.authSucceeded(transaction.flow.remoteAddress);
    if (transaction.state !== 'proceeding') return; // CANCELled while authenticating
    const dialled = target.user ?? '';
    const destination = this.destinationFor(tenant, dialled, caller.number);
    if (!destination) {
      transaction.reply(404, { reason: 'Not Found' });
      return;
    }
    if (
      destination.kind === 'feature' &&
      pickUpRinging(
        this.registry.active(),
        tenant,
        caller.number,
        destination,
        request,
        transaction,
        this.options.logger,
      )
    )
      return;
    this.startCall(
      tenant,
      { extension: caller.number, displayName: request.from.displayName ?? caller.name },
      dialled,
      request,
      transaction,
      destination,
    );
  }

  private startCall(
    tenant: TenantConfig,
    caller: { readonly extension: string; readonly displayName: string | undefined },
    dialled: string,
    request: SipRequest,
    transaction: InviteServerTransaction,
    destination: Destination,
    started?: (call: B2buaCall) => void,
  ): void {
    if (transaction.state === 'proceeding') transaction.reply(100);
    const call = new B2buaCall(this.env, tenant, caller, dialled, request, transaction);
    this.registry.track(call);
    started?.(call);
    call.run(destination).catch((error: unknown) => {
      this.options.logger.error({ err: error, call: call.id }, 'call failed');
      call.hangup('system');
      if (transaction.state === 'proceeding') transaction.reply(500);
    });
  }

  private destinationFor(tenant: TenantConfig, dialled: string, caller: string): Destination | undefined {
    const directory = this.options.directory();
    if (directory.extension(tenant.id, dialled)) return { kind: 'extension', number: dialled };
    const group = directory.ringGroupByNumber(tenant.id, dialled);
    if (group) return { kind: 'ringgroup', id: group.id };
    return this.options.resolveDialled?.(tenant, dialled, caller);
  }

  private onCancel(invite: InviteServerTransaction): void {
    const call = this.registry.forInvite(invite);
    if (call) call.cancelledByCaller();
    else if (invite.state === 'proceeding') invite.reply(487);
  }

  private onAck(ack: SipRequest): void {
    const entry = this.registry.find(ack.callId, ack.toTag ?? '', ack.fromTag ?? '');
    entry?.call.receiveAck(ack, entry.side);
  }
}
