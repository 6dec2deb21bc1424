import { SipParseError } from '../errors.js';
import type { SipResponse } from './sip-response.js';

/**
 * Checks a response before a UAC core or client transaction uses it; a fault
 * means the response is dropped (RFC 3261 §18.1.2 and RFC 4475 §3.1.2.5:
 * responses are never answered). Returns the reason, or undefined when usable.
 * Once it passes, these accessors cannot throw: vias, from, to (and their
 * URIs), callId, cseq, contacts, recordRoutes, contentType, wwwAuthenticates,
 * proxyAuthenticates.
 */
export function validateResponse(response: SipResponse): string | undefined {
  try {
    const vias = response.vias;
    if (vias.length === 0) return 'Missing Via';
    // §8.1.3.3: a UAC discards a response with more than one Via (it was meant for a proxy).
    if (vias.length > 1) return 'More than one Via in a response to a UA';
    void response.from.uri;
    void response.to.uri;
    void response.callId;
    void response.cseq;
    for (const contact of response.contacts) void contact.uri;
    for (const route of response.recordRoutes) void route.uri;
    void response.contentType;
    void response.wwwAuthenticates;
    void response.proxyAuthenticates;
    return undefined;
  } catch (error) {
    if (error instanceof SipParseError) return error.reason;
    throw error;
  }
}
