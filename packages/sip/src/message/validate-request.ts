import { SipParseError } from '../errors.js';
import { mediaTypeName, rangeCovers } from './media-type.js';
import type { SipRequest } from './sip-request.js';

/** What a UAS accepts; the PBX widens it (option tags, body types) as it grows. */
export interface RequestPolicy {
  /** Request-URI schemes served; others get 416 (RFC 3261 §8.2.2.1). */
  readonly uriSchemes: readonly string[];
  /** Option tags understood in Require (RFC 3261 §8.2.2.3); others get 420. */
  readonly supportedExtensions: readonly string[];
  /** Also answer 420 for unknown Proxy-Require tags: the PBX fronts phones as their proxy. */
  readonly checkProxyRequire: boolean;
  /** Body types read (RFC 3261 §8.2.3); others get 415 with Accept. */
  readonly acceptedContentTypes: readonly string[];
  /** Content-Encodings read; others get 415 with Accept-Encoding. */
  readonly acceptedEncodings: readonly string[];
  /** Body types an INVITE is answered with; an Accept that allows none of them gets 406. */
  readonly answerContentTypes: readonly string[];
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  uriSchemes: ['sip', 'sips'],
  supportedExtensions: [],
  checkProxyRequire: true,
  acceptedContentTypes: ['application/sdp', 'multipart/mixed', 'multipart/alternative'],
  acceptedEncodings: ['identity'],
  answerContentTypes: ['application/sdp'],
};

/** A request the UAS core refuses: the response to send. Outcomes are values, not throws. */
export interface Rejection {
  readonly status: number;
  readonly reason: string;
  /** Extra header fields, e.g. Unsupported with 420, Accept with 415. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

function reject(status: number, reason: string, headers: Array<readonly [string, string]> = []): Rejection {
  return { status, reason, headers };
}

function fromFault(error: unknown): Rejection {
  if (error instanceof SipParseError) return reject(error.status, error.reason);
  throw error;
}

/**
 * The checks of RFC 3261 §8.2 (and the RFC 4475 torture cases) a UAS runs
 * before its TU sees a request: version, mandatory and single-valued headers
 * and their syntax, CSeq method, Request-URI, Require, body type and
 * encoding, and Accept for INVITE. Every typed header the request carries is
 * parsed here, so TU code reading accessors later does not meet a fault.
 * Returns undefined when the request may be processed. ACKs are never
 * answered: the stack drops an ACK this rejects.
 */
export function validateRequest(
  request: SipRequest,
  policy: RequestPolicy = DEFAULT_REQUEST_POLICY,
): Rejection | undefined {
  if (request.version !== 'SIP/2.0') return reject(505, 'Version Not Supported');
  const missing = missingMandatory(request);
  if (missing !== undefined) return reject(400, `Missing ${missing}`);
  try {
    const top = request.via;
    if (top.protocolName.toUpperCase() !== 'SIP' || top.protocolVersion !== '2.0') {
      return reject(400, 'Malformed Via: sent-protocol is not SIP/2.0');
    }
    void request.vias;
    void request.from.uri;
    void request.to.uri;
    void request.callId;
    const cseq = request.cseq;
    if (cseq.method !== request.method) return reject(400, 'CSeq method does not match request method');
    // Only headers present are read: an absent one costs nothing (and a
    // repeated one only a cached read).
    for (const field of request.headers) TYPED.get(field.key)?.(request);
  } catch (error) {
    return fromFault(error);
  }

  let scheme: string;
  try {
    const uri = request.uri;
    scheme = uri.scheme;
    if (uri.kind === 'sip' && uri.headers.length > 0)
      return reject(400, 'Request-URI must not contain headers');
  } catch (error) {
    return fromFault(error);
  }
  if (!policy.uriSchemes.includes(scheme)) {
    return reject(416, 'Unsupported URI Scheme');
  }

  if (
    request.method !== 'ACK' &&
    request.method !== 'CANCEL' &&
    (request.has('require') || (policy.checkProxyRequire && request.has('proxy-require')))
  ) {
    const supported = new Set(policy.supportedExtensions.map((tag) => tag.toLowerCase()));
    const required = policy.checkProxyRequire
      ? [...request.require, ...request.proxyRequire]
      : request.require;
    const unknown = [...new Set(required.filter((tag) => !supported.has(tag.toLowerCase())))];
    if (unknown.length > 0) return reject(420, 'Bad Extension', [['Unsupported', unknown.join(', ')]]);
  }

  if (request.body.length > 0) {
    const type = request.contentType;
    if (!type) return reject(400, 'Missing Content-Type for a body');
    if (!policy.acceptedContentTypes.includes(mediaTypeName(type))) {
      return reject(415, 'Unsupported Media Type', [['Accept', policy.acceptedContentTypes.join(', ')]]);
    }
    const encodings = request.listValues('content-encoding').map((e) => e.toLowerCase());
    const unknownEncoding = encodings.some((e) => !policy.acceptedEncodings.includes(e));
    if (unknownEncoding) {
      return reject(415, 'Unsupported Content-Encoding', [
        ['Accept-Encoding', policy.acceptedEncodings.join(', ')],
      ]);
    }
  }

  if (request.method === 'INVITE') {
    const accept = request.accept;
    if (
      accept !== undefined &&
      !policy.answerContentTypes.some((name) => accept.some((range) => rangeCovers(range, name)))
    ) {
      return reject(406, 'Not Acceptable', [['Accept', policy.answerContentTypes.join(', ')]]);
    }
  }
  return undefined;
}

/** Reads the typed value of each header a PBX uses, so a malformed one faults here. */
const TYPED = new Map<string, (request: SipRequest) => void>(
  Object.entries({
    'max-forwards': (r) => void r.maxForwards,
    contact: (r) => {
      for (const contact of r.contacts) void contact.uri;
    },
    route: (r) => {
      for (const route of r.routes) void route.uri;
    },
    'record-route': (r) => {
      for (const route of r.recordRoutes) void route.uri;
    },
    expires: (r) => void r.expires,
    'content-type': (r) => void r.contentType,
    date: (r) => void r.date,
    require: (r) => void r.require,
    'proxy-require': (r) => void r.proxyRequire,
    supported: (r) => void r.supported,
    allow: (r) => void r.allow,
    accept: (r) => void r.accept,
    authorization: (r) => void r.authorizations,
    'proxy-authorization': (r) => void r.proxyAuthorizations,
    event: (r) => void r.event,
    'subscription-state': (r) => void r.subscriptionState,
    'refer-to': (r) => void r.referTo?.uri,
    replaces: (r) => void r.replaces,
    'session-expires': (r) => void r.sessionExpires,
    'p-asserted-identity': (r: SipRequest) => {
      for (const identity of r.pAssertedIdentities) void identity.uri;
    },
  } satisfies Record<string, (request: SipRequest) => void>),
);

/** The first of Via, To, From, Call-ID and CSeq (RFC 3261 §8.1.1) the request lacks, in one pass. */
function missingMandatory(request: SipRequest): string | undefined {
  let via = false;
  let to = false;
  let from = false;
  let callId = false;
  let cseq = false;
  for (const field of request.headers) {
    switch (field.key) {
      case 'via':
        via = true;
        break;
      case 'to':
        to = true;
        break;
      case 'from':
        from = true;
        break;
      case 'call-id':
        callId = true;
        break;
      case 'cseq':
        cseq = true;
        break;
    }
  }
  if (!via) return 'Via';
  if (!to) return 'To';
  if (!from) return 'From';
  if (!callId) return 'Call-ID';
  if (!cseq) return 'CSeq';
  return undefined;
}

/**
 * RFC 3261 §16.3 step 2 for an element that must forward the request:
 * Max-Forwards of zero gets 483 (OPTIONS may be answered locally instead).
 */
export function checkMaxForwards(request: SipRequest): Rejection | undefined {
  return request.maxForwards === 0 ? reject(483, 'Too Many Hops') : undefined;
}
