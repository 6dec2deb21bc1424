import {
  Dialog,
  formatUri,
  nameAddr,
  type ServerTransaction,
  type SipRequest,
  type SipStack,
  type Target,
} from '@telekommune/sip';
import { targetOfSipFlow } from './flows.js';

export interface SubscriptionLimits {
  readonly maxSubscriptions: number;
  readonly minExpires_s: number;
  readonly maxExpires_s: number;
  readonly defaultExpires_s: number;
}

/** What every RFC 6665 subscription the PBX serves holds, whatever its event package. */
export interface EventSubscription {
  readonly key: string;
  /** What it watches (a voicemail box, an extension), e.g. `tenant\0number`. */
  readonly resource: string;
  readonly dialog: Dialog;
  readonly target: Target;
  expiresAt_ms: number;
  timer: NodeJS.Timeout | undefined;
  /** NOTIFYs go one at a time, in order. */
  queue: Promise<void>;
}

/** A NOTIFY's body, made when the NOTIFY leaves (so it shows the state of that moment). */
export type NotifyContent = () =>
  | Promise<{ readonly body: string; readonly contentType: string }>
  | { readonly body: string; readonly contentType: string };

/** Why a subscription gets a NOTIFY, for the package to choose the body. */
export type NotifyCause =
  | 'subscribed'
  | 'refreshed'
  | 'changed'
  | 'unsubscribed'
  | 'fetched'
  | 'expired'
  | 'shutdown';

export interface EventSubscriptionsOptions<S extends EventSubscription> {
  /** The event package, as the Event header names it. */
  readonly event: string;
  readonly stack: () => SipStack;
  readonly log: (level: 'debug' | 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
  readonly limits: SubscriptionLimits;
  readonly now: () => number;
  /** The body of a NOTIFY the table sends on its own (refresh, expiry, unsubscribe, shutdown). */
  readonly content: (subscription: S, cause: NotifyCause) => NotifyContent;
  /** Told after a subscription left the table, so the package can drop what only it needed. */
  readonly removed?: (subscription: S) => void;
}

const ACTIVE = (left_s: number) => `active;expires=${left_s}`;

const dialogKey = (callId: string, localTag: string, remoteTag: string) =>
  `${callId}\u0000${localTag}\u0000${remoteTag}`;

/**
 * The RFC 6665 side of a notifier, shared by the event packages the PBX
 * serves (message-summary for MWI, dialog for busy lamps): the table of
 * subscriptions by dialog and by watched resource, Expires within limits
 * (423 below the minimum), the subscription's dialog and its 200, refresh
 * and unsubscribe inside the dialog (405 for other methods), expiry
 * timers, NOTIFYs queued one at a time per subscription with the
 * Subscription-State, a refused NOTIFY ending the subscription (§4.1.3),
 * and NOTIFY terminated;reason=noresource to all at shutdown. The package
 * decides who may subscribe to what and what its NOTIFYs say.
 */
export class EventSubscriptions<S extends EventSubscription> {
  private readonly subscriptions = new Map<string, S>();
  private readonly byResource = new Map<string, Set<S>>();

  constructor(private readonly options: EventSubscriptionsOptions<S>) {}

  get size(): number {
    return this.subscriptions.size;
  }

  /** True when `resource` has at least one subscriber. */
  watched(resource: string): boolean {
    return this.byResource.has(resource);
  }

  /** The subscriptions watching `resource`. */
  watching(resource: string): Iterable<S> {
    return this.byResource.get(resource) ?? [];
  }

  /**
   * The Expires a SUBSCRIBE gets: its own (or the default) capped at the
   * maximum, 0 for a fetch or unsubscribe; undefined after replying 423
   * to one shorter than the minimum.
   */
  expiresOf(request: SipRequest, transaction: ServerTransaction): number | undefined {
    const asked = request.expires ?? this.options.limits.defaultExpires_s;
    if (asked === 0) return 0;
    if (asked < this.options.limits.minExpires_s) {
      transaction.reply(423, { headers: [['Min-Expires', String(this.options.limits.minExpires_s)]] });
      return undefined;
    }
    return Math.min(asked, this.options.limits.maxExpires_s);
  }

  /** False after replying 503 when the table is full. */
  hasRoom(transaction: ServerTransaction, full = false): boolean {
    if (full || this.subscriptions.size >= this.options.limits.maxSubscriptions) {
      transaction.reply(503, { headers: [['Retry-After', '60']] });
      return false;
    }
    return true;
  }

  /**
   * Accepts a new subscription: builds its dialog and replies 200 with the
   * Expires granted. Undefined after replying 400 when the SUBSCRIBE
   * cannot make a dialog (no Contact).
   */
  accept(
    request: SipRequest,
    transaction: ServerTransaction,
    expires: number,
  ): { dialog: Dialog; key: string; target: Target; expiresAt_ms: number } | undefined {
    const contact = this.options.stack().contactUri(transaction.flow.protocol);
    let dialog: Dialog;
    try {
      dialog = Dialog.fromUasRequest(request, transaction.toTag, {
        localContact: nameAddr({ uri: contact }),
      });
    } catch {
      transaction.reply(400, { reason: 'Missing Contact' });
      return undefined;
    }
    transaction.reply(200, {
      headers: [
        ['Expires', String(expires)],
        ['Contact', `<${formatUri(contact)}>`],
      ],
    });
    return {
      dialog,
      key: dialogKey(dialog.id.callId, dialog.id.localTag, dialog.id.remoteTag),
      target: targetOfSipFlow(transaction.flow),
      expiresAt_ms: this.options.now() + expires * 1000,
    };
  }

  /**
   * Starts an accepted subscription: files it and sends its first NOTIFY;
   * with Expires 0 (a fetch, §4.4.3) only one NOTIFY, terminated.
   */
  start(subscription: S, expires: number): void {
    if (expires === 0) {
      this.notify(subscription, 'terminated;reason=timeout', this.options.content(subscription, 'fetched'));
      return;
    }
    this.subscriptions.set(subscription.key, subscription);
    let set = this.byResource.get(subscription.resource);
    if (!set) {
      set = new Set();
      this.byResource.set(subscription.resource, set);
    }
    set.add(subscription);
    this.arm(subscription);
    this.notify(
      subscription,
      this.activeState(subscription),
      this.options.content(subscription, 'subscribed'),
    );
  }

  /** An in-dialog request; true when it belonged to a subscription (and was answered). */
  inDialog(request: SipRequest, transaction: ServerTransaction): boolean {
    const toTag = request.toTag;
    if (toTag === undefined) return false;
    const subscription = this.subscriptions.get(dialogKey(request.callId, toTag, request.fromTag ?? ''));
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
    const expires = this.expiresOf(request, transaction);
    if (expires === undefined) return true;
    transaction.reply(200, { headers: [['Expires', String(expires)]] });
    if (expires === 0) {
      const content = this.options.content(subscription, 'unsubscribed');
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=timeout', content);
      return true;
    }
    subscription.expiresAt_ms = this.options.now() + expires * 1000;
    this.arm(subscription);
    this.notify(
      subscription,
      this.activeState(subscription),
      this.options.content(subscription, 'refreshed'),
    );
    return true;
  }

  /** The watched resource changed: a NOTIFY to each of its subscribers. */
  changed(resource: string): void {
    for (const subscription of this.watching(resource)) {
      this.notify(
        subscription,
        this.activeState(subscription),
        this.options.content(subscription, 'changed'),
      );
    }
  }

  /** The Subscription-State of a live subscription: active, with the seconds it has left. */
  activeState(subscription: S): string {
    return ACTIVE(Math.max(0, Math.round((subscription.expiresAt_ms - this.options.now()) / 1000)));
  }

  /** Queues a NOTIFY; a refusal ends the subscription (RFC 6665 §4.1.3). */
  notify(subscription: S, state: string, content: NotifyContent): void {
    subscription.queue = subscription.queue
      .then(async () => {
        if (subscription.dialog.state === 'terminated') return;
        const { body, contentType } = await content();
        const request = subscription.dialog.createRequest('NOTIFY', {
          headers: [
            ['Event', this.options.event],
            ['Subscription-State', state],
          ],
          body,
          contentType,
        });
        if (state.startsWith('terminated')) subscription.dialog.terminate();
        const response = await this.options.stack().request(request, { target: subscription.target });
        if (response.status >= 300 && this.subscriptions.has(subscription.key)) {
          this.options.log(
            'debug',
            { event: this.options.event, resource: subscription.resource, status: response.status },
            'NOTIFY refused: subscription ended',
          );
          this.remove(subscription);
          subscription.dialog.terminate();
        }
      })
      .catch((error: unknown) => {
        this.options.log(
          'warn',
          { event: this.options.event, resource: subscription.resource, err: String(error) },
          'NOTIFY failed',
        );
      });
  }

  /** Ends every subscription (shutdown): NOTIFY terminated;reason=noresource. */
  async close(): Promise<void> {
    const all = [...this.subscriptions.values()];
    for (const subscription of all) {
      const content = this.options.content(subscription, 'shutdown');
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=noresource', content);
    }
    await Promise.allSettled(all.map((s) => s.queue));
  }

  private remove(subscription: S): void {
    if (subscription.timer) clearTimeout(subscription.timer);
    subscription.timer = undefined;
    if (!this.subscriptions.delete(subscription.key)) return;
    const set = this.byResource.get(subscription.resource);
    set?.delete(subscription);
    if (set?.size === 0) this.byResource.delete(subscription.resource);
    this.options.removed?.(subscription);
  }

  private arm(subscription: S): void {
    if (subscription.timer) clearTimeout(subscription.timer);
    const delay = Math.max(0, subscription.expiresAt_ms - this.options.now());
    subscription.timer = setTimeout(() => {
      const content = this.options.content(subscription, 'expired');
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=timeout', content);
    }, delay);
    subscription.timer.unref();
  }
}
