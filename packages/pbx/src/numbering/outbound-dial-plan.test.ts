import { describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../provisioning/tenant-config.js';
import { validateProvisioningDocument } from '../provisioning/validate.js';
import { decideOutbound, outboundCallerId } from './outbound-dial-plan.js';

const berlin = tenantConfigSchema.parse({
  id: 'acme',
  name: 'ACME',
  domain: 'acme.test',
  country: 'de',
  dialPlan: { areaCode: '30' },
  dids: [
    { number: '030 1234567', destination: 'extension:1001' },
    { number: '+49 30 1234500', destination: 'ringgroup:sales', name: 'Sales' },
    { number: '+44 20 7946 0958', destination: '1002' },
  ],
  extensions: [
    { number: '1001', name: 'Alice', password: 'secret-1001', outbound: { class: 'international' } },
    { number: '1002', name: 'Bob', password: 'secret-1002', outbound: { callerId: '+49 30 1234500' } },
    {
      number: '1003',
      name: 'Carol',
      password: 'secret-1003',
      outbound: { class: 'internal', callerId: 'anonymous' },
    },
  ],
  ringGroups: [{ id: 'sales', name: 'Sales', number: '600', strategy: 'simultaneous', members: ['1001'] }],
});

const decide = (extension: string, dialled: string) => decideOutbound({ tenant: berlin, extension, dialled });

describe('the tenant schema for numbers', () => {
  it('stores DIDs and caller IDs in E.164 and the country in capitals', () => {
    expect(berlin.country).toBe('DE');
    expect(berlin.dids?.map((d) => d.number)).toEqual(['+49301234567', '+49301234500', '+442079460958']);
    expect(berlin.extensions[1]?.outbound?.callerId).toBe('+49301234500');
  });

  it('reports number problems at their paths', () => {
    const checked = validateProvisioningDocument({
      tenants: [
        {
          id: 'bad',
          name: 'Bad',
          domain: 'bad.test',
          country: 'XX',
          dids: [
            { number: '+49 30 1234567', destination: 'extension:1001' },
            { number: '0049301234567', destination: 'extension:9999' },
            { number: 'not a number', destination: 'hangup' },
          ],
          extensions: [
            {
              number: '1001',
              name: 'A',
              password: 'secret-1001',
              outbound: { callerId: '+49 30 7654321', class: 'vip' },
            },
            { number: '112', name: 'B', password: 'secret-0112' },
          ],
        },
      ],
      carriers: [
        {
          id: 'c',
          name: 'C',
          host: 'sip.example',
          auth: { mode: 'ip', allow: ['300.1.1.1'] },
          numberFormat: 'national',
        },
      ],
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues).toEqual(
      expect.arrayContaining([
        { path: 'tenants[0].country', message: 'expected a two-letter country code such as DE' },
        {
          path: 'tenants[0].extensions[0].outbound.class',
          message: expect.stringContaining('expected one of'),
        },
        { path: 'carriers[0].auth.allow[0]', message: expect.stringContaining('CIDR') },
      ]),
    );
  });

  it('checks DIDs, caller IDs and emergency shadowing once the basics are right', () => {
    const checked = validateProvisioningDocument({
      tenants: [
        {
          id: 'bad',
          name: 'Bad',
          domain: 'bad.test',
          country: 'DE',
          dids: [
            { number: '+49 30 1234567', destination: 'extension:1001' },
            { number: '0049301234567', destination: 'extension:1001' },
            { number: 'not a number', destination: 'hangup' },
            { number: '+49 30 1234568', destination: 'extension:9999' },
          ],
          extensions: [
            { number: '1001', name: 'A', password: 'secret-1001', outbound: { callerId: '+49 30 7654321' } },
            { number: '110', name: 'B', password: 'secret-0110' },
          ],
        },
        {
          id: 'other',
          name: 'Other',
          domain: 'other.test',
          dids: [{ number: '+49301234567', destination: 'hangup' }],
        },
      ],
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.issues).toEqual([
      { path: 'tenants[0].dids[3].destination', message: 'no extension 9999 in this tenant' },
      { path: 'tenants[0].dids[1].number', message: 'duplicate DID +49301234567 (also dids[0])' },
      { path: 'tenants[0].dids[2].number', message: expect.stringContaining('expected digits') },
      {
        path: 'tenants[0].extensions[0].outbound.callerId',
        message: "+49307654321 is not one of this tenant's DIDs",
      },
      { path: 'tenants[0].extensions[1].number', message: '110 is an emergency number in DE' },
    ]);
  });

  it('refuses a DID held by two tenants of one document', () => {
    const tenant = (id: string) => ({
      id,
      name: id,
      domain: `${id}.test`,
      dids: [{ number: '+49301234567', destination: 'hangup' }],
    });
    const checked = validateProvisioningDocument({ tenants: [tenant('a'), tenant('b')] });
    expect(checked).toEqual({
      ok: false,
      issues: [
        { path: 'tenants[1].dids[0].number', message: 'DID +49301234567 is already tenants[0].dids[0]' },
      ],
    });
  });
});

describe('decideOutbound', () => {
  it('reads the tenant country conventions into E.164 and classifies', () => {
    expect(decide('1001', '030 7654321')).toMatchObject({
      kind: 'outside',
      e164: '+49307654321',
      numberClass: 'local',
    });
    expect(decide('1001', '7654321')).toMatchObject({
      kind: 'outside',
      e164: '+49307654321',
      numberClass: 'local',
    });
    expect(decide('1001', '089 1234567')).toMatchObject({ e164: '+49891234567', numberClass: 'national' });
    expect(decide('1001', '0176 12345678')).toMatchObject({ e164: '+4917612345678', numberClass: 'mobile' });
    expect(decide('1001', '0044 20 7946 0000')).toMatchObject({
      e164: '+442079460000',
      numberClass: 'international',
    });
    expect(decide('1001', '+1 212 555 0123')).toMatchObject({
      e164: '+12125550123',
      numberClass: 'international',
    });
  });

  it('always allows emergency numbers, even for internal-only extensions', () => {
    expect(decide('1003', '112')).toMatchObject({ kind: 'emergency', shortCode: '112' });
    expect(decide('1003', '110')).toMatchObject({ kind: 'emergency', shortCode: '110' });
  });

  it('enforces permission classes', () => {
    expect(decide('1003', '030 7654321')).toMatchObject({ kind: 'refused', reason: 'not-permitted' });
    // Default class: national.
    expect(decide('1002', '089 1234567')).toMatchObject({ kind: 'outside' });
    expect(decide('1002', '0176 12345678')).toMatchObject({ kind: 'refused', reason: 'not-permitted' });
    expect(decide('1002', '0800 1234567')).toMatchObject({ kind: 'outside', numberClass: 'tollfree' });
    expect(decide('1001', '0900 5123456')).toMatchObject({ kind: 'refused', reason: 'not-permitted' });
  });

  it('keeps internal numbers internal and refuses junk', () => {
    expect(decide('1001', '1002')).toEqual({ kind: 'internal', number: '1002' });
    expect(decide('1001', '600')).toEqual({ kind: 'internal', number: '600' });
    expect(decide('1001', 'abc')).toMatchObject({ kind: 'refused', reason: 'invalid-number' });
    expect(decide('1001', '0301')).toMatchObject({ kind: 'refused', reason: 'invalid-number' });
  });

  it('requires the outside-line prefix when the tenant has one, but not for emergency calls', () => {
    const tenant = { ...berlin, dialPlan: { areaCode: '30', outsidePrefix: '0' } };
    const go = (dialled: string) => decideOutbound({ tenant, extension: '1001', dialled });
    expect(go('0030 7654321')).toMatchObject({ kind: 'outside', e164: '+49307654321' });
    expect(go('112')).toMatchObject({ kind: 'emergency', shortCode: '112' });
    expect(go('0112')).toMatchObject({ kind: 'emergency', shortCode: '112' });
    expect(go('+49307654321')).toMatchObject({ kind: 'outside' });
    expect(go('7654321')).toMatchObject({ kind: 'refused', reason: 'outside-prefix-missing' });
  });

  it('reads only international forms without a tenant country', () => {
    const tenant = { ...berlin, country: undefined, dialPlan: undefined };
    const go = (dialled: string) => decideOutbound({ tenant, extension: '1001', dialled });
    expect(go('0049 30 7654321')).toMatchObject({
      kind: 'outside',
      e164: '+49307654321',
      numberClass: 'international',
    });
    expect(go('030 7654321')).toMatchObject({ kind: 'refused', reason: 'invalid-number' });
  });
});

describe('outboundCallerId', () => {
  it('takes the extension setting, then its direct DID, then the tenant default, then the first DID', () => {
    expect(outboundCallerId(berlin, '1002')).toEqual({ e164: '+49301234500', anonymous: false });
    expect(outboundCallerId(berlin, '1001')).toEqual({ e164: '+49301234567', anonymous: false });
    expect(outboundCallerId({ ...berlin, dialPlan: { callerId: '+442079460958' } }, undefined)).toEqual({
      e164: '+442079460958',
      anonymous: false,
    });
    expect(outboundCallerId(berlin, undefined)).toEqual({ e164: '+49301234567', anonymous: false });
  });

  it('hides the number but still asserts one for anonymous callers', () => {
    expect(outboundCallerId(berlin, '1003')).toEqual({ e164: '+49301234567', anonymous: true });
  });
});
