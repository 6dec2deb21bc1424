import {
  createRequest,
  type DigestServer,
  formatUri,
  generateCallId,
  type NameAddr,
  nameAddr,
  parseUri,
  type ServerTransaction,
  type SipRequest,
  type SipStack,
  sipUri,
} from '@telekommune/sip';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { LocationService } from '../registrar/location-service.js';
import {
  type EventSubscription,
  EventSubscriptions,
  type SubscriptionLimits,
} from '../sip/event-subscriptions.js';
import { bindingTarget } from '../sip/flows.js';
import type { SecurityMonitor } from '../sip/security-monitor.js';
import type { MessageCounts } from '../voicemail/voicemail-repository.js';
import { formatMessageSummary, MESSAGE_SUMMARY_TYPE } from './message-summary.js';

export type MwiLimits = SubscriptionLimits;

export const defaultMwiLimits: MwiLimits = {
  maxSubscriptions: 20_000,
  minExpires_s: 60,
  maxExpires_s: 3600,
  defaultExpires_s: 3600,
};

export interface MwiServerDeps {
  readonly stack: () => SipStack;
  readonly directory: () => TenantDirectory;
  readonly location: LocationService;
  readonly digest: DigestServer;
  readonly security: SecurityMonitor;
  readonly counts: (tenantId: string, box: string) => Promise<MessageCounts>;
  readonly log: (level: 'debug' | 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
  readonly limits?: Partial<MwiLimits>;
  readonly now?: () => number;
}

interface Subscription extends EventSubscription {
  readonly tenantId: string;
  readonly box: string;
  readonly account: string;
}

const boxKey = (tenantId: string, box: string) => `${tenantId}\u0000${box}`;

/**
 * The message-waiting indication notifier: SUBSCRIBE/NOTIFY for the
 * message-summary event package (RFC 3842) with RFC 6665 subscriptions
 * (digest-authenticated, a box's owner only; expiry, refresh, unsubscribe,
 * fetch with Expires 0; a NOTIFY on every change of the box), and
 * unsolicited NOTIFYs to the registered devices of boxes configured for
 * them (phones that never subscribe).
 */
export class MwiServer {
  private readonly subscriptions: EventSubscriptions<Subscription>;

  constructor(private readonly deps: MwiServerDeps) {
    this.subscriptions = new EventSubscriptions<Subscription>({
      event: 'message-summary',
      stack: deps.stack,
      log: deps.log,
      limits: { ...defaultMwiLimits, ...deps.limits },
      now: deps.now ?? Date.now,
      // Every NOTIFY carries the box's counts as they are when it leaves.
      content: (subscription) => async () => ({
        body: formatMessageSummary(
          subscription.account,
          await this.deps.counts(subscription.tenantId, subscription.box),
        ),
        contentType: MESSAGE_SUMMARY_TYPE,
      }),
    });
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** A SUBSCRIBE outside a dialog. */
  async subscribe(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const event = request.event;
    if (event?.type.toLowerCase() !== 'message-summary') {
      transaction.reply(489, { headers: [['Allow-Events', 'message-summary']] });
      return;
    }
    const accept = request.header('accept');
    if (accept !== undefined && !accept.toLowerCase().includes(MESSAGE_SUMMARY_TYPE)) {
      transaction.reply(406, { headers: [['Accept', MESSAGE_SUMMARY_TYPE]] });
      return;
    }
    const uri = request.uri;
    const directory = this.deps.directory();
    const tenant = uri.kind === 'sip' ? directory.tenantByDomain(uri.host) : undefined;
    const box = uri.kind === 'sip' ? uri.user : undefined;
    if (!tenant || box === undefined) {
      transaction.reply(404, { reason: 'Not Found' });
      return;
    }
    const source = transaction.flow.remoteAddress;
    const auth = await this.deps.digest.authenticate(request, { realm: tenant.domain });
    if (auth.kind === 'challenge') {
      if (auth.reason !== 'no-credentials' && !auth.stale)
        this.deps.security.authFailed(source, auth.username);
      transaction.reply(auth.status, { headers: auth.headers });
      return;
    }
    const extension = directory.extension(tenant.id, box);
    if (auth.username !== box || !extension?.voicemail?.enabled) {
      // Only the box's own extension may watch it; a box that does not exist looks the same.
      transaction.reply(403, { reason: 'Not Your Mailbox' });
      return;
    }
    this.deps.security.authSucceeded(source);
    const expires = this.subscriptions.expiresOf(request, transaction);
    if (expires === undefined || !this.subscriptions.hasRoom(transaction)) return;
    const accepted = this.subscriptions.accept(request, transaction, expires);
    if (!accepted) return;
    this.subscriptions.start(
      {
        ...accepted,
        resource: boxKey(tenant.id, box),
        tenantId: tenant.id,
        box,
        account: formatUri(sipUri({ user: box, host: tenant.domain })),
        timer: undefined,
        queue: Promise.resolve(),
      },
      expires,
    );
  }

  /** An in-dialog request; true when it belonged to a subscription (and was answered). */
  inDialog(request: SipRequest, transaction: ServerTransaction): boolean {
    return this.subscriptions.inDialog(request, transaction);
  }

  /** A box's counts changed: every subscriber and (when configured) every registered device hears of it. */
  changed(tenantId: string, box: string): void {
    this.subscriptions.changed(boxKey(tenantId, box));
    const extension = this.deps.directory().extension(tenantId, box);
    if (extension?.voicemail?.enabled && extension.voicemail.unsolicitedMwi) {
      void this.unsolicited(tenantId, box).catch((error: unknown) =>
        this.deps.log('warn', { tenantId, box, err: String(error) }, 'unsolicited MWI failed'),
      );
    }
  }

  /**
   * Devices newly registered for a box: when the box is configured for
   * unsolicited MWI they get its counts at once, so a phone that restarts
   * shows the right lamp without waiting for the next change.
   */
  registered(tenantId: string, box: string, contacts: readonly string[]): void {
    const extension = this.deps.directory().extension(tenantId, box);
    if (!extension?.voicemail?.enabled || !extension.voicemail.unsolicitedMwi) return;
    const only = new Set(contacts);
    void this.unsolicited(tenantId, box, (contact) => only.has(contact)).catch((error: unknown) =>
      this.deps.log('warn', { tenantId, box, err: String(error) }, 'unsolicited MWI failed'),
    );
  }

  /** Ends every subscription (shutdown): NOTIFY terminated;reason=noresource. */
  close(): Promise<void> {
    return this.subscriptions.close();
  }

  private async unsolicited(
    tenantId: string,
    box: string,
    only: (contact: string) => boolean = () => true,
  ): Promise<void> {
    const tenant = this.deps.directory().tenant(tenantId);
    if (!tenant) return;
    const counts = await this.deps.counts(tenantId, box);
    const account = sipUri({ user: box, host: tenant.domain });
    const body = formatMessageSummary(formatUri(account), counts);
    for (const binding of this.deps.location.lookup(tenantId, box).slice(0, 16)) {
      if (!only(binding.contact)) continue;
      let contact: ReturnType<typeof parseUri> | undefined;
      try {
        contact = parseUri(binding.contact);
      } catch {
        continue;
      }
      const from: NameAddr = nameAddr({ uri: account });
      const request = createRequest({
        method: 'NOTIFY',
        uri: contact,
        from,
        to: nameAddr({ uri: account }),
        callId: generateCallId(),
        cseq: 1,
        headers: [
          ['Event', 'message-summary'],
          ['Subscription-State', 'active'],
        ],
        body,
        contentType: MESSAGE_SUMMARY_TYPE,
      });
      void this.deps.stack().request(request, { target: bindingTarget(binding, contact) });
    }
  }
}
