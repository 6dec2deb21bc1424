import {
  createRequest,
  Dialog,
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
  type Target,
} from '@telekommune/sip';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { LocationService } from '../registrar/location-service.js';
import { bindingTarget, targetOfSipFlow } from '../sip/flows.js';
import type { SecurityMonitor } from '../sip/security-monitor.js';
import type { MessageCounts } from '../voicemail/voicemail-repository.js';
import { formatMessageSummary, MESSAGE_SUMMARY_TYPE } from './message-summary.js';

export interface MwiLimits {
  readonly maxSubscriptions: number;
  readonly minExpires_s: number;
  readonly maxExpires_s: number;
  readonly defaultExpires_s: number;
}

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

interface Subscription {
  readonly key: string;
  readonly tenantId: string;
  readonly box: string;
  readonly account: string;
  readonly dialog: Dialog;
  readonly target: Target;
  expiresAt_ms: number;
  timer: NodeJS.Timeout | undefined;
  /** NOTIFYs go one at a time, in order. */
  queue: Promise<void>;
}

const key = (callId: string, localTag: string, remoteTag: string) =>
  `${callId}\u0000${localTag}\u0000${remoteTag}`;

/**
 * The message-waiting indication notifier: SUBSCRIBE/NOTIFY for the
 * message-summary event package (RFC 3842) with RFC 6665 subscriptions
 * (digest-authenticated, a box's owner only; expiry, refresh, unsubscribe,
 * fetch with Expires 0; a NOTIFY on every change of the box), and
 * unsolicited NOTIFYs to the registered devices of boxes configured for
 * them (phones that never subscribe).
 */
export class MwiServer {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byBox = new Map<string, Set<Subscription>>();
  private readonly limits: MwiLimits;
  private readonly now: () => number;

  constructor(private readonly deps: MwiServerDeps) {
    this.limits = { ...defaultMwiLimits, ...deps.limits };
    this.now = deps.now ?? Date.now;
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
    const expires = this.expiresOf(request);
    if (expires === 'too-brief') {
      transaction.reply(423, { headers: [['Min-Expires', String(this.limits.minExpires_s)]] });
      return;
    }
    if (this.subscriptions.size >= this.limits.maxSubscriptions) {
      transaction.reply(503, { headers: [['Retry-After', '60']] });
      return;
    }
    const contact = this.deps.stack().contactUri(transaction.flow.protocol);
    let dialog: Dialog;
    try {
      dialog = Dialog.fromUasRequest(request, transaction.toTag, {
        localContact: nameAddr({ uri: contact }),
      });
    } catch {
      transaction.reply(400, { reason: 'Missing Contact' });
      return;
    }
    transaction.reply(200, {
      headers: [
        ['Expires', String(expires)],
        ['Contact', `<${formatUri(contact)}>`],
      ],
    });
    const subscription: Subscription = {
      key: key(dialog.id.callId, dialog.id.localTag, dialog.id.remoteTag),
      tenantId: tenant.id,
      box,
      account: formatUri(sipUri({ user: box, host: tenant.domain })),
      dialog,
      target: targetOfSipFlow(transaction.flow),
      expiresAt_ms: this.now() + expires * 1000,
      timer: undefined,
      queue: Promise.resolve(),
    };
    if (expires === 0) {
      // A fetch (RFC 6665 §4.4.3): one NOTIFY with the state, and the subscription is over.
      this.notify(subscription, 'terminated;reason=timeout');
      return;
    }
    this.add(subscription);
    this.notify(subscription, this.activeState(subscription));
  }

  /** An in-dialog request; true when it belonged to a subscription (and was answered). */
  inDialog(request: SipRequest, transaction: ServerTransaction): boolean {
    const toTag = request.toTag;
    if (toTag === undefined) return false;
    const subscription = this.subscriptions.get(key(request.callId, toTag, request.fromTag ?? ''));
    if (!subscription) return false;
    if (request.method !== 'SUBSCRIBE') {
      transaction.reply(405, { headers: [['Allow', 'SUBSCRIBE']] });
      return true;
    }
    const check = subscription.dialog.receiveRequest(request);
    if (!check.accept) {
      transaction.reply(check.status, { reason: check.reason });
      return true;
    }
    const expires = this.expiresOf(request);
    if (expires === 'too-brief') {
      transaction.reply(423, { headers: [['Min-Expires', String(this.limits.minExpires_s)]] });
      return true;
    }
    transaction.reply(200, { headers: [['Expires', String(expires)]] });
    if (expires === 0) {
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=timeout');
      return true;
    }
    subscription.expiresAt_ms = this.now() + expires * 1000;
    this.arm(subscription);
    this.notify(subscription, this.activeState(subscription));
    return true;
  }

  /** A box's counts changed: every subscriber and (when configured) every registered device hears of it. */
  changed(tenantId: string, box: string): void {
    for (const subscription of this.byBox.get(`${tenantId}\u0000${box}`) ?? []) {
      this.notify(subscription, this.activeState(subscription));
    }
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
  async close(): Promise<void> {
    const all = [...this.subscriptions.values()];
    for (const subscription of all) {
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=noresource');
    }
    await Promise.allSettled(all.map((s) => s.queue));
  }

  private expiresOf(request: SipRequest): number | 'too-brief' {
    const asked = request.expires ?? this.limits.defaultExpires_s;
    if (asked === 0) return 0;
    if (asked < this.limits.minExpires_s) return 'too-brief';
    return Math.min(asked, this.limits.maxExpires_s);
  }

  private activeState(subscription: Subscription): string {
    const left = Math.max(0, Math.round((subscription.expiresAt_ms - this.now()) / 1000));
    return `active;expires=${left}`;
  }

  private add(subscription: Subscription): void {
    this.subscriptions.set(subscription.key, subscription);
    const boxKey = `${subscription.tenantId}\u0000${subscription.box}`;
    const set = this.byBox.get(boxKey) ?? new Set();
    set.add(subscription);
    this.byBox.set(boxKey, set);
    this.arm(subscription);
  }

  private remove(subscription: Subscription): void {
    if (subscription.timer) clearTimeout(subscription.timer);
    subscription.timer = undefined;
    this.subscriptions.delete(subscription.key);
    const boxKey = `${subscription.tenantId}\u0000${subscription.box}`;
    const set = this.byBox.get(boxKey);
    set?.delete(subscription);
    if (set?.size === 0) this.byBox.delete(boxKey);
  }

  private arm(subscription: Subscription): void {
    if (subscription.timer) clearTimeout(subscription.timer);
    const delay = Math.max(0, subscription.expiresAt_ms - this.now());
    subscription.timer = setTimeout(() => {
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=timeout');
    }, delay);
    subscription.timer.unref();
  }

  /** Queues a NOTIFY with the box's current counts; a refusal ends the subscription (RFC 6665 §4.1.3). */
  private notify(subscription: Subscription, state: string): void {
    subscription.queue = subscription.queue
      .then(async () => {
        if (subscription.dialog.state === 'terminated') return;
        const counts = await this.deps.counts(subscription.tenantId, subscription.box);
        const request = subscription.dialog.createRequest('NOTIFY', {
          headers: [
            ['Event', 'message-summary'],
            ['Subscription-State', state],
          ],
          body: formatMessageSummary(subscription.account, counts),
          contentType: MESSAGE_SUMMARY_TYPE,
        });
        if (state.startsWith('terminated')) subscription.dialog.terminate();
        const response = await this.deps.stack().request(request, { target: subscription.target });
        if (response.status >= 300 && this.subscriptions.has(subscription.key)) {
          this.deps.log(
            'debug',
            { box: subscription.box, status: response.status },
            'MWI NOTIFY refused: subscription ended',
          );
          this.remove(subscription);
          subscription.dialog.terminate();
        }
      })
      .catch((error: unknown) => {
        this.deps.log('warn', { box: subscription.box, err: String(error) }, 'MWI NOTIFY failed');
      });
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
