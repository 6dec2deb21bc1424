import { describe, expect, it } from 'vitest';
import {
  choosePickup,
  type PickableCall,
  type PickupCandidate,
  pickUpRinging,
  pickupGroupOf,
} from './call-pickup.js';

const tenant = {
  id: 'acme',
  extensions: ['1001', '1002', '1003', '1004', '1005'].map((number) => ({ number })),
  ringGroups: [
    { members: [{ extension: '1002' }, { extension: '1003' }] },
    { members: [{ extension: '1003' }, { extension: '1004' }] },
  ],
} as unknown as Parameters<typeof choosePickup>[1]['tenant'];

const call = (
  id: string,
  ringing: string[],
  more: Partial<{ tenantId: string; caller: string; startedAt_ms: number }> = {},
): PickupCandidate & { id: string } => ({
  id,
  tenantId: more.tenantId ?? 'acme',
  startedAt_ms: more.startedAt_ms ?? 0,
  caller: { extension: more.caller ?? '1001' },
  ringingExtensions: new Set(ringing),
});

describe('call pickup: which ringing call a code takes (pbx.md §4)', () => {
  it('makes the other members of the picker’s ring groups its pickup group', () => {
    expect([...pickupGroupOf(tenant, '1003')].sort()).toEqual(['1002', '1004']);
    expect([...pickupGroupOf(tenant, '1002')]).toEqual(['1003']);
    expect(pickupGroupOf(tenant, '1005').size).toBe(0);
  });

  it('takes the call ringing the named extension with **EXT', () => {
    const calls = [call('a', ['1004']), call('b', ['1002', '1003'])];
    const choice = choosePickup(calls, {
      tenant,
      picker: '1005',
      feature: 'pickupDirected',
      argument: '1002',
    });
    expect(choice).toMatchObject({ kind: 'call', call: { id: 'b' } });
  });

  it('takes the longest-ringing call to a group mate with *8', () => {
    const calls = [
      call('late', ['1004'], { startedAt_ms: 20 }),
      call('early', ['1002'], { startedAt_ms: 10 }),
      call('stranger', ['1005'], { startedAt_ms: 1 }),
    ];
    expect(choosePickup(calls, { tenant, picker: '1003', feature: 'pickupGroup' })).toMatchObject({
      kind: 'call',
      call: { id: 'early' },
    });
  });

  it('never takes another tenant’s call, a call not ringing, nor one the picker placed', () => {
    const calls = [
      call('other-tenant', ['1002', '1003'], { tenantId: 'beta' }),
      call('answered', []),
      call('own', ['1002'], { caller: '1005' }),
      call('own-group', ['1003'], { caller: '1002' }),
    ];
    expect(
      choosePickup(calls, { tenant, picker: '1005', feature: 'pickupDirected', argument: '1002' }),
    ).toEqual({ kind: 'refuse', status: 480, reason: 'No Call To Pick Up' });
    expect(choosePickup(calls, { tenant, picker: '1002', feature: 'pickupGroup' })).toEqual({
      kind: 'refuse',
      status: 480,
      reason: 'No Call To Pick Up',
    });
    // The same calls are taken by a picker who did not place them.
    expect(choosePickup(calls, { tenant, picker: '1004', feature: 'pickupGroup' })).toMatchObject({
      kind: 'call',
    });
  });

  it('refuses an extension that does not exist, a missing one, and a picker in no ring group', () => {
    const calls = [call('a', ['1002'])];
    for (const argument of ['9999', undefined]) {
      expect(choosePickup(calls, { tenant, picker: '1003', feature: 'pickupDirected', argument })).toEqual({
        kind: 'refuse',
        status: 404,
        reason: 'No Such Extension To Pick Up',
      });
    }
    expect(choosePickup(calls, { tenant, picker: '1005', feature: 'pickupGroup' })).toEqual({
      kind: 'refuse',
      status: 480,
      reason: 'Not In Any Ring Group',
    });
  });
});

describe('pickUpRinging', () => {
  const replies: { status: number; reason?: string }[] = [];
  const transaction = {
    reply: (status: number, options: { reason?: string } = {}) =>
      replies.push({ status, ...(options.reason ? { reason: options.reason } : {}) }),
  } as unknown as Parameters<typeof pickUpRinging>[5];
  const invite = {} as Parameters<typeof pickUpRinging>[4];
  const log = { info: () => {} };

  it('leaves other feature codes alone', () => {
    expect(pickUpRinging([], tenant, '1003', { feature: 'dndOn' }, invite, transaction, log)).toBe(false);
  });

  it('hands the chosen call the picker, and answers the INVITE with the call’s refusal or the chooser’s', () => {
    replies.length = 0;
    const taken: string[] = [];
    const ok: PickableCall = { ...call('ok', ['1002']), pickUp: (picker) => void taken.push(picker) };
    expect(pickUpRinging([ok], tenant, '1003', { feature: 'pickupGroup' }, invite, transaction, log)).toBe(
      true,
    );
    expect(taken).toEqual(['1003']);
    expect(replies).toEqual([]); // the call answered the picker itself
    const late: PickableCall = {
      ...call('late', ['1002']),
      pickUp: () => ({ status: 488, reason: 'Pickup Needs An SDP Offer' }),
    };
    pickUpRinging(
      [late],
      tenant,
      '1003',
      { feature: 'pickupDirected', argument: '1002' },
      invite,
      transaction,
      log,
    );
    pickUpRinging(
      [],
      tenant,
      '1003',
      { feature: 'pickupDirected', argument: '1002' },
      invite,
      transaction,
      log,
    );
    expect(replies).toEqual([
      { status: 488, reason: 'Pickup Needs An SDP Offer' },
      { status: 480, reason: 'No Call To Pick Up' },
    ]);
  });
});
