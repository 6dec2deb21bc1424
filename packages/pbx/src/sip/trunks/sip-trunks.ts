import type { Flow, SipRequest } from '@telekommune/sip';
import type { RingOutcome } from '../../calls/ring-outcome.js';
import type { Cdr } from '../../cdr/cdr.js';
import type { TenantDirectory } from '../../directory/tenant-directory.js';
import type { TenantConfig } from '../../provisioning/tenant-config.js';
import { microToMinor } from '../../rating/money.js';
import type { Destination } from '../../routing/destination.js';
import type { B2buaCall } from '../b2bua-call.js';
import type { ServiceLogger } from '../pbx-sip-service.js';
import { priceSoFar } from './call-cost.js';
import { CarrierResolver } from './carrier-address.js';
import { CarrierHealthChecker, defaultHealthCheckLimits, type HealthCheckLimits } from './carrier-health.js';
import type { CarrierInvite } from './carrier-invite.js';
import {
  defaultRegistrationLimits,
  type RegistrationLimits,
  type RegistrationTransport,
} from './carrier-registration.js';
import { CarrierRegistrations } from './carrier-registrations.js';
import type { CarrierServices } from './carrier-services.js';
import { InboundCalls } from './inbound-calls.js';
import { defaultOutsideCallLimits, type OutsideCallLimits, OutsideCalls } from './outside-calls.js';
import type { RegistrationStatus } from './registration-state.js';
import { type OutboundTrunkLeg, TrunkCallBook } from './trunk-call-book.js';

export interface SipTrunksOptions {
  readonly services: CarrierServices;
  /** The SIP stack, once started (REGISTER and OPTIONS go through it). */
  readonly transport: () => RegistrationTransport;
  readonly directory: () => TenantDirectory;
  /** Calls in progress, to end those the fraud guard cuts. */
  readonly calls: () => Iterable<B2buaCall>;
  readonly logger: ServiceLogger;
  readonly now?: () => number;
  readonly outside?: Partial<OutsideCallLimits>;
  readonly health?: Partial<HealthCheckLimits>;
  readonly registration?: Partial<RegistrationLimits>;
  /** How often answered outside calls report their cost so far to the fraud guard. */
  readonly accrual_ms?: number;
}

/**
 * The PBX's SIP trunks (issue 7, pbx.md §5-§6): outside calls through
 * least-cost routing, calls from carriers to DIDs, registrations to
 * carriers and their health. Its hooks plug into `PbxSipService`:
 * `resolveDialled`, `outside`, `carrierInvite`, `completeCdr`.
 */
export class SipTrunks {
  readonly book = new TrunkCallBook();
  readonly resolver = new CarrierResolver();
  readonly outsideCalls: OutsideCalls;
  readonly inbound: InboundCalls;
  readonly registrations: CarrierRegistrations;
  readonly health: CarrierHealthChecker;
  private accrual: NodeJS.Timeout | undefined;
  /** Call ids seen without a call at the last sweep. */
  private orphans = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: SipTrunksOptions) {
    this.now = options.now ?? Date.now;
    const { services, logger } = options;
    this.registrations = new CarrierRegistrations({
      transport: options.transport,
      resolver: this.resolver,
      logger,
      limits: { ...defaultRegistrationLimits, ...options.registration },
      now: this.now,
    });
    this.health = new CarrierHealthChecker({
      transport: options.transport,
      resolver: this.resolver,
      board: services.board,
      carriers: () => services.carriers(),
      logger,
      limits: { ...defaultHealthCheckLimits, ...options.health },
    });
    this.outsideCalls = new OutsideCalls({
      services,
      book: this.book,
      resolver: this.resolver,
      logger,
      limits: { ...defaultOutsideCallLimits, ...options.outside },
      now: this.now,
    });
    this.inbound = new InboundCalls({
      services,
      directory: options.directory,
      book: this.book,
      logger,
      registeredCarrierFor: (address) => this.registrations.carrierFor(address),
    });
    services.board.onHealthChange((change) => {
      const detail = { carrier: change.carrierId, reason: change.reason };
      if (change.healthy) logger.info(detail, 'carrier back in routing');
      else logger.warn(detail, 'carrier out of routing');
    });
    services.onCut((callIds, reason) => this.cut(callIds, reason));
  }

  /** Starts registrations, health checks and cost accrual. */
  start(): void {
    this.reload();
    this.health.start();
    void this.health.checkAll();
    const interval = this.options.accrual_ms ?? 10_000;
    this.accrual = setInterval(() => this.accrue(), interval);
    this.accrual.unref();
  }

  /** Follows a configuration change (carriers added, changed or removed). */
  reload(): void {
    this.registrations.sync(this.options.services.carriers());
  }

  registration(carrierId: string): RegistrationStatus | undefined {
    return this.registrations.status(carrierId);
  }

  async close(): Promise<void> {
    this.health.stop();
    clearInterval(this.accrual);
    await this.registrations.close();
  }

  // ---- hooks for PbxSipService ---------------------------------------------

  resolveDialled(tenant: TenantConfig, dialled: string): Destination | undefined {
    return this.outsideCalls.resolveDialled(tenant, dialled);
  }

  outside(
    call: B2buaCall,
    number: string,
    signal: AbortSignal,
    path: readonly string[],
  ): Promise<RingOutcome> {
    return this.outsideCalls.outside(call, number, signal, path);
  }

  carrierInvite(request: SipRequest, flow: Flow): CarrierInvite {
    return this.inbound.invite(request, flow);
  }

  /**
   * Finishes the trunk side of a call as its CDR is written: gives back
   * call slots, closes the call at the fraud guard with its last cost,
   * charges an answered outside call once, and puts direction, DID,
   * carrier, cost and price into the CDR.
   */
  async completeCdr(cdr: Cdr): Promise<Cdr> {
    const record = this.book.take(cdr.id);
    if (!record) return cdr;
    const { inbound, outbound } = record;
    inbound?.release();
    if (!outbound) {
      return inbound ? { ...cdr, direction: 'inbound', did: inbound.did, carrierId: inbound.carrierId } : cdr;
    }
    clearTimeout(outbound.limitTimer);
    outbound.releaseSlot?.();
    const { services, logger } = this.options;
    if (outbound.fraudCall) {
      this.report(cdr.id, outbound, cdr.endedAt_ms);
      services.fraud.callEnded(cdr.id);
      outbound.fraudCall = undefined;
    }
    const base: Cdr = inbound
      ? { ...cdr, direction: 'inbound', did: inbound.did, carrierId: inbound.carrierId }
      : { ...cdr, direction: 'outbound', carrierId: outbound.carrierId };
    if (outbound.answeredAt_ms === undefined || outbound.emergency || outbound.carrierId === undefined) {
      return base;
    }
    try {
      const charge = await services.billing.chargeCall({
        callId: cdr.id,
        tenantId: outbound.tenant.id,
        extension: outbound.extension,
        carrierId: outbound.carrierId,
        e164: outbound.number,
        answeredAt_ms: outbound.answeredAt_ms,
        endedAt_ms: cdr.endedAt_ms,
      });
      if (charge.kind === 'not-rated') {
        if (charge.reason !== 'not-answered') {
          logger.warn({ call: cdr.id, reason: charge.reason }, 'outside call not rated');
        }
        return base;
      }
      return {
        ...base,
        cost_minor: microToMinor(charge.rated.cost_micro),
        price_minor: microToMinor(charge.rated.price_micro),
        currency: charge.rated.currency,
      };
    } catch (error) {
      logger.error({ err: error, call: cdr.id }, 'outside call not charged');
      return base;
    }
  }

  // ---- internals ------------------------------------------------------------

  /** Reports answered calls' cost so far to the fraud guard, which may cut them; sweeps orphans. */
  private accrue(): void {
    const at = this.now();
    for (const [callId, leg] of [...this.book.answeredOutbound()]) this.report(callId, leg, at);
    this.sweep();
  }

  /**
   * Records of calls that are gone without a CDR (only a fault elsewhere
   * can do that) would hold call slots and fraud counts for ever: a record
   * whose call has left the registry two sweeps running is closed.
   */
  private sweep(): void {
    const live = new Set<string>();
    for (const call of this.options.calls()) live.add(call.id);
    const suspects = new Set<string>();
    for (const id of this.book.ids()) {
      if (live.has(id)) continue;
      if (!this.orphans.has(id)) {
        suspects.add(id);
        continue;
      }
      const record = this.book.take(id);
      this.options.logger.warn({ call: id }, 'trunk record of a call that ended without a CDR: closed');
      record?.inbound?.release();
      record?.outbound?.releaseSlot?.();
      clearTimeout(record?.outbound?.limitTimer);
      if (record?.outbound?.fraudCall) this.options.services.fraud.callEnded(id);
    }
    this.orphans = suspects;
  }

  private report(callId: string, leg: OutboundTrunkLeg, at_ms: number): void {
    if (!leg.fraudCall) return;
    const { services } = this.options;
    const price = priceSoFar(leg, services.decks, services.billing.currencyOf(leg.tenant), at_ms);
    const delta = price - leg.accrued_micro;
    if (delta <= 0n) return;
    leg.accrued_micro = price;
    services.fraud.costAccrued(callId, delta);
  }

  private cut(callIds: readonly string[], reason: string): void {
    const wanted = new Set(callIds);
    for (const call of this.options.calls()) {
      if (!wanted.has(call.id)) continue;
      this.options.logger.warn({ call: call.id, tenant: call.tenant.id, reason }, 'fraud guard: call cut');
      call.hangup('system');
    }
  }
}
