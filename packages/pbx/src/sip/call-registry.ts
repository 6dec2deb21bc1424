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

/** Hears of calls as they start and as the caller is answered (call events, webhooks). */
export interface CallObserver {
  started(call: B2buaCall): void;
  answered(call: B2buaCall): void;
}

/** Live calls by dialog (for in-dialog requests and ACKs) and by INVITE transaction (for CANCEL). */
export class CallRegistry {
  private observer: CallObserver | undefined;
  private readonly answered = new WeakSet<B2buaCall>();

  /** Sets the one observer (undefined: none). It must not throw; it is told after the call's own work. */
  observe(observer: CallObserver | undefined): void {
    this.observer = observer;
  }

  private readonly byDialog = new Map<string, DialogEntry>();
  private readonly dialogsOf = new Map<B2buaCall, string[]>();
  private readonly byTransaction = new WeakMap<InviteServerTransaction, B2buaCall>();
  private readonly calls = new Set<B2buaCall>();

  track(call: B2buaCall): void {
    this.calls.add(call);
    this.byTransaction.set(call.transaction, call);
    const observer = this.observer;
    if (observer) queueMicrotask(() => observer.started(call));
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
      const observer = this.observer;
      // After the answer's own bookkeeping (who answered, when) has run.
      if (observer) queueMicrotask(() => observer.answered(call));
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
    this.calls.delete(call);
  }

  /** Calls in progress (ringing or answered), for the API and metrics. */
  active(): B2buaCall[] {
    return [...this.calls];
  }

  get size(): number {
    return this.calls.size;
  }
}
