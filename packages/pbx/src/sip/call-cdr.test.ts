import { describe, expect, it } from 'vitest';
import { type EndedCall, internalCallCdr } from './call-cdr.js';

const call: EndedCall = {
  id: 'c1',
  tenantId: 'acme',
  callId: 'abc@host',
  caller: { extension: '1001', displayName: 'Alice' },
  dialled: '1002',
  answeredBy: undefined,
  startedAt_ms: 1000,
  answeredAt_ms: undefined,
  endedAt_ms: undefined,
  hangupSide: undefined,
  finalStatus: 486,
  path: ['extension:1002'],
};

describe('internalCallCdr', () => {
  it('records an unanswered call with its disposition and status, ended by the system, at `now` when no end is known', () => {
    expect(internalCallCdr(call, 'busy', 5000)).toMatchObject({
      direction: 'internal',
      caller: '1001',
      callerName: 'Alice',
      callee: '1002',
      disposition: 'busy',
      sipStatus: 486,
      hangupSide: 'system',
      endedAt_ms: 5000,
      forwardingPath: ['extension:1002'],
    });
    expect(internalCallCdr(call, undefined, 5000).disposition).toBe('failed');
  });

  it('records an answered call as answered with 200, whatever ended it', () => {
    const answered = {
      ...call,
      answeredAt_ms: 2000,
      endedAt_ms: 9000,
      answeredBy: '1002',
      hangupSide: 'callee' as const,
    };
    expect(internalCallCdr(answered, 'cancelled', 10_000)).toMatchObject({
      disposition: 'answered',
      sipStatus: 200,
      answeredBy: '1002',
      hangupSide: 'callee',
      endedAt_ms: 9000,
    });
  });
});
