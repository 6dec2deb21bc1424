import type { TenantDirectory } from '../directory/tenant-directory.js';
import { autoAnswerHeaders } from '../features/intercom.js';
import type { ExtensionConfig, TenantConfig } from '../provisioning/tenant-config.js';
import type { LocationService } from '../registrar/location-service.js';
import { type Destination, destinationOf, formatDestination } from '../routing/destination.js';
import type { RingGroupConfig } from './call-features-config.js';
import type { ApplicationContext, CallLegs, RingOutcome, RingTarget } from './ring-outcome.js';

/** Limits of the router (STYLE.md 14). */
export interface CallRouterLimits {
  /** Destinations one call may pass through before the router stops it as a loop. */
  readonly maxHops: number;
  /** How long an extension without no-answer forwarding rings before the caller hears "no answer". */
  readonly unansweredRing_s: number;
  /** How long an intercom call rings a phone that does not answer by itself. */
  readonly intercomRing_s: number;
}

export const defaultCallRouterLimits: CallRouterLimits = {
  maxHops: 10,
  unansweredRing_s: 120,
  intercomRing_s: 15,
};

export interface RoutedCall {
  /** How the call ended up. */
  readonly outcome: RingOutcome;
  /** Every destination the call passed through, in order (for the CDR). */
  readonly path: readonly string[];
}

/** Where round-robin ring groups start next time, per tenant and group. */
export class RoundRobinPointers {
  private readonly next = new Map<string, number>();
  get(tenantId: string, groupId: string): number {
    return this.next.get(`${tenantId}\u0000${groupId}`) ?? 0;
  }
  set(tenantId: string, groupId: string, index: number): void {
    this.next.set(`${tenantId}\u0000${groupId}`, index);
  }
}

interface Walk {
  readonly tenant: TenantConfig;
  readonly legs: CallLegs;
  readonly signal: AbortSignal;
  readonly path: string[];
  /** Why the next destination is reached (set by forwarding, read by applications). */
  context: ApplicationContext | undefined;
}

/**
 * Decides where a call goes and drives the attempts through `CallLegs`:
 * extensions with their DND and forwarding (unconditional, busy, no answer,
 * unreachable), ring groups (simultaneous, hunt, round robin, with a final
 * destination), applications and outside numbers. Forwarding loops are
 * stopped. pbx.md §4.
 */
export class CallRouter {
  constructor(
    private readonly directory: () => TenantDirectory,
    private readonly location: LocationService,
    private readonly pointers = new RoundRobinPointers(),
    private readonly limits: CallRouterLimits = defaultCallRouterLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Routes a call to `destination` (a destination string or parsed) within `tenant`. */
  async route(
    tenant: TenantConfig,
    destination: Destination | string,
    legs: CallLegs,
    signal: AbortSignal,
  ): Promise<RoutedCall> {
    const walk: Walk = { tenant, legs, signal, path: [], context: undefined };
    const target = typeof destination === 'string' ? destinationOf(destination) : destination;
    const outcome = await this.deliver(target, walk);
    return { outcome, path: walk.path };
  }

  private async deliver(destination: Destination, walk: Walk): Promise<RingOutcome> {
    if (walk.signal.aborted) return { kind: 'cancelled' };
    const context = walk.context;
    walk.context = undefined;
    const label = formatDestination(destination);
    if (walk.path.length >= this.limits.maxHops) {
      walk.path.push(label);
      return { kind: 'unavailable', reason: 'too many forwarding steps' };
    }
    // An extension or group seen before on this call means forwarding goes round in a circle.
    if (destination.kind !== 'hangup' && walk.path.includes(label)) {
      walk.path.push(label);
      return { kind: 'unavailable', reason: 'forwarding loop' };
    }
    walk.path.push(label);
    switch (destination.kind) {
      case 'extension':
        return this.deliverToExtension(destination.number, walk);
      case 'ringgroup': {
        const group = this.directory().ringGroup(walk.tenant.id, destination.id);
        return group ? this.deliverToGroup(group, walk) : { kind: 'not-found' };
      }
      case 'number':
        return walk.legs.outside(destination.number, walk.signal, [...walk.path]);
      case 'feature':
        if (destination.feature === 'intercom' && destination.argument !== undefined)
          return this.deliverIntercom(destination.argument, walk);
        return walk.legs.application(label, walk.signal, context);
      case 'voicemail':
      case 'ivr':
      case 'conference':
        return walk.legs.application(label, walk.signal, context);
      case 'hangup':
        return { kind: 'unavailable', reason: 'hangup' };
    }
  }

  /**
   * Follows a forwarding rule if the extension has one for this case, else
   * its own voicemail box when it has one enabled (docs/voicemail.md);
   * otherwise ends with `fallback`.
   */
  private async forwardOr(
    extension: ExtensionConfig,
    rule: 'busy' | 'noAnswer' | 'unreachable',
    fallback: RingOutcome,
    walk: Walk,
    reason: NonNullable<ApplicationContext['reason']>,
  ) {
    const target =
      extension.forward?.[rule] ??
      (extension.voicemail?.enabled ? `voicemail:${extension.number}` : undefined);
    if (target === undefined) return fallback;
    walk.context = { reason, forwardedFrom: extension.number };
    return this.deliver(destinationOf(target), walk);
  }

  private async deliverToExtension(number: string, walk: Walk): Promise<RingOutcome> {
    const extension = this.directory().extension(walk.tenant.id, number);
    if (!extension) return { kind: 'not-found' };
    if (extension.dnd) return this.forwardOr(extension, 'busy', { kind: 'busy' }, walk, 'dnd');
    if (extension.forward?.always !== undefined) {
      walk.context = { reason: 'always', forwardedFrom: number };
      return this.deliver(destinationOf(extension.forward.always), walk);
    }
    const bindings = this.location.lookup(walk.tenant.id, number);
    if (bindings.length === 0) {
      return this.forwardOr(
        extension,
        'unreachable',
        { kind: 'unavailable', reason: 'not registered' },
        walk,
        'unreachable',
      );
    }
    const noAnswerHandled =
      extension.forward?.noAnswer !== undefined || extension.voicemail?.enabled === true;
    const ring_s = noAnswerHandled ? extension.ringTime_s : this.limits.unansweredRing_s;
    const outcome = await walk.legs.ring([{ extension: number, bindings }], ring_s * 1000, walk.signal);
    switch (outcome.kind) {
      case 'busy':
      case 'declined':
        // A declined call goes where a busy one would: usually voicemail.
        return this.forwardOr(extension, 'busy', outcome, walk, 'busy');
      case 'no-answer':
        return this.forwardOr(extension, 'noAnswer', outcome, walk, 'no-answer');
      case 'unavailable':
      case 'failed':
        // Registered, but no device could be reached (dead NAT binding, device error).
        return this.forwardOr(extension, 'unreachable', outcome, walk, 'unreachable');
      default:
        return outcome;
    }
  }

  /**
   * Intercom (`*80` + extension): that extension's own devices only, asked to
   * answer by themselves; no forwarding, no voicemail, a short ring. DND is
   * respected (busy).
   */
  private async deliverIntercom(number: string, walk: Walk): Promise<RingOutcome> {
    const extension = this.directory().extension(walk.tenant.id, number);
    if (!extension) return { kind: 'not-found' };
    walk.path.push(`extension:${number}`);
    if (extension.dnd) return { kind: 'busy' };
    const bindings = this.location.lookup(walk.tenant.id, number);
    if (bindings.length === 0) return { kind: 'unavailable', reason: 'not registered' };
    const headers = autoAnswerHeaders(walk.tenant.domain);
    return walk.legs.ring(
      [{ extension: number, bindings, headers }],
      this.limits.intercomRing_s * 1000,
      walk.signal,
    );
  }

  /** Members a group can ring now: not on DND and with at least one registered device. */
  private reachable(member: { extension: string }, walk: Walk): RingTarget | undefined {
    const extension = this.directory().extension(walk.tenant.id, member.extension);
    if (!extension || extension.dnd) return undefined;
    const bindings = this.location.lookup(walk.tenant.id, member.extension);
    return bindings.length > 0 ? { extension: member.extension, bindings } : undefined;
  }

  private async deliverToGroup(group: RingGroupConfig, walk: Walk): Promise<RingOutcome> {
    const deadline = this.now() + group.timeout_s * 1000;
    const remaining = () => Math.max(0, deadline - this.now());
    if (group.strategy === 'simultaneous') {
      const targets = group.members.map((m) => this.reachable(m, walk)).filter((t) => t !== undefined);
      if (targets.length > 0) {
        const outcome = await walk.legs.ring(targets, remaining(), walk.signal);
        if (outcome.kind === 'answered' || outcome.kind === 'cancelled') return outcome;
      }
    } else {
      const count = group.members.length;
      const start = group.strategy === 'roundRobin' ? this.pointers.get(walk.tenant.id, group.id) % count : 0;
      for (let step = 0; step < count && remaining() > 0; step++) {
        const index = (start + step) % count;
        const member = group.members[index];
        if (!member) continue;
        const target = this.reachable(member, walk);
        if (!target) continue;
        if (group.strategy === 'roundRobin') this.pointers.set(walk.tenant.id, group.id, index + 1);
        const memberRing_s = 'ringTime_s' in member ? member.ringTime_s : undefined;
        const ring_ms = Math.min((memberRing_s ?? group.ringTime_s) * 1000, remaining());
        const outcome = await walk.legs.ring([target], ring_ms, walk.signal);
        if (outcome.kind === 'answered' || outcome.kind === 'cancelled') return outcome;
      }
    }
    if (walk.signal.aborted) return { kind: 'cancelled' };
    return this.deliver(destinationOf(group.finally), walk);
  }
}
