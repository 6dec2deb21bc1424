import { describe, expect, it } from 'vitest';
import { outcomeOfFailures, statusFor } from './ring-status.js';

describe('outcomeOfFailures', () => {
  it('prefers declined, then busy, over the rest (RFC 3261 §16.7, as a PBX user sees it)', () => {
    expect(outcomeOfFailures([486, 603, 500])).toEqual({ kind: 'declined' });
    expect(outcomeOfFailures([480, 600])).toEqual({ kind: 'busy' });
    expect(outcomeOfFailures([404, 604])).toEqual({ kind: 'unavailable', reason: 'device unknown' });
    expect(outcomeOfFailures([404, 487])).toEqual({ kind: 'no-answer' });
    expect(outcomeOfFailures([408, 480, 415])).toEqual({ kind: 'failed', status: 415 });
    expect(outcomeOfFailures([408, 503])).toEqual({ kind: 'unavailable', reason: 'no device reachable' });
  });
});

describe('statusFor', () => {
  it('answers the caller with the status of each outcome', () => {
    expect(statusFor({ kind: 'busy' })).toEqual({ status: 486, disposition: 'busy' });
    expect(statusFor({ kind: 'no-answer' })).toEqual({
      status: 480,
      reason: 'No Answer',
      disposition: 'no-answer',
    });
    expect(statusFor({ kind: 'unavailable', reason: 'not registered' })).toEqual({
      status: 480,
      reason: 'Not registered',
      disposition: 'unavailable',
    });
    expect(statusFor({ kind: 'cancelled' })).toEqual({ status: 487, disposition: 'cancelled' });
  });

  it('never passes on a status outside 400-699 for a failure', () => {
    expect(statusFor({ kind: 'failed', status: 200 }).status).toBe(500);
    expect(statusFor({ kind: 'failed', status: 700 }).status).toBe(500);
    expect(statusFor({ kind: 'failed', status: 503, reason: 'Busy Everywhere' })).toEqual({
      status: 503,
      reason: 'Busy Everywhere',
      disposition: 'failed',
    });
  });
});
