import { DigestClient, type Target } from '@telekommune/sip';
import type { RingOutcome } from '../../calls/ring-outcome.js';
import type { CarrierConfig } from '../../carriers/carrier-config.js';
import { emergencyRoutes, leastCostRoutes, type RouteCandidate } from '../../carriers/least-cost-routing.js';
import { isCarrierFailure, RouteAttempts } from '../../carriers/route-attempts.js';
import type { FraudCall } from '../../fraud/fraud-guard.js';
import { dialString } from '../../numbering/e164.js';
import { type CallerId, decideOutbound, type OutboundDecision } from '../../numbering/outbound-dial-plan.js';
import type { TenantConfig } from '../../provisioning/tenant-config.js';
import { withMargin } from '../../rating/call-rating.js';
import { affordableSeconds } from '../../rating/credit.js';
import type { RateRow } from '../../rating/rate-table.js';
import type { Destination } from '../../routing/destination.js';
import type { B2buaCall } from '../b2bua-call.js';
import type { ServiceLogger } from '../pbx-sip-service.js';
import { type CarrierResolver, carrierUri } from './carrier-address.js';
import { type CarrierDialResult, dialCarrier } from './carrier-dial.js';
import type { CarrierServices } from './carrier-services.js';
import type { OutboundTrunkLeg, TrunkCallBook } from './trunk-call-book.js';

/** Limits of outside calls (STYLE.md 14). */
export interface OutsideCallLimits {
  /** No response at all from a carrier within this: it is not there, try the next. */
  readonly carrierSetup_ms: number;
  /** How long an outside number may ring before the caller hears "no answer". */
  readonly ring_ms: number;
  /** Carriers tried per call (LCR failover). */
  readonly maxAttempts: number;
  /** Carriers tried per emergency call. */
  readonly maxEmergencyAttempts: number;
  /** Longest outside call on a limited (prepaid or credit-limited) account, whatever the balance. */
  readonly maxLimitedCall_s: number;
}

export const defaultOutsideCallLimits: OutsideCallLimits = {
  carrierSetup_ms: 8_000,
  ring_ms: 120_000,
  maxAttempts: 3,
  maxEmergencyAttempts: 5,
  maxLimitedCall_s: 4 * 3600,
};

function refused(status: number, reason: string): RingOutcome {
  return { kind: 'failed', status, reason };
}

/**
 * Outside calls of the B2BUA (pbx.md §5, §6): the dial plan decides what a
 * dialled string is; emergency numbers go to every emergency carrier at
 * once in turn, without checks; every other outside call passes the fraud
 * guard and the credit check, then least-cost routing with failover (5xx,
 * 408, no response, unreachable) over carriers with free call slots. The
 * extension whose call or rule it is decides the permission class, the
 * caller ID and the fraud scope.
 */
export class OutsideCalls {
  private readonly digests = new Map<string, { password: string; client: DigestClient }>();

  constructor(
    private readonly deps: {
      readonly services: CarrierServices;
      readonly book: TrunkCallBook;
      readonly resolver: CarrierResolver;
      readonly logger: ServiceLogger;
      readonly limits: OutsideCallLimits;
      readonly now: () => number;
    },
  ) {}

  /**
   * A dialled string that is not an extension or ring group: a number for
   * the outside (the dial plan judges it when the call gets there), or
   * nothing (404) when it is not digits at all.
   */
  resolveDialled(_tenant: TenantConfig, dialled: string): Destination | undefined {
    const digits = dialString(dialled);
    if (digits === undefined || digits.length < 2 || digits.length > 32) return undefined;
    return { kind: 'number', number: digits };
  }

  /** The extension whose permission class applies: the one whose rule led here, else the caller. */
  ruleOwner(call: B2buaCall, path: readonly string[]): string | undefined {
    const before = path.length >= 2 ? path[path.length - 2] : undefined;
    if (before !== undefined) return before.startsWith('extension:') ? before.slice(10) : undefined;
    return this.deps.book.isInbound(call.id) ? undefined : call.caller.extension;
  }

  async outside(
    call: B2buaCall,
    number: string,
    signal: AbortSignal,
    path: readonly string[],
  ): Promise<RingOutcome> {
    const owner = this.ruleOwner(call, path);
    const decision = decideOutbound({ tenant: call.tenant, extension: owner, dialled: number });
    const log = { call: call.id, tenant: call.tenant.id, extension: owner, dialled: number };
    switch (decision.kind) {
      case 'internal':
        return { kind: 'unavailable', reason: 'internal number as an outside destination' };
      case 'refused':
        this.deps.logger.info(
          { ...log, reason: decision.reason },
          `outside call refused: ${decision.message}`,
        );
        this.leg(call, number, owner, false); // an outbound CDR, without carrier
        return refusalOutcome(decision);
      case 'emergency':
        return this.emergency(call, decision.shortCode, decision.callerId, owner, signal);
      case 'outside':
        return this.routed(call, decision, owner, signal);
    }
  }

  private leg(call: B2buaCall, number: string, extension: string | undefined, emergency: boolean) {
    const leg: OutboundTrunkLeg = {
      tenant: call.tenant,
      number,
      emergency,
      extension,
      carrierId: undefined,
      fraudCall: undefined,
      answeredAt_ms: undefined,
      accrued_micro: 0n,
      releaseSlot: undefined,
      limitTimer: undefined,
    };
    this.deps.book.of(call.id).outbound = leg;
    return leg;
  }

  /** Emergency calls: every emergency carrier in turn, no fraud or credit check, never refused for a full trunk. */
  private async emergency(
    call: B2buaCall,
    shortCode: string,
    callerId: CallerId,
    owner: string | undefined,
    signal: AbortSignal,
  ): Promise<RingOutcome> {
    const { services, logger, limits } = this.deps;
    const leg = this.leg(call, shortCode, owner, true);
    const routes = emergencyRoutes(shortCode, services.carriers(), services.board);
    logger.warn(
      { call: call.id, tenant: call.tenant.id, extension: owner, shortCode, carriers: routes.length },
      'emergency call',
    );
    let last: RingOutcome = refused(503, 'No Emergency Route');
    for (const route of routes.slice(0, limits.maxEmergencyAttempts)) {
      const carrierId = route.carrier.id;
      services.board.tryAcquire(carrierId, Number.MAX_SAFE_INTEGER);
      leg.carrierId = carrierId;
      const result = await this.dial(call, route.carrier, route.dialString, shortCode, callerId, signal);
      if (result.kind === 'answered') {
        leg.answeredAt_ms = this.deps.now();
        leg.releaseSlot = once(() => services.board.release(carrierId));
        return { kind: 'answered', by: shortCode };
      }
      services.board.release(carrierId);
      if (result.kind === 'cancelled') return { kind: 'cancelled' };
      last = result.ring;
      if (!isCarrierFailure(result.attempt)) break;
    }
    return last;
  }

  private async routed(
    call: B2buaCall,
    decision: Extract<OutboundDecision, { kind: 'outside' }>,
    owner: string | undefined,
    signal: AbortSignal,
  ): Promise<RingOutcome> {
    const { services, logger, limits } = this.deps;
    const tenant = call.tenant;
    const { e164 } = decision;
    const log = { call: call.id, tenant: tenant.id, extension: owner, e164 };
    const leg = this.leg(call, e164, owner, false);
    const fraudCall: FraudCall = {
      callId: call.id,
      tenantId: tenant.id,
      extension: owner,
      e164,
      numberClass: decision.numberClass,
    };
    const verdict = services.fraud.authorise(fraudCall);
    if (!verdict.allow) {
      logger.warn(
        { ...log, reason: verdict.reason },
        `outside call refused by the fraud guard: ${verdict.message}`,
      );
      return refused(403, 'Outside Calling Restricted');
    }
    // Counted at once, before any await, so a burst of calls cannot all pass the concurrency limits.
    services.fraud.callStarted(fraudCall);
    leg.fraudCall = fraudCall;
    let answered = false;
    try {
      const credit = await services.billing.creditCheck(tenant.id);
      if (signal.aborted) return { kind: 'cancelled' };
      if (!credit.ok) {
        logger.info(log, `outside call refused: ${credit.message}`);
        return refused(402, 'Insufficient Credit');
      }
      const routes = leastCostRoutes(
        e164,
        services.carriers(),
        services.decks.carrierDecks,
        services.board,
        new Date(this.deps.now()),
      );
      if (routes.candidates.length === 0) {
        logger.warn({ ...log, skipped: routes.skipped }, 'no carrier for an outside call');
        return refused(503, 'No Route To Destination');
      }
      const limited = isLimited(tenant);
      if (limited) {
        const first = routes.candidates[0] as RouteCandidate;
        if (this.affordable(tenant, first, e164, credit.available_micro) === 0) {
          logger.info(log, 'outside call refused: the balance does not pay for the first increment');
          return refused(402, 'Insufficient Credit');
        }
      }
      const attempts = new RouteAttempts(routes.candidates, services.board, limits.maxAttempts);
      let last: RingOutcome = refused(503, 'No Carrier Available');
      for (;;) {
        const candidate = attempts.next();
        if (!candidate) break;
        leg.carrierId = candidate.carrier.id;
        const result = await this.dial(
          call,
          candidate.carrier,
          candidate.dialString,
          e164,
          decision.callerId,
          signal,
        );
        if (result.kind === 'answered') {
          attempts.answered();
          answered = true;
          leg.answeredAt_ms = this.deps.now();
          leg.releaseSlot = once(() => attempts.ended());
          if (limited) this.armLimit(call, leg, candidate, e164, credit.available_micro);
          return { kind: 'answered', by: e164 };
        }
        if (result.kind === 'cancelled') {
          attempts.ended();
          return { kind: 'cancelled' };
        }
        logger.info(
          { ...log, carrier: candidate.carrier.id, outcome: result.attempt },
          'carrier attempt failed',
        );
        last = result.ring;
        if (!attempts.failed(result.attempt)) break;
      }
      return last;
    } finally {
      if (!answered) {
        services.fraud.callEnded(call.id);
        leg.fraudCall = undefined;
      }
    }
  }

  private async dial(
    call: B2buaCall,
    carrier: CarrierConfig,
    dialled: string,
    label: string,
    callerId: CallerId,
    signal: AbortSignal,
  ): Promise<CarrierDialResult> {
    try {
      const target: Target | undefined = await this.deps.resolver.target(carrierUri(carrier));
      return await dialCarrier({
        call,
        label,
        carrier,
        dialString: dialled,
        callerId,
        target,
        signal,
        timers: { setup_ms: this.deps.limits.carrierSetup_ms, ring_ms: this.deps.limits.ring_ms },
        digest: this.digestFor(carrier),
      });
    } catch (error) {
      // A fault here must not leak the carrier's call slot: it counts as this carrier failing.
      this.deps.logger.error({ err: error, call: call.id, carrier: carrier.id }, 'dialling a carrier failed');
      return {
        kind: 'failed',
        attempt: { kind: 'transport-error', message: String(error) },
        ring: refused(500, 'Server Internal Error'),
      };
    }
  }

  /** One digest client per registering carrier, so INVITEs reuse the nonce the carrier gave. */
  private digestFor(carrier: CarrierConfig): DigestClient | undefined {
    if (carrier.auth.mode !== 'register') return undefined;
    const held = this.digests.get(carrier.id);
    if (held && held.password === carrier.auth.password) return held.client;
    const client = new DigestClient({ username: carrier.auth.username, password: carrier.auth.password });
    this.digests.set(carrier.id, { password: carrier.auth.password, client });
    return client;
  }

  /** The tenant's price for a call over `candidate`: its price list's rate, else the carrier's plus margin. */
  private priceRow(tenant: TenantConfig, candidate: RouteCandidate, e164: string): RateRow {
    const listId = tenant.billing?.priceList;
    const list =
      listId === undefined ? undefined : this.deps.services.decks.get({ kind: 'pricelist', id: listId });
    const listed = list?.lookup(e164, this.deps.now());
    if (listed) return listed;
    const margin = tenant.billing?.marginPercent;
    return {
      ...candidate.rate,
      rate_micro_per_min: withMargin(candidate.rate.rate_micro_per_min, margin),
      connect_micro: withMargin(candidate.rate.connect_micro, margin),
    };
  }

  private affordable(
    tenant: TenantConfig,
    candidate: RouteCandidate,
    e164: string,
    available_micro: bigint,
  ): number {
    return affordableSeconds(
      available_micro,
      this.priceRow(tenant, candidate, e164),
      this.deps.limits.maxLimitedCall_s,
    );
  }

  /** Ends a call on a limited account when the money runs out (a prepaid session timer). */
  private armLimit(
    call: B2buaCall,
    leg: OutboundTrunkLeg,
    candidate: RouteCandidate,
    e164: string,
    available_micro: bigint,
  ): void {
    const seconds = this.affordable(call.tenant, candidate, e164, available_micro);
    leg.limitTimer = setTimeout(() => {
      this.deps.logger.info(
        { call: call.id, tenant: call.tenant.id, seconds },
        'the balance is used up: ending the outside call',
      );
      call.hangup('system');
    }, seconds * 1000);
    leg.limitTimer.unref();
  }
}

/** Accounts where a call may not run past what the balance pays for. */
function isLimited(tenant: TenantConfig): boolean {
  return tenant.billing?.mode === 'prepaid' || tenant.billing?.creditLimit !== undefined;
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}

function refusalOutcome(decision: Extract<OutboundDecision, { kind: 'refused' }>): RingOutcome {
  switch (decision.reason) {
    case 'not-permitted':
      return refused(403, 'Outside Call Not Permitted');
    case 'outside-prefix-missing':
      return refused(404, 'Dial The Outside Prefix First');
    case 'invalid-number':
      return refused(404, 'Invalid Number');
  }
}
