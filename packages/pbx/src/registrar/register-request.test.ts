import { describe, expect, it } from 'vitest';
import type { Binding } from './binding.js';
import { processRegister, type RegisterRequest } from './register-request.js';

const flow = { transport: 'udp', address: '192.0.2.10', port: 5062 } as const;
const now = 1_000_000;

function request(overrides: Partial<RegisterRequest> = {}): RegisterRequest {
  return {
    tenantId: 'acme',
    aor: '1001',
    callId: 'call-1',
    cseq: 1,
    wildcard: false,
    contacts: [{ uri: 'sip:1001@192.168.1.5:5062' }],
    flow,
    ...overrides,
  };
}

function bound(contact: string, overrides: Partial<Binding> = {}): Binding {
  return {
    tenantId: 'acme',
    aor: '1001',
    contact,
    callId: 'call-1',
    cseq: 1,
    expiresAt_ms: now + 60_000,
    registeredAt_ms: now - 1000,
    flow,
    ...overrides,
  };
}

describe('processRegister (RFC 3261 §10.3)', () => {
  it('adds a binding with the default lifetime, bound to the observed flow', () => {
    const outcome = processRegister([], request(), now);
    expect(outcome.status).toBe(200);
    if (outcome.status !== 200) return;
    expect(outcome.bindings).toHaveLength(1);
    expect(outcome.bindings[0]).toMatchObject({
      contact: 'sip:1001@192.168.1.5:5062',
      expiresAt_ms: now + 3600_000,
      flow,
    });
  });

  it('honours the contact expires parameter over the Expires header, capped at the maximum', () => {
    const outcome = processRegister(
      [],
      request({ expires: 120, contacts: [{ uri: 'sip:a@h', expires: 7200 }, { uri: 'sip:b@h' }] }),
      now,
    );
    expect(outcome.status === 200 && outcome.bindings.map((b) => (b.expiresAt_ms - now) / 1000)).toEqual([
      3600, 120,
    ]);
  });

  it('answers 423 with Min-Expires for a lifetime under the minimum, changing nothing', () => {
    expect(processRegister([], request({ expires: 30 }), now)).toEqual({ status: 423, minExpires_s: 60 });
  });

  it('keeps several devices per extension and refreshes one without touching the others', () => {
    const first = bound('sip:1001@10.0.0.1');
    const outcome = processRegister(
      [first],
      request({ callId: 'other', contacts: [{ uri: 'sip:1001@10.0.0.2' }] }),
      now,
    );
    expect(outcome.status === 200 && outcome.bindings.map((b) => b.contact)).toEqual([
      'sip:1001@10.0.0.1',
      'sip:1001@10.0.0.2',
    ]);
  });

  it('removes one binding with expires=0 and all with Contact: * and Expires: 0', () => {
    const a = bound('sip:a@h');
    const b = bound('sip:b@h', { callId: 'x' });
    const one = processRegister(
      [a, b],
      request({ cseq: 2, contacts: [{ uri: 'sip:a@h', expires: 0 }] }),
      now,
    );
    expect(one.status === 200 && one.bindings.map((x) => x.contact)).toEqual(['sip:b@h']);
    const all = processRegister([a, b], request({ cseq: 2, wildcard: true, contacts: [], expires: 0 }), now);
    expect(all).toMatchObject({ status: 200, bindings: [], removals: [a, b] });
  });

  it('refuses Contact: * without Expires: 0 or beside other contacts', () => {
    expect(processRegister([], request({ wildcard: true, contacts: [], expires: 60 }), now)).toEqual({
      status: 400,
      reason: 'Contact * requires Expires: 0',
    });
    expect(processRegister([], request({ wildcard: true, expires: 0 }), now)).toEqual({
      status: 400,
      reason: 'Contact * must be the only contact',
    });
  });

  it('refuses an out-of-order REGISTER with the same Call-ID and a CSeq not higher', () => {
    const existing = bound('sip:1001@192.168.1.5:5062', { cseq: 5 });
    expect(processRegister([existing], request({ cseq: 5 }), now).status).toBe(500);
    expect(processRegister([existing], request({ cseq: 6 }), now).status).toBe(200);
    expect(processRegister([existing], request({ cseq: 1, callId: 'new-call' }), now).status).toBe(200);
  });

  it('replaces a binding of the same device instance that moved to a new contact', () => {
    const old = bound('sip:1001@10.0.0.1', { instanceId: '<urn:uuid:1>', callId: 'c0' });
    const outcome = processRegister(
      [old],
      request({ contacts: [{ uri: 'sip:1001@10.0.0.9', instanceId: '<urn:uuid:1>' }] }),
      now,
    );
    expect(outcome).toMatchObject({ status: 200, removals: [old] });
    expect(outcome.status === 200 && outcome.bindings.map((b) => b.contact)).toEqual(['sip:1001@10.0.0.9']);
  });

  it('lets the oldest device give way past the per-extension limit', () => {
    const limits = { minExpires_s: 60, maxExpires_s: 3600, defaultExpires_s: 3600, maxContactsPerAor: 2 };
    const a = bound('sip:a@h', { registeredAt_ms: 1, callId: 'a' });
    const b = bound('sip:b@h', { registeredAt_ms: 2, callId: 'b' });
    const outcome = processRegister(
      [a, b],
      request({ callId: 'c', contacts: [{ uri: 'sip:c@h' }] }),
      now,
      limits,
    );
    expect(outcome).toMatchObject({ status: 200, removals: [a] });
    expect(outcome.status === 200 && outcome.bindings.map((x) => x.contact)).toEqual(['sip:b@h', 'sip:c@h']);
  });

  it('ignores bindings that have already expired', () => {
    const stale = bound('sip:old@h', { expiresAt_ms: now - 1 });
    const outcome = processRegister([stale], request(), now);
    expect(outcome.status === 200 && outcome.bindings.map((b) => b.contact)).toEqual([
      'sip:1001@192.168.1.5:5062',
    ]);
  });
});
