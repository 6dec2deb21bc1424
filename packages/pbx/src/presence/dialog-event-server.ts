import type { DigestServer, ServerTransaction, SipRequest, SipStack } from '@telekommune/sip';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { CallObserver } from '../sip/call-registry.js';
import {
  type EventSubscription,
  EventSubscriptions,
  type NotifyContent,
} from '../sip/event-subscriptions.js';
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

interface Subscription extends EventSubscription {
  /** The watched extension (also `resource`, as `tenant\0number`). */
  readonly tenantId: string;
  readonly extension: string;
  readonly watcher: string;
  readonly entity: string;
  /** RFC 4235 §4.1.2: 0 in the first NOTIFY, one more in each after it. */
  version: number;
}

/** A watched extension: its dialogs per call, kept only while someone watches it. */
interface Resource {
  readonly dialogs: Map<string, DialogView[]>;
}

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
  private readonly subscriptions: EventSubscriptions<Subscription>;
  private readonly perWatcher = new Map<string, number>();
  private readonly resources = new Map<string, Resource>();
  /** Extensions each call rings now (from the registry's ringing notices). */
  private readonly ringingOf = new WeakMap<WatchedCall, Set<string>>();
  /** The watched resources that show each call, so a party that left the call is told too. */
  private readonly shownIn = new WeakMap<WatchedCall, Set<string>>();
  private readonly limits: DialogEventLimits;

  constructor(private readonly deps: DialogEventServerDeps) {
    this.limits = { ...defaultDialogEventLimits, ...deps.limits };
    this.subscriptions = new EventSubscriptions<Subscription>({
      event: DIALOG_EVENT,
      stack: deps.stack,
      log: deps.log,
      limits: this.limits,
      now: deps.now ?? Date.now,
      content: (subscription, cause) => {
        switch (cause) {
          case 'expired':
          case 'shutdown':
            return this.body(subscription, []);
          case 'fetched':
            return this.body(
              subscription,
              this.listOf(
                this.resources.get(subscription.resource) ??
                  this.snapshot(subscription.tenantId, subscription.extension),
              ),
            );
          default:
            return this.body(subscription, this.listOf(this.resources.get(subscription.resource)));
        }
      },
      removed: (subscription) => {
        const count = (this.perWatcher.get(subscription.watcher) ?? 1) - 1;
        if (count > 0) this.perWatcher.set(subscription.watcher, count);
        else this.perWatcher.delete(subscription.watcher);
        // Nobody watches the extension any more: its calls stop costing anything.
        if (!this.subscriptions.watched(subscription.resource)) this.resources.delete(subscription.resource);
      },
    });
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
    const expires = this.subscriptions.expiresOf(request, transaction);
    if (expires === undefined) return;
    const watcher = resourceKey(tenant.id, auth.username);
    const full = (this.perWatcher.get(watcher) ?? 0) >= this.limits.maxPerWatcher;
    if (!this.subscriptions.hasRoom(transaction, full)) return;
    const accepted = this.subscriptions.accept(request, transaction, expires);
    if (!accepted) return;
    const resource = resourceKey(tenant.id, watched);
    if (expires !== 0) {
      this.perWatcher.set(watcher, (this.perWatcher.get(watcher) ?? 0) + 1);
      if (!this.resources.has(resource)) this.resources.set(resource, this.snapshot(tenant.id, watched));
    }
    this.subscriptions.start(
      {
        ...accepted,
        resource,
        tenantId: tenant.id,
        extension: watched,
        watcher,
        entity: `sip:${watched}@${tenant.domain}`,
        timer: undefined,
        version: 0,
        queue: Promise.resolve(),
      },
      expires,
    );
  }

  /** An in-dialog request; true when it belonged to a subscription (and was answered). */
  inDialog(request: SipRequest, transaction: ServerTransaction): boolean {
    return this.subscriptions.inDialog(request, transaction);
  }

  /** Ends every subscription (shutdown): NOTIFY terminated;reason=noresource. */
  close(): Promise<void> {
    return this.subscriptions.close();
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
      for (const subscription of this.subscriptions.watching(key)) {
        this.subscriptions.notify(
          subscription,
          this.subscriptions.activeState(subscription),
          this.body(subscription, list),
        );
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

  /** A dialog-info document of `dialogs`, versioned when it leaves (NOTIFYs leave in order). */
  private body(subscription: Subscription, dialogs: readonly DialogView[]): NotifyContent {
    return () => ({
      body: formatDialogInfo(subscription.entity, subscription.version++, dialogs),
      contentType: DIALOG_INFO_TYPE,
    });
  }
}
