import {
  createRequest,
  generateCallId,
  nameAddr,
  parseUri,
  type SipRequest,
  type SipResponse,
  sipUri,
  type Target,
  type Uri,
} from '@telekommune/sip';
import type { RingTarget } from '../calls/ring-outcome.js';
import { allowedMethods, type B2buaLimits } from './b2bua-environment.js';
import { bindingTarget } from './flows.js';
import { sdpType } from './sdp-body.js';

/** One INVITE to send for a call: to a registered device or to a carrier. */
export interface ForkSpec {
  /** Who this reaches, for the CDR's answeredBy: an extension number or an E.164 number. */
  readonly label: string;
  readonly requestUri: string | Uri;
  /** Where to send it (a device's flow or contact, a carrier's address). */
  readonly target: Target;
  readonly to: Uri;
  /** The caller identity to present; the caller's extension in the tenant's domain by default. */
  readonly from?: Uri;
  readonly fromDisplayName?: string | undefined;
  /** More header fields, e.g. P-Asserted-Identity or Privacy for a carrier. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** The SDP offered on this fork instead of the call's (a carrier's codecs); the call's offer when absent. */
  readonly offer?: string | undefined;
  /** Sees every response of this fork (carrier failover needs the status and when the first came). */
  readonly onResponse?: (response: SipResponse) => void;
}

/** One fork per registered device of every target, each addressed to the extension in `domain`. */
export function deviceForks(targets: readonly RingTarget[], domain: string): ForkSpec[] {
  const forks: ForkSpec[] = [];
  for (const target of targets) {
    for (const binding of target.bindings) {
      let contactUri: ReturnType<typeof parseUri> | undefined;
      try {
        contactUri = parseUri(binding.contact);
      } catch {
        contactUri = undefined;
      }
      forks.push({
        label: target.extension,
        requestUri: binding.contact,
        target: bindingTarget(binding, contactUri),
        to: sipUri({ user: target.extension, host: domain }),
        ...(target.headers ? { headers: target.headers } : {}),
      });
    }
  }
  return forks;
}

/** What a fork's INVITE takes from its call. */
export interface ForkCall {
  /** The caller's extension and display name, presented unless the spec says otherwise. */
  readonly caller: { readonly extension: string; readonly displayName: string | undefined };
  readonly domain: string;
  /** The caller's INVITE (its Max-Forwards, less one, goes on). */
  readonly invite: SipRequest;
  /** Our Contact for the transport of the fork. */
  readonly contactUri: Uri;
  readonly limits: B2buaLimits;
  /** The SDP offered to callees, if the caller made an offer. */
  readonly offer: string | undefined;
}

/** The INVITE of one fork: a new dialog to the callee, offering session timers (RFC 4028). */
export function forkInvite(spec: ForkSpec, call: ForkCall): SipRequest {
  const callerUri = sipUri({ user: call.caller.extension, host: call.domain });
  const maxForwards = Math.max(0, (call.invite.maxForwards ?? 70) - 1);
  const headers: (readonly [string, string])[] = [
    ['Allow', allowedMethods],
    ['Supported', 'timer'],
    ['Session-Expires', `${call.limits.sessionExpires_s};refresher=uas`],
    ['Min-SE', String(call.limits.minSessionExpires_s)],
    ...(spec.headers ?? []),
  ];
  const displayName = spec.from === undefined ? call.caller.displayName : spec.fromDisplayName;
  const offer = call.offer === undefined ? undefined : (spec.offer ?? call.offer);
  return createRequest({
    method: 'INVITE',
    uri: spec.requestUri,
    from: nameAddr({ uri: spec.from ?? callerUri, ...(displayName ? { displayName } : {}) }),
    to: nameAddr({ uri: spec.to }),
    callId: generateCallId(),
    cseq: 1,
    contact: nameAddr({ uri: call.contactUri }),
    maxForwards,
    headers,
    ...(offer !== undefined ? { body: offer, contentType: sdpType } : {}),
  });
}
