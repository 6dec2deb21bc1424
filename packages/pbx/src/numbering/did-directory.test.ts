import { describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../provisioning/tenant-config.js';
import { inboundCallerId } from './caller-id.js';
import { DidDirectory } from './did-directory.js';

const tenants = [
  tenantConfigSchema.parse({
    id: 'berlin',
    name: 'Berlin',
    domain: 'berlin.test',
    country: 'DE',
    extensions: [{ number: '1001', name: 'A', password: 'secret-1001' }],
    dids: [{ number: '030 1234567', destination: '1001' }],
  }),
  tenantConfigSchema.parse({
    id: 'london',
    name: 'London',
    domain: 'london.test',
    country: 'GB',
    dids: [{ number: '+44 20 7946 0958', destination: 'hangup' }],
  }),
  tenantConfigSchema.parse({
    id: 'nyc',
    name: 'New York',
    domain: 'nyc.test',
    dids: [{ number: '+1 212 555 0123', destination: 'number:+49301234567' }],
  }),
];
const directory = new DidDirectory(tenants);

describe('DidDirectory', () => {
  it.each([
    ['+49301234567', undefined, 'berlin'],
    ['tel:+49-30-1234567', undefined, 'berlin'],
    ['0049301234567', { numberFormat: 'international-00' }, 'berlin'],
    ['49301234567', { numberFormat: 'e164' }, 'berlin'],
    ['0301234567', { numberFormat: 'national', country: 'DE' }, 'berlin'],
    ['0301234567', { numberFormat: 'e164-plus' }, 'berlin'],
    ['442079460958', { numberFormat: 'e164' }, 'london'],
    ['02079460958', { numberFormat: 'national', country: 'GB' }, 'london'],
    ['00442079460958', { numberFormat: 'national', country: 'DE' }, 'london'],
    ['12125550123', { numberFormat: 'e164' }, 'nyc'],
    ['2125550123', { numberFormat: 'national', country: 'US' }, 'nyc'],
    ['011442079460958', { numberFormat: 'national', country: 'US' }, 'london'],
  ] as const)('finds %s from a carrier sending %j for tenant %s', (text, carrier, tenantId) => {
    expect(directory.lookup(text, carrier)?.tenantId).toBe(tenantId);
  });

  it('gives the destination and misses unknown numbers', () => {
    expect(directory.lookup('+49301234567')?.destination).toEqual({ kind: 'extension', number: '1001' });
    expect(directory.lookup('+49301234568')).toBeUndefined();
    expect(directory.lookup('garbage')).toBeUndefined();
    expect(directory.size).toBe(3);
  });
});

describe('inboundCallerId', () => {
  it('shows callers in international format whatever the carrier sent', () => {
    expect(inboundCallerId('0891234567', { numberFormat: 'national', country: 'DE' })).toEqual({
      e164: '+49891234567',
      display: '+49 89 1234567',
    });
    expect(inboundCallerId('sip:442079460958@gw.example', { numberFormat: 'e164' })).toEqual({
      e164: '+442079460958',
      display: '+44 20 7946 0958',
    });
    expect(inboundCallerId('anonymous', { numberFormat: 'e164' })).toEqual({
      e164: undefined,
      display: 'anonymous',
    });
    expect(inboundCallerId('sip:anonymous@anonymous.invalid', { numberFormat: 'e164' }).display).toBe(
      'anonymous',
    );
    expect(inboundCallerId('12', { numberFormat: 'e164' })).toEqual({ e164: undefined, display: '12' });
  });
});
