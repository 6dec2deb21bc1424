import type { Replaces } from '@telekommune/sip';
import { describe, expect, it } from 'vitest';
import { matchReplaces, type ReplacesLookup, type TransferableCall } from './attended-transfer.js';
import type { Side } from './in-dialog-relay.js';

interface FakeCall extends TransferableCall {
  readonly name: string;
}

const call = (name: string, parties: { a: string; b: string }, over: Partial<FakeCall> = {}): FakeCall => ({
  name,
  tenantId: 'acme',
  party: (side: Side) => parties[side],
  joinRefusal: () => undefined,
  ...over,
});

// A (1001) called B (1002), then C (1003). Dialog of call 2 with A at the PBX: Call-ID c2, our tag pbx2, A's tag a2.
const first = call('first', { a: '1001', b: '1002' });
const second = call('second', { a: '1001', b: '1003' });
const lookup = (
  dialogs: Record<string, { call: FakeCall; side: Side }>,
  ringing: string[] = [],
): ReplacesLookup<FakeCall> => ({
  find: (callId, local, remote) => dialogs[`${callId}/${local}/${remote}`],
  ringing: (callId) => ringing.includes(callId),
});
const consult = lookup({ 'c2/pbx2/a2': { call: second, side: 'a' } });
const replaces = (over: Partial<Replaces> = {}): Replaces => ({
  callId: 'c2',
  toTag: 'pbx2',
  fromTag: 'a2',
  earlyOnly: false,
  ...over,
});

describe('matchReplaces', () => {
  it("finds the consultation by the transferor's view of it (to-tag ours, from-tag the transferor's)", () => {
    expect(matchReplaces(replaces(), first, '1001', consult)).toEqual({
      kind: 'join',
      call: second,
      transferorSide: 'a',
    });
  });

  it('also takes the tags the other way round (a transferor that was called in the consultation)', () => {
    const match = matchReplaces(replaces({ toTag: 'a2', fromTag: 'pbx2' }), first, '1001', consult);
    expect(match).toMatchObject({ kind: 'join', call: second });
  });

  it('finds the transferor on the callee side of the other call', () => {
    const called = call('called', { a: '1003', b: '1001' });
    const match = matchReplaces(
      replaces(),
      first,
      '1001',
      lookup({ 'c2/pbx2/a2': { call: called, side: 'b' } }),
    );
    expect(match).toEqual({ kind: 'join', call: called, transferorSide: 'b' });
  });

  it('refuses with 481 when no call has that dialog, and names a consultation still ringing', () => {
    expect(matchReplaces(replaces({ callId: 'nope' }), first, '1001', consult)).toMatchObject({
      kind: 'refuse',
      status: 481,
    });
    expect(matchReplaces(replaces({ toTag: 'other' }), first, '1001', consult)).toMatchObject({
      status: 481,
    });
    expect(matchReplaces(replaces(), first, '1001', lookup({}, ['c2']))).toEqual({
      kind: 'refuse',
      status: 403,
      reason: 'Consultation Call Not Answered Yet',
    });
  });

  it('refuses a call in another tenant', () => {
    const foreign = call('foreign', { a: '1001', b: '3001' }, { tenantId: 'beta' });
    const match = matchReplaces(
      replaces(),
      first,
      '1001',
      lookup({ 'c2/pbx2/a2': { call: foreign, side: 'a' } }),
    );
    expect(match).toEqual({ kind: 'refuse', status: 403, reason: 'Calls In Different Tenants' });
  });

  it("refuses when the transferor is not the party on that dialog (someone else's call, or its far leg)", () => {
    const others = call('others', { a: '1005', b: '1003' });
    expect(
      matchReplaces(replaces(), first, '1001', lookup({ 'c2/pbx2/a2': { call: others, side: 'a' } })),
    ).toEqual({ kind: 'refuse', status: 403, reason: 'Transferor Is Not A Party Of Both Calls' });
    expect(
      matchReplaces(replaces(), first, '1001', lookup({ 'c2/pbx2/a2': { call: second, side: 'b' } })),
    ).toMatchObject({ kind: 'refuse', status: 403 });
  });

  it('refuses the call the REFER came in, and a call that cannot be joined now', () => {
    expect(
      matchReplaces(replaces(), first, '1001', lookup({ 'c2/pbx2/a2': { call: first, side: 'a' } })),
    ).toEqual({ kind: 'refuse', status: 403, reason: 'Replaces Names The Same Call' });
    const busy = call(
      'busy',
      { a: '1001', b: '1003' },
      {
        joinRefusal: () => ({ status: 491, reason: 'A Transfer Is In Progress' }),
      },
    );
    expect(
      matchReplaces(replaces(), first, '1001', lookup({ 'c2/pbx2/a2': { call: busy, side: 'a' } })),
    ).toEqual({ kind: 'refuse', status: 491, reason: 'A Transfer Is In Progress' });
  });
});
