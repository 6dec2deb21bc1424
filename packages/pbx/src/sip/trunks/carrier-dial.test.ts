import { formatUri } from '@telekommune/sip';
import { describe, expect, it } from 'vitest';
import type { RingOutcome } from '../../calls/ring-outcome.js';
import { carrierConfigSchema } from '../../carriers/carrier-config.js';
import type { B2buaCall } from '../b2bua-call.js';
import type { ForkSpec } from '../fork-spec.js';
import { carrierIdentity, dialCarrier, ringOutcomeOf } from './carrier-dial.js';

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

describe('dialCarrier codecs', () => {
  const offer = [
    'v=0',
    'o=- 1 1 IN IP4 192.0.2.10',
    's=-',
    'c=IN IP4 192.0.2.10',
    't=0 0',
    'm=audio 4000 RTP/AVP 0 8 111 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:101 telephone-event/8000',
    '',
  ].join('\r\n');
  const dial = (codecs: string[], calleeOffer: string | undefined) => {
    const specs: ForkSpec[] = [];
    const call = {
      calleeOffer,
      attempt: async (forks: readonly ForkSpec[]): Promise<RingOutcome> => {
        specs.push(...forks);
        return { kind: 'answered', by: '+442079460958' };
      },
    } as unknown as B2buaCall;
    const result = dialCarrier({
      call,
      label: '+442079460958',
      carrier: carrier({ codecs }),
      dialString: '+442079460958',
      callerId: { e164: undefined, anonymous: false },
      target: { protocol: 'udp', address: '192.0.2.1', port: 5060 },
      signal: new AbortController().signal,
      timers: { setup_ms: 1000, ring_ms: 1000 },
    });
    return { result, specs };
  };

  it('offers the carrier only its codecs, in its order of preference', async () => {
    const { result, specs } = dial(['PCMA', 'PCMU', 'telephone-event'], offer);
    expect(await result).toEqual({ kind: 'answered' });
    expect(specs).toHaveLength(1);
    expect(specs[0]!.offer).toContain('m=audio 4000 RTP/AVP 8 0 101\r\n');
    expect(specs[0]!.offer).not.toContain('opus');
  });

  it('does not try a carrier that takes none of the offered voice codecs, so LCR fails over', async () => {
    const { result, specs } = dial(['G722', 'telephone-event'], offer);
    expect(await result).toMatchObject({
      kind: 'failed',
      attempt: { kind: 'transport-error' },
      ring: { kind: 'failed', status: 488 },
    });
    expect(specs).toHaveLength(0);
  });

  it('leaves a late offer (no SDP in the INVITE) to the carrier', async () => {
    const { specs } = dial(['PCMA'], undefined);
    expect(specs[0]!.offer).toBeUndefined();
  });
});
