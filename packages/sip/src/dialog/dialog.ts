import { SipStackError } from '../errors.js';
import { formatNameAddr, type NameAddr, withoutParam, withParam } from '../message/name-addr.js';
import { headerField } from '../message/sip-message.js';
import { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import { formatUri, type Uri } from '../message/uri.js';
import type { DialogId } from './dialog-id.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogRequestOptions {
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  contentType?: string;
}

/** Methods whose requests and 2xx responses refresh the remote target (RFC 3261 §12.2, RFC 3311, RFC 6665). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

function firstContactUri(message: SipRequest | SipResponse): Uri | undefined {
  return message.contacts[0]?.uri;
}

/**
 * A dialog, RFC 3261 §12, from either side: its ID, sequence numbers, route
 * set and remote target; it builds in-dialog requests (§12.2.1.1, loose and
 * strict routing), checks incoming ones (§12.2.2) and follows target refreshes.
 */
export class Dialog {
  #state: DialogState;
  #localSeq: number;
  #remoteSeq: number | undefined;
  #remoteTarget: Uri;

  private constructor(
    readonly id: DialogId,
    readonly role: 'uac' | 'uas',
    state: DialogState,
    /** Local and remote URI: From/To of the initial request, without tags. */
    readonly localUri: NameAddr,
    readonly remoteUri: NameAddr,
    remoteTarget: Uri,
    /** In the order this side writes Route headers. */
    readonly routeSet: readonly NameAddr[],
    localSeq: number,
    remoteSeq: number | undefined,
    readonly secure: boolean,
    /** Our Contact, added to target-refresh requests this dialog builds. */
    public localContact: NameAddr | undefined,
  ) {
    this.#state = state;
    this.#localSeq = localSeq;
    this.#remoteSeq = remoteSeq;
    this.#remoteTarget = remoteTarget;
  }

  /**
   * The UAC's dialog from a 1xx (early) or 2xx (confirmed) with a To tag
   * (§12.1.2): route set = Record-Route reversed, remote target = Contact.
   */
  static fromUacResponse(request: SipRequest, response: SipResponse, localContact?: NameAddr): Dialog {
    const remoteTag = response.toTag;
    const localTag = request.fromTag;
    if (remoteTag === undefined || localTag === undefined) {
      throw new SipStackError('invalid-argument', 'a dialog needs both a From tag and a To tag');
    }
    if (response.status < 101 || response.status >= 300) {
      throw new SipStackError('invalid-argument', `a ${response.status} does not create a dialog`);
    }
    const target = firstContactUri(response) ?? request.uri;
    return new Dialog(
      { callId: request.callId, localTag, remoteTag },
      'uac',
      response.status < 200 ? 'early' : 'confirmed',
      withoutParam(request.from, 'tag'),
      withoutParam(request.to, 'tag'),
      target,
      [...response.recordRoutes].reverse(),
      request.cseq.seq,
      undefined,
      request.uri.scheme === 'sips',
      localContact ?? request.contacts[0],
    );
  }

  /** The UAS's dialog for a request it answers with a 1xx/2xx carrying `localTag` (§12.1.1). */
  static fromUasRequest(
    request: SipRequest,
    localTag: string,
    options: { early?: boolean; localContact?: NameAddr } = {},
  ): Dialog {
    const remoteTag = request.fromTag;
    if (remoteTag === undefined) throw new SipStackError('invalid-argument', 'the request has no From tag');
    const target = firstContactUri(request);
    if (!target) throw new SipStackError('invalid-argument', 'the request has no Contact');
    return new Dialog(
      { callId: request.callId, localTag, remoteTag },
      'uas',
      options.early ? 'early' : 'confirmed',
      withoutParam(request.to, 'tag'),
      withoutParam(request.from, 'tag'),
      target,
      [...request.recordRoutes],
      1 + Math.floor(Math.random() * 0x10000),
      request.cseq.seq,
      request.uri.scheme === 'sips',
      options.localContact,
    );
  }

  get state(): DialogState {
    return this.#state;
  }

  get localSeq(): number {
    return this.#localSeq;
  }

  get remoteSeq(): number | undefined {
    return this.#remoteSeq;
  }

  get remoteTarget(): Uri {
    return this.#remoteTarget;
  }

  /** early -> confirmed on a 2xx (the UAC updates its remote target from that 2xx). */
  confirm(response?: SipResponse): void {
    if (this.#state === 'terminated') throw new SipStackError('invalid-state', 'dialog is terminated');
    this.#state = 'confirmed';
    if (response) {
      const target = firstContactUri(response);
      if (target) this.#remoteTarget = target;
    }
  }

  terminate(): void {
    this.#state = 'terminated';
  }

  /**
   * Checks an in-dialog request (§12.2.2): a CSeq lower than the last one is
   * refused with 500 (returned, not thrown); otherwise records it and follows
   * a target refresh. ACK and CANCEL do not advance the sequence.
   */
  receiveRequest(
    request: SipRequest,
  ): { readonly accept: true } | { readonly accept: false; readonly status: 500; readonly reason: string } {
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      const seq = request.cseq.seq;
      if (this.#remoteSeq !== undefined && seq <= this.#remoteSeq) {
        return { accept: false, status: 500, reason: 'CSeq out of order' };
      }
      this.#remoteSeq = seq;
    }
    if (TARGET_REFRESH.has(request.method)) {
      const target = firstContactUri(request);
      if (target) this.#remoteTarget = target;
    }
    if (request.method === 'BYE') this.#state = 'terminated';
    return { accept: true };
  }

  /** Follows the target refresh of a 2xx to an in-dialog request this side sent. */
  receiveResponse(request: SipRequest, response: SipResponse): void {
    if (response.status >= 200 && response.status < 300 && TARGET_REFRESH.has(request.method)) {
      const target = firstContactUri(response);
      if (target) this.#remoteTarget = target;
    }
    if (
      request.method === 'INVITE' &&
      response.status >= 200 &&
      response.status < 300 &&
      this.#state === 'early'
    ) {
      this.#state = 'confirmed';
    }
  }

  /** An in-dialog request (§12.2.1.1) with the next local CSeq; the stack adds the Via. */
  createRequest(method: string, options: DialogRequestOptions = {}): SipRequest {
    if (this.#state === 'terminated') throw new SipStackError('invalid-state', 'dialog is terminated');
    if (method === 'ACK' || method === 'CANCEL') {
      throw new SipStackError('invalid-argument', `use createAck / createCancel for ${method}`);
    }
    this.#localSeq++;
    return this.#build(method, this.#localSeq, options);
  }

  /** The ACK for a 2xx to the INVITE with CSeq `inviteSeq` (§13.2.2.4): same CSeq number, own branch. */
  createAck(inviteSeq: number, options: DialogRequestOptions = {}): SipRequest {
    return this.#build('ACK', inviteSeq, options);
  }

  #build(method: string, seq: number, options: DialogRequestOptions): SipRequest {
    let uri: Uri = this.#remoteTarget;
    const routes: NameAddr[] = [...this.routeSet];
    const first = routes[0];
    if (first && first.uri.kind === 'sip' && !first.uri.params.has('lr')) {
      // Strict routing (RFC 2543 next hop): Request-URI = first route, remote target goes last.
      uri = first.uri;
      routes.shift();
      routes.push({ displayName: undefined, uri: this.#remoteTarget, params: new Map() });
    }
    const request = new SipRequest({ method, uri });
    const fields = [
      headerField('Max-Forwards', '70'),
      headerField('From', formatNameAddr(withParam(this.localUri, 'tag', this.id.localTag))),
      headerField('To', formatNameAddr(withParam(this.remoteUri, 'tag', this.id.remoteTag))),
      headerField('Call-ID', this.id.callId),
      headerField('CSeq', `${seq} ${method}`),
    ];
    for (const route of routes) fields.push(headerField('Route', formatNameAddr(route)));
    if (this.localContact && TARGET_REFRESH.has(method)) {
      fields.push(headerField('Contact', formatNameAddr(this.localContact)));
    }
    for (const [name, value] of options.headers ?? []) fields.push(headerField(name, value));
    request.headers = fields;
    if (options.body !== undefined) request.setBody(options.body, options.contentType);
    return request;
  }

  toString(): string {
    return `Dialog(${this.role} ${this.id.callId} ${this.#state} -> ${formatUri(this.#remoteTarget)})`;
  }
}
