import { formatUri } from '@telekommune/sip';
import { describe, expect, it } from 'vitest';
import { carrierConfigSchema } from '../../carriers/carrier-config.js';
import { carrierIdentity, ringOutcomeOf } from './carrier-dial.js';

const carrier = (extra: object) =>
  carrierConfigSchema.parse({
    id: 'c',
    name: 'C',
    host: 'sip.carrier.example',
    auth: { mode: 'ip', allow: ['192.0.2.1'] },
    ...extra,
  });

describe('carrierIdentity', () => {
  it("presents the caller's DID in the carrier's format in From and P-Asserted-Identity (RFC 3325)", () => {
    const identity = carrierIdentity(
      carrier({ numberFormat: 'national', country: 'DE', techPrefix: '99#' }),
      {
        e164: '+49301234567',
        anonymous: false,
      },
    );
    // The tech prefix belongs to the dialled number only.
    expect(formatUri(identity.from)).toBe('sip:0301234567@sip.carrier.example');
    expect(identity.headers).toEqual([['P-Asserted-Identity', '<sip:0301234567@sip.carrier.example>']]);
  });

  it('hides an anonymous caller (RFC 3323) but still asserts the number to the carrier', () => {
    const identity = carrierIdentity(carrier({}), { e164: '+442079460958', anonymous: true });
    expect(formatUri(identity.from)).toBe('sip:anonymous@anonymous.invalid');
    expect(identity.fromDisplayName).toBe('Anonymous');
    expect(identity.headers).toEqual([
      ['P-Asserted-Identity', '<sip:+442079460958@sip.carrier.example>'],
      ['Privacy', 'id'],
    ]);
  });

  it('sends no identity it does not have', () => {
    const identity = carrierIdentity(carrier({}), { e164: undefined, anonymous: false });
    expect(formatUri(identity.from)).toBe('sip:anonymous@anonymous.invalid');
    expect(identity.headers).toEqual([]);
  });
});

describe('ringOutcomeOf', () => {
  it("gives the caller the callee's answer, and never a challenge", () => {
    expect(ringOutcomeOf(486, 'Busy Here')).toEqual({ kind: 'busy' });
    expect(ringOutcomeOf(603, 'Decline')).toEqual({ kind: 'declined' });
    expect(ringOutcomeOf(404, 'Not Found')).toEqual({ kind: 'not-found' });
    expect(ringOutcomeOf(484, 'Address Incomplete')).toEqual({ kind: 'not-found' });
    expect(ringOutcomeOf(480, 'Temporarily Unavailable')).toMatchObject({ kind: 'unavailable' });
    expect(ringOutcomeOf(503, 'Service Unavailable')).toEqual({
      kind: 'failed',
      status: 503,
      reason: 'Service Unavailable',
    });
  });
});
