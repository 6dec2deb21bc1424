import {
  Dialog,
  type DigestServer,
  formatUri,
  nameAddr,
  type ServerTransaction,
  type SipRequest,
  type SipStack,
  type Target,
} from '@telekommune/sip';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { CallObserver } from '../sip/call-registry.js';
import { targetOfSipFlow } from '../sip/flows.js';
import type { SecurityMonitor } from '../sip/security-monitor.js';
import { callDialogs, type WatchedCall } from './call-dialogs.js';
import { DIALOG_INFO_TYPE, type DialogView, formatDialogInfo } from './dialog-info.js';

export const DIALOG_EVENT = 'dialog';

export interface DialogEventLimits {
  readonly maxSubscriptions: number;
  /** Subscriptions one extension may hold (a phone with many BLF keys holds one per key). */
  readonly maxPerWatcher: number;
  readonly minExpires_s: number;
  readonly maxExpires_s: number;
  readonly defaultExpires_s: number;
  /** Dialogs listed in one NOTIFY at most (a busy extension's lamp needs only the first few). */
  readonly maxDialogsPerNotify: number;
}

export const defaultDialogEventLimits: DialogEventLimits = {
  maxSubscriptions: 20_000,
  maxPerWatcher: 200,
  minExpires_s: 60,
  maxExpires_s: 3600,
  defaultExpires_s: 3600,
  maxDialogsPerNotify: 16,
};

export interface DialogEventServerDeps {
  readonly stack: () => SipStack;
  readonly directory: () => TenantDirectory;
  readonly digest: DigestServer;
  readonly security: SecurityMonitor;
  /** The calls in progress now, read when an extension gets its first watcher. */
  readonly calls: () => readonly WatchedCall[];
  readonly log: (level: 'debug' | 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
  readonly limits?: Partial<DialogEventLimits>;
  readonly now?: () => number;
}

interface Subscription {
  readonly key: string;
  /** The watched extension, `tenant\0number`. */
  readonly resource: string;
  readonly watcher: string;
  readonly entity: string;
  readonly dialog: Dialog;
  readonly target: Target;
  expiresAt_ms: number;
  timer: NodeJS.Timeout | undefined;
  /** RFC 4235 §4.1.2: 0 in the first NOTIFY, one more in each after it. */
  version: number;
  /** NOTIFYs go one at a time, in order. */
  queue: Promise<void>;
}

/** A watched extension: its dialogs per call, kept only while someone watches it. */
interface Resource {
  readonly dialogs: Map<string, DialogView[]>;
}

const dialogKey = (callId: string, localTag: string, remoteTag: string) =>
  `${callId}\u0000${localTag}\u0000${remoteTag}`;
const resourceKey = (tenantId: string, extension: string) => `${tenantId}\u0000${extension}`;

function sameViews(a: readonly DialogView[], b: readonly DialogView[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (v, i) => v.id === b[i]?.id && v.state === b[i]?.state && v.remote?.identity === b[i]?.remote?.identity,
    )
  );
}

/**
 * Busy lamps: SUBSCRIBE/NOTIFY for the dialog event package (RFC 4235)
 * with RFC 6665 subscriptions (digest-authenticated; an extension may watch
 * the extensions of its own tenant only; expiry, refresh, unsubscribe, fetch
 * with Expires 0). It hears of calls from the call registry and sends a
 * full-state dialog-info document on every change of a watched extension's
 * dialogs; calls of extensions nobody watches cost one map lookup each.
 */
export class DialogEventServer implements CallObserver {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byResource = new Map<string, Set<Subscription>>();
  private readonly perWatcher = new Map<string, number>();
  private readonly resources = new Map<string, Resource>();
  /** Extensions each call rings now (from the registry's ringing notices). */
  private readonly ringingOf = new WeakMap<WatchedCall, Set<string>>();
  /** The watched resources that show each call, so a party that left the call is told too. */
  private readonly shownIn = new WeakMap<WatchedCall, Set<string>>();
  private readonly limits: DialogEventLimits;
  private readonly now: () => number;

  constructor(private readonly deps: DialogEventServerDeps) {
    this.limits = { ...defaultDialogEventLimits, ...deps.limits };
    this.now = deps.now ?? Date.now;
  }

  get size(): number {
    return this.subscriptions.size;
  }

  // ---- CallObserver ----------------------------------------------------------

  started(call: WatchedCall): void {
    this.update(call);
  }

  ringing(call: WatchedCall, extensions: readonly string[], on: boolean): void {
    let set = this.ringingOf.get(call);
    if (on) {
      if (!set) {
        set = new Set();
        this.ringingOf.set(call, set);
      }
      for (const extension of extensions) set.add(extension);
    } else if (set) {
      for (const extension of extensions) set.delete(extension);
    }
    this.update(call, extensions);
  }

  answered(call: WatchedCall): void {
    this.update(call);
  }

  ended(call: WatchedCall): void {
    this.ringingOf.delete(call);
    this.update(call);
    this.shownIn.delete(call);
  }

  // ---- subscriptions ---------------------------------------------------------

  /** A SUBSCRIBE to the dialog package outside a dialog. */
  async subscribe(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    if (request.event?.type.toLowerCase() !== DIALOG_EVENT) {
      transaction.reply(489, { headers: [['Allow-Events', DIALOG_EVENT]] });
      return;
    }
    const accept = request.header('accept');
    if (accept !== undefined && !accept.toLowerCase().includes(DIALOG_INFO_TYPE)) {
      transaction.reply(406, { headers: [['Accept', DIALOG_INFO_TYPE]] });
      return;
    }
    const directory = this.deps.directory();
    const from = request.from.uri;
    const uri = request.uri;
    // The watcher's tenant comes from its own address, as for calls; the watched extension is looked up there only.
    const tenant = from.kind === 'sip' ? directory.tenantByDomain(from.host) : undefined;
    if (!tenant || from.kind !== 'sip' || !from.user || uri.kind !== 'sip' || uri.user === undefined) {
      transaction.reply(404, { reason: 'Not Found' });
      return;
    }
    const uriTenant = directory.tenantByDomain(uri.host);
    if (uriTenant && uriTenant.id !== tenant.id) {
      transaction.reply(403, { reason: 'Subscriptions Between Tenants Are Not Allowed' });
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
    if (auth.username !== from.user || !directory.extension(tenant.id, auth.username)) {
      this.deps.security.authFailed(source, auth.username);
      transaction.reply(403, { reason: 'Watcher Identity Does Not Match The Credentials' });
      return;
    }
    this.deps.security.authSucceeded(source);
    const watched = uri.user;
    if (!directory.extension(tenant.id, watched)) {
      transaction.reply(404, { reason: 'No Such Extension' });
      return;
    }
    const expires = this.expiresOf(request);
    if (expires === 'too-brief') {
      transaction.reply(423, { headers: [['Min-Expires', String(this.limits.minExpires_s)]] });
      return;
    }
    const watcher = resourceKey(tenant.id, auth.username);
    if (
      this.subscriptions.size >= this.limits.maxSubscriptions ||
      (this.perWatcher.get(watcher) ?? 0) >= this.limits.maxPerWatcher
    ) {
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
    const resource = resourceKey(tenant.id, watched);
    const subscription: Subscription = {
      key: dialogKey(dialog.id.callId, dialog.id.localTag, dialog.id.remoteTag),
      resource,
      watcher,
      entity: `sip:${watched}@${tenant.domain}`,
      dialog,
      target: targetOfSipFlow(transaction.flow),
      expiresAt_ms: this.now() + expires * 1000,
      timer: undefined,
      version: 0,
      queue: Promise.resolve(),
    };
    if (expires === 0) {
      // A fetch (RFC 6665 §4.4.3): one NOTIFY with the state, and the subscription is over.
      const state = this.resources.get(resource) ?? this.snapshot(tenant.id, watched);
      this.notify(subscription, 'terminated;reason=timeout', this.listOf(state));
      return;
    }
    this.add(subscription, tenant.id, watched);
    this.notify(subscription, this.activeState(subscription), this.listOf(this.resources.get(resource)));
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
    const expires = this.expiresOf(request);
    if (expires === 'too-brief') {
      transaction.reply(423, { headers: [['Min-Expires', String(this.limits.minExpires_s)]] });
      return true;
    }
    transaction.reply(200, { headers: [['Expires', String(expires)]] });
    const dialogs = this.listOf(this.resources.get(subscription.resource));
    if (expires === 0) {
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=timeout', dialogs);
      return true;
    }
    subscription.expiresAt_ms = this.now() + expires * 1000;
    this.arm(subscription);
    this.notify(subscription, this.activeState(subscription), dialogs);
    return true;
  }

  /** Ends every subscription (shutdown): NOTIFY terminated;reason=noresource. */
  async close(): Promise<void> {
    const all = [...this.subscriptions.values()];
    for (const subscription of all) {
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=noresource', []);
    }
    await Promise.allSettled(all.map((s) => s.queue));
  }

  // ---- state -----------------------------------------------------------------

  /**
   * Recomputes the dialogs of the call's watched parties (and of `also`) and
   * notifies each whose dialogs changed; a dialog that went away is sent
   * once more as `terminated` (RFC 4235 §3.7.1), then forgotten.
   */
  private update(call: WatchedCall, also: readonly string[] = []): void {
    if (this.resources.size === 0) return;
    const tenantId = call.tenant.id;
    const ringing = this.ringingOf.get(call) ?? new Set<string>();
    const candidates = new Set<string>();
    const consider = (extension: string | undefined) => {
      if (extension === undefined) return;
      const key = resourceKey(tenantId, extension);
      if (this.resources.has(key)) candidates.add(key);
    };
    consider(call.caller.extension);
    consider(call.answeredBy);
    for (const extension of ringing) consider(extension);
    for (const extension of also) consider(extension);
    for (const key of this.shownIn.get(call) ?? []) candidates.add(key);
    for (const key of candidates) {
      const resource = this.resources.get(key);
      if (!resource) continue;
      const extension = key.slice(tenantId.length + 1);
      const views = callDialogs(call, extension, ringing);
      const before = resource.dialogs.get(call.id) ?? [];
      if (sameViews(before, views)) continue;
      const gone = before
        .filter((b) => !views.some((v) => v.id === b.id))
        .map((b): DialogView => ({ ...b, state: 'terminated' }));
      let shown = this.shownIn.get(call);
      if (views.length > 0) {
        resource.dialogs.set(call.id, views);
        if (!shown) {
          shown = new Set();
          this.shownIn.set(call, shown);
        }
        shown.add(key);
      } else {
        resource.dialogs.delete(call.id);
        shown?.delete(key);
      }
      const list = [...this.listOf(resource), ...gone].slice(0, this.limits.maxDialogsPerNotify);
      for (const subscription of this.byResource.get(key) ?? []) {
        this.notify(subscription, this.activeState(subscription), list);
      }
    }
  }

  /** An extension's dialogs in the calls going on now (for its first watcher). */
  private snapshot(tenantId: string, extension: string): Resource {
    const dialogs = new Map<string, DialogView[]>();
    for (const call of this.deps.calls()) {
      if (call.tenant.id !== tenantId) continue;
      const views = callDialogs(call, extension, this.ringingOf.get(call) ?? new Set());
      if (views.length === 0) continue;
      dialogs.set(call.id, views);
      const shown = this.shownIn.get(call) ?? new Set();
      shown.add(resourceKey(tenantId, extension));
      this.shownIn.set(call, shown);
    }
    return { dialogs };
  }

  private listOf(resource: Resource | undefined): DialogView[] {
    if (!resource) return [];
    return [...resource.dialogs.values()].flat().slice(0, this.limits.maxDialogsPerNotify);
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

  private add(subscription: Subscription, tenantId: string, extension: string): void {
    this.subscriptions.set(subscription.key, subscription);
    this.perWatcher.set(subscription.watcher, (this.perWatcher.get(subscription.watcher) ?? 0) + 1);
    if (!this.resources.has(subscription.resource)) {
      this.resources.set(subscription.resource, this.snapshot(tenantId, extension));
    }
    const set = this.byResource.get(subscription.resource) ?? new Set();
    set.add(subscription);
    this.byResource.set(subscription.resource, set);
    this.arm(subscription);
  }

  private remove(subscription: Subscription): void {
    if (subscription.timer) clearTimeout(subscription.timer);
    subscription.timer = undefined;
    if (!this.subscriptions.delete(subscription.key)) return;
    const count = (this.perWatcher.get(subscription.watcher) ?? 1) - 1;
    if (count > 0) this.perWatcher.set(subscription.watcher, count);
    else this.perWatcher.delete(subscription.watcher);
    const set = this.byResource.get(subscription.resource);
    set?.delete(subscription);
    if (set?.size === 0) {
      // Nobody watches the extension any more: its calls stop costing anything.
      this.byResource.delete(subscription.resource);
      this.resources.delete(subscription.resource);
    }
  }

  private arm(subscription: Subscription): void {
    if (subscription.timer) clearTimeout(subscription.timer);
    const delay = Math.max(0, subscription.expiresAt_ms - this.now());
    subscription.timer = setTimeout(() => {
      this.remove(subscription);
      this.notify(subscription, 'terminated;reason=timeout', []);
    }, delay);
    subscription.timer.unref();
  }

  /** Queues a NOTIFY with `dialogs`; a refusal ends the subscription (RFC 6665 §4.1.3). */
  private notify(subscription: Subscription, state: string, dialogs: readonly DialogView[]): void {
    subscription.queue = subscription.queue
      .then(async () => {
        if (subscription.dialog.state === 'terminated') return;
        const body = formatDialogInfo(subscription.entity, subscription.version++, dialogs);
        const request = subscription.dialog.createRequest('NOTIFY', {
          headers: [
            ['Event', DIALOG_EVENT],
            ['Subscription-State', state],
          ],
          body,
          contentType: DIALOG_INFO_TYPE,
        });
        if (state.startsWith('terminated')) subscription.dialog.terminate();
        const response = await this.deps.stack().request(request, { target: subscription.target });
        if (response.status >= 300 && this.subscriptions.has(subscription.key)) {
          this.deps.log(
            'debug',
            { resource: subscription.entity, status: response.status },
            'dialog NOTIFY refused: subscription ended',
          );
          this.remove(subscription);
          subscription.dialog.terminate();
        }
      })
      .catch((error: unknown) => {
        this.deps.log('warn', { resource: subscription.entity, err: String(error) }, 'dialog NOTIFY failed');
      });
  }
}
