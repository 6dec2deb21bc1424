import { describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../provisioning/tenant-config.js';
import type { B2buaCall } from '../b2bua-call.js';
import { CarrierResolver } from './carrier-address.js';
import type { CarrierServices } from './carrier-services.js';
import { defaultOutsideCallLimits, OutsideCalls } from './outside-calls.js';
import { TrunkCallBook } from './trunk-call-book.js';

const tenant = tenantConfigSchema.parse({
  id: 'acme',
  name: 'ACME',
  domain: 'acme.test',
  extensions: [{ number: '1001', name: 'A', password: 'secret-1001' }],
});
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function setup() {
  const book = new TrunkCallBook();
  const calls = new OutsideCalls({
    services: {} as CarrierServices,
    book,
    resolver: new CarrierResolver(),
    logger: silent,
    limits: defaultOutsideCallLimits,
    now: Date.now,
  });
  return { book, calls };
}

const call = (id: string) => ({ id, tenant, caller: { extension: '1001' } }) as unknown as B2buaCall;

describe('OutsideCalls', () => {
  it('takes dialled digits (with +, separators) as outside numbers and leaves the rest alone', () => {
    const { calls } = setup();
    expect(calls.resolveDialled(tenant, '00442079460958')).toEqual({
      kind: 'number',
      number: '00442079460958',
    });
    expect(calls.resolveDialled(tenant, '+44-20-7946-0958')).toEqual({
      kind: 'number',
      number: '+442079460958',
    });
    expect(calls.resolveDialled(tenant, '*97')).toBeUndefined();
    expect(calls.resolveDialled(tenant, 'alice')).toBeUndefined();
    expect(calls.resolveDialled(tenant, '1'.repeat(40))).toBeUndefined();
  });

  it("applies the permission class of the extension whose rule leads outside, else the caller's", () => {
    const { calls, book } = setup();
    expect(calls.ruleOwner(call('a'), ['number:00442079460958'])).toBe('1001');
    expect(calls.ruleOwner(call('a'), ['extension:1002', 'number:+4930123456'])).toBe('1002');
    expect(calls.ruleOwner(call('a'), ['ringgroup:sales', 'number:+4930123456'])).toBeUndefined();
    expect(calls.ruleOwner(call('a'), ['ivr:main', 'number:+4930123456'])).toBeUndefined();
    // A call from a carrier to a DID that points outside is no extension's.
    book.of('b').inbound = { carrierId: 'c', did: '+4930111', release: () => {} };
    expect(calls.ruleOwner(call('b'), ['number:+4930123456'])).toBeUndefined();
  });
});
