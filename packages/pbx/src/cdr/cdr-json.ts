import { billableSeconds, type Cdr, durationSeconds } from './cdr.js';

/** A CDR as the API and webhooks show it: ISO 8601 times, whole seconds, money as decimal strings of minor units. */
export function cdrJson(c: Cdr) {
  return {
    id: c.id,
    tenantId: c.tenantId,
    callId: c.callId,
    direction: c.direction,
    caller: c.caller,
    ...(c.callerName !== undefined ? { callerName: c.callerName } : {}),
    callee: c.callee,
    ...(c.answeredBy !== undefined ? { answeredBy: c.answeredBy } : {}),
    ...(c.did !== undefined ? { did: c.did } : {}),
    ...(c.carrierId !== undefined ? { carrierId: c.carrierId } : {}),
    start: new Date(c.startedAt_ms).toISOString(),
    ...(c.answeredAt_ms !== undefined ? { answer: new Date(c.answeredAt_ms).toISOString() } : {}),
    end: new Date(c.endedAt_ms).toISOString(),
    duration_s: durationSeconds(c),
    billable_s: billableSeconds(c),
    disposition: c.disposition,
    ...(c.hangupSide !== undefined ? { hangupSide: c.hangupSide } : {}),
    sipStatus: c.sipStatus,
    forwardingPath: [...c.forwardingPath],
    ...(c.cost_minor !== undefined ? { cost_minor: c.cost_minor.toString() } : {}),
    ...(c.price_minor !== undefined ? { price_minor: c.price_minor.toString() } : {}),
    ...(c.currency !== undefined ? { currency: c.currency } : {}),
  };
}
