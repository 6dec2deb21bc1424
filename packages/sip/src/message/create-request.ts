import { generateCallId, generateTag } from './ids.js';
import { formatNameAddr, type NameAddr, nameAddr, withParam } from './name-addr.js';
import { type HeaderInit, headerField } from './sip-message.js';
import { SipRequest } from './sip-request.js';
import { parseUri, type Uri } from './uri.js';

export interface RequestOptions {
  method: string;
  /** Request-URI. */
  uri: Uri | string;
  from: NameAddr | Uri | string;
  /** Defaults to the Request-URI. */
  to?: NameAddr | Uri | string;
  /** From tag; generated when absent (and none is in `from`). */
  fromTag?: string;
  callId?: string;
  cseq?: number;
  contact?: NameAddr | Uri | string;
  maxForwards?: number;
  headers?: HeaderInit;
  body?: Buffer | string;
  contentType?: string;
}

function toNameAddr(value: NameAddr | Uri | string): NameAddr {
  if (typeof value === 'string') return nameAddr({ uri: parseUri(value) });
  if ('uri' in value) return value;
  return nameAddr({ uri: value });
}

/**
 * An out-of-dialog request (RFC 3261 §8.1.1) without Via: the transaction
 * layer adds the top Via (with a fresh branch) when it sends the request.
 */
export function createRequest(options: RequestOptions): SipRequest {
  const uri = typeof options.uri === 'string' ? parseUri(options.uri) : options.uri;
  let from = toNameAddr(options.from);
  if (!from.params.has('tag')) {
    from = withParam(from, 'tag', options.fromTag ?? generateTag());
  }
  const to = toNameAddr(options.to ?? uri);
  const request = new SipRequest({ method: options.method, uri });
  request.headers = [
    headerField('Max-Forwards', String(options.maxForwards ?? 70)),
    headerField('From', formatNameAddr(from)),
    headerField('To', formatNameAddr(to)),
    headerField('Call-ID', options.callId ?? generateCallId()),
    headerField('CSeq', `${options.cseq ?? 1} ${options.method}`),
  ];
  if (options.contact !== undefined)
    request.headers.push(headerField('Contact', formatNameAddr(toNameAddr(options.contact))));
  for (const [name, value] of options.headers ?? []) request.headers.push(headerField(name, value));
  if (options.body !== undefined) request.setBody(options.body, options.contentType);
  return request;
}
