import type { Dialog, InviteServerTransaction } from '@telekommune/sip';
import type { B2buaCall } from './b2bua-call.js';

/** Which call a dialog belongs to, and which party is on the far end of it. */
export interface DialogEntry {
  readonly call: B2buaCall;
  readonly side: 'a' | 'b';
}

function key(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

/**
 * Hears of calls as they start, ring extensions, are answered and end (call
 * events for webhooks, busy lamps). Observers must not throw; they are told
 * in a microtask, after the call's own work, in the order things happened.
 */
export interface CallObserver {
  started?(call: B2buaCall): void;
  /** Extensions' devices start (`on`) or stop ringing for the call (RFC 4235 "early" for them). */
  ringing?(call: B2buaCall, extensions: readonly string[], on: boolean): void;
  answered?(call: B2buaCall): void;
  ended?(call: B2buaCall): void;
}

/** Live calls by dialog (for in-dialog requests and ACKs) and by INVITE transaction (for CANCEL). */
export class CallRegistry {
  private observers: readonly CallObserver[] = [];
  private readonly answered = new WeakSet<B2buaCall>();

  /** Adds an observer; the function returned removes it. */
  observe(observer: CallObserver): () => void {
    this.observers = [...this.observers, observer];
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
    };
  }

  /** Tells every observer, in a microtask (nothing is queued when nobody listens). */
  private tell(notice: (observer: CallObserver) => void): void {
    const observers = this.observers;
    if (observers.length === 0) return;
    queueMicrotask(() => {
      for (const observer of observers) notice(observer);
    });
  }

  private readonly byDialog = new Map<string, DialogEntry>();
  private readonly dialogsOf = new Map<B2buaCall, string[]>();
  private readonly byTransaction = new WeakMap<InviteServerTransaction, B2buaCall>();
  private readonly calls = new Set<B2buaCall>();

  track(call: B2buaCall): void {
    this.calls.add(call);
    this.byTransaction.set(call.transaction, call);
    this.tell((o) => o.started?.(call));
  }

  /** The call rings (`on`) or stopped ringing the devices of `extensions`. */
  ringing(call: B2buaCall, extensions: readonly string[], on: boolean): void {
    if (this.calls.has(call)) this.tell((o) => o.ringing?.(call, extensions, on));
  }

  add(dialog: Dialog, call: B2buaCall, side: 'a' | 'b'): void {
    const k = key(dialog.id.callId, dialog.id.localTag, dialog.id.remoteTag);
    this.byDialog.set(k, { call, side });
    const list = this.dialogsOf.get(call) ?? [];
    list.push(k);
    this.dialogsOf.set(call, list);
    // The caller's dialog is made when the caller is answered (by a phone or an application).
    if (side === 'a' && !this.answered.has(call)) {
      this.answered.add(call);
      // After the answer's own bookkeeping (who answered, when) has run.
      this.tell((o) => o.answered?.(call));
    }
  }

  /** The call of an in-dialog request: its To tag is ours, its From tag theirs. */
  find(callId: string, localTag: string, remoteTag: string): DialogEntry | undefined {
    return this.byDialog.get(key(callId, localTag, remoteTag));
  }

  forInvite(transaction: InviteServerTransaction): B2buaCall | undefined {
    return this.byTransaction.get(transaction);
  }

  remove(call: B2buaCall): void {
    for (const k of this.dialogsOf.get(call) ?? []) this.byDialog.delete(k);
    this.dialogsOf.delete(call);
    if (this.calls.delete(call)) this.tell((o) => o.ended?.(call));
  }

  /** Calls in progress (ringing or answered), for the API and metrics. */
  active(): B2buaCall[] {
    return [...this.calls];
  }

  get size(): number {
    return this.calls.size;
  }
}
