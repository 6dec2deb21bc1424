import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { dial, extension, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';
import { callsFrom, carrier, importDeck, provisionCarriers, requestsIn } from './support/trunks.js';

const haveSipp = hasTool('sipp', 'sip-tester');

/**
 * The SIP half of issue 7 against SIPp carriers: outbound calls through
 * least-cost routing with failover, caller ID and number formats, emergency
 * calls, calls from a carrier to DIDs of several countries in several forms,
 * the fraud guard cutting a burst, and no open relay. Each carrier is a SIPp
 * on a loopback address of its own (127.0.0.x), since carriers are known by
 * their source address.
 */
describe.runIf(haveSipp)('calls through SIP trunks, SIPp as the carriers', () => {
  let pbx: TestPbx;
  const alpha = { address: '127.0.0.2', port: 0 };
  const beta = { address: '127.0.0.4', port: 0 };
  const gamma = { address: '127.0.0.3', port: 0 };

  beforeAll(async () => {
    pbx = await startTestPbx({ env: { TK_CARRIER_PING_S: '3600' } });
    alpha.port = await freePort(alpha.address);
    beta.port = await freePort(beta.address);
    gamma.port = await freePort(gamma.address);
    await provisionCarriers(pbx, {
      carriers: [
        {
          id: 'alpha',
          name: 'Alpha (cheap, E.164 with +)',
          host: alpha.address,
          port: alpha.port,
          auth: { mode: 'ip', allow: [alpha.address] },
          numberFormat: 'e164-plus',
        },
        {
          id: 'beta',
          name: 'Beta (backup, 00 format)',
          host: beta.address,
          port: beta.port,
          auth: { mode: 'ip', allow: [beta.address] },
          numberFormat: 'international-00',
          codecs: ['PCMU', 'telephone-event'],
        },
        {
          id: 'gamma',
          name: 'Gamma (inbound, German national format)',
          host: gamma.address,
          port: gamma.port,
          auth: { mode: 'ip', allow: [gamma.address] },
          numberFormat: 'national',
          country: 'DE',
          emergency: false,
        },
      ],
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          country: 'DE',
          dialPlan: { areaCode: '30' },
          extensions: [
            extension('1001', { outbound: { class: 'international' } }),
            extension('1002', { outbound: { class: 'international', callerId: 'anonymous' } }),
            extension('1003'),
            extension('1004', {
              outbound: { class: 'international' },
              forward: { always: 'number:+33142685300' },
            }),
          ],
          dids: [
            { number: '030 1234567', destination: '1001' },
            { number: '+33 1 42 68 53 00', destination: '1002' },
          ],
          fraud: { newDestination: { maxConcurrentCalls: 10 } },
        },
        {
          id: 'globex',
          name: 'Globex',
          domain: 'globex.test',
          country: 'GB',
          extensions: [extension('2001'), extension('2002')],
          dids: [
            { number: '+44 20 7946 0958', destination: '2001' },
            { number: '+1 212 555 0123', destination: '2002' },
          ],
        },
        {
          id: 'burst',
          name: 'Burst',
          domain: 'burst.test',
          country: 'DE',
          extensions: [extension('3001', { outbound: { class: 'international' } })],
          dids: [{ number: '+49 40 1234567', destination: '3001' }],
          fraud: {
            maxConcurrentCalls: 2,
            perExtension: { maxConcurrentCalls: 2 },
            newDestination: { maxConcurrentCalls: 2 },
            maxDeniedPerHour: 3,
          },
        },
      ],
    });
    await importDeck(
      pbx,
      'alpha',
      'prefix,destination,rate_per_minute\n44,United Kingdom,0.0050\n33,France,0.0040\n49,Germany,0.0030\n',
    );
    await importDeck(
      pbx,
      'beta',
      'prefix,destination,rate_per_minute\n44,United Kingdom,0.0090\n33,France,0.0060\n49,Germany,0.0080\n',
    );
  });

  afterAll(async () => {
    await pbx?.close();
  });

  it('sends an outside call to the cheapest carrier with the E.164 number and the caller ID', async () => {
    const far = carrier(alpha.address, alpha.port, 'uas');
    const result = await dial(pbx, '1001', 'acme.test', '00442079460958');
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(1);
    const run = await far.done;
    expect(run.successful, run.output).toBe(1);
    const [invite] = requestsIn(run.messages, 'INVITE');
    expect(invite).toMatch(/^INVITE sip:\+442079460958@127\.0\.0\.2:\d+ SIP\/2\.0/);
    expect(invite).toMatch(/^From: <sip:\+49301234567@127\.0\.0\.2>;tag=/m);
    expect(invite).toMatch(/^P-Asserted-Identity: <sip:\+49301234567@127\.0\.0\.2>/m);
    expect(invite).not.toMatch(/^Privacy:/m);
    // The caller offered 0 8 101; Alpha takes its default codecs, PCMA first.
    expect(invite).toMatch(/^m=audio \d+ RTP\/AVP 8 0 101\r?$/m);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1, (c) => c.callee === '00442079460958');
    expect(cdr).toMatchObject({
      direction: 'outbound',
      carrierId: 'alpha',
      disposition: 'answered',
      answeredBy: '+442079460958',
      caller: '1001',
      currency: 'EUR',
    });
    expect(cdr?.cost_minor).toBeTypeOf('bigint');
    expect(cdr?.price_minor).toBeTypeOf('bigint');
  });

  it('fails over to the next carrier when the cheapest answers 503, in its number format', async () => {
    const cheap = carrier(alpha.address, alpha.port, 'carrier-503.xml');
    const backup = carrier(beta.address, beta.port, 'uas');
    const result = await dial(pbx, '1001', 'acme.test', '+33142685301');
    expect(result.failed, result.output).toBe(0);
    expect((await cheap.done).successful).toBe(1);
    const run = await backup.done;
    expect(run.successful, run.output).toBe(1);
    const [invite] = requestsIn(run.messages, 'INVITE');
    expect(invite).toMatch(/^INVITE sip:0033142685301@127\.0\.0\.4:\d+ SIP\/2\.0/);
    expect(invite).toMatch(/^From: <sip:0049301234567@127\.0\.0\.4>;tag=/m);
    // Beta takes PCMU and telephone-event only: PCMA is not offered to it.
    expect(invite).toMatch(/^m=audio \d+ RTP\/AVP 0 101\r?$/m);
    expect(invite).not.toMatch(/^a=rtpmap:8 /m);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1, (c) => c.callee === '+33142685301');
    expect(cdr).toMatchObject({ direction: 'outbound', carrierId: 'beta', disposition: 'answered' });
  });

  it('hides an anonymous caller from the callee but asserts the number to the carrier', async () => {
    const far = carrier(alpha.address, alpha.port, 'uas');
    const result = await dial(pbx, '1002', 'acme.test', '00442079460959');
    expect(result.failed, result.output).toBe(0);
    const [invite] = requestsIn((await far.done).messages, 'INVITE');
    expect(invite).toMatch(/^From: "Anonymous" <sip:anonymous@anonymous\.invalid>;tag=/m);
    expect(invite).toMatch(/^P-Asserted-Identity: <sip:\+33142685300@127\.0\.0\.2>/m);
    expect(invite).toMatch(/^Privacy: id/m);
  });

  it('routes emergency numbers even for an extension without outside permission', async () => {
    const far = carrier(alpha.address, alpha.port, 'uas');
    const result = await dial(pbx, '1003', 'acme.test', '112');
    expect(result.failed, result.output).toBe(0);
    const [invite] = requestsIn((await far.done).messages, 'INVITE');
    expect(invite).toMatch(/^INVITE sip:112@127\.0\.0\.2:\d+ SIP\/2\.0/);
  });

  it('refuses numbers above the permission class before any carrier sees them', async () => {
    const result = await dial(pbx, '1003', 'acme.test', '00442079460958', { scenario: 'call-refused.xml' });
    expect(result.failed, result.output).toBe(0);
    expect(result.messages).toMatch(/SIP\/2\.0 403 Outside Call Not Permitted/);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1, (c) => c.caller === '1003' && c.sipStatus === 403);
    expect(cdr).toMatchObject({ direction: 'outbound', disposition: 'failed', carrierId: undefined });
  });

  it('forwards to an outside number under the forwarding extension’s permission class', async () => {
    const far = carrier(alpha.address, alpha.port, 'uas');
    const result = await dial(pbx, '1003', 'acme.test', '1004');
    expect(result.failed, result.output).toBe(0);
    const [invite] = requestsIn((await far.done).messages, 'INVITE');
    expect(invite).toMatch(/^INVITE sip:\+33142685300@127\.0\.0\.2/);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1, (c) => c.callee === '1004');
    expect(cdr).toMatchObject({
      direction: 'outbound',
      carrierId: 'alpha',
      forwardingPath: ['extension:1004', 'number:+33142685300'],
    });
  });

  it('delivers calls from a carrier to DIDs of several countries, in several forms, to the right tenant', async () => {
    const phones = {
      acme1001: await phone(pbx, '1001', 'acme.test', { calls: 2 }),
      acme1002: await phone(pbx, '1002', 'acme.test'),
      globex2001: await phone(pbx, '2001', 'globex.test'),
      globex2002: await phone(pbx, '2002', 'globex.test'),
    };
    const rows = [
      // Request-URI user in the carrier's national form; To as it came.
      ['0301234567', 'sip:0301234567@pbx.example', '08912345678'],
      // International with 00, caller with +.
      ['0033142685300', 'sip:0033142685300@pbx.example', '+33612345678'],
      // E.164 with +, caller in 00 form.
      ['+442079460958', 'sip:+442079460958@pbx.example', '00442071838750'],
      // E.164 digits without +.
      ['12125550123', 'sip:12125550123@pbx.example', '0301234000'],
      // A trunk user in the Request-URI; the DID only in To, as a tel: URI.
      ['trunk', 'tel:+49-30-1234567', '08912345678'],
    ];
    const result = await callsFrom(pbx, 'carrier-call.xml', rows, {
      ...gamma,
      rate: 5,
      media: true,
      hold_ms: 200,
      timeout_s: 30,
    });
    expect(result.failed, result.output).toBe(0);
    expect(result.successful).toBe(rows.length);
    const runs = {
      acme1001: await phones.acme1001.done,
      acme1002: await phones.acme1002.done,
      globex2001: await phones.globex2001.done,
      globex2002: await phones.globex2002.done,
    };
    expect(runs.acme1001.successful).toBe(2);
    expect(runs.acme1002.successful).toBe(1);
    expect(runs.globex2001.successful).toBe(1);
    expect(runs.globex2002.successful).toBe(1);
    // The callee sees the caller in E.164, with the international form as display name.
    const [toBerlin] = requestsIn(runs.acme1001.messages, 'INVITE');
    expect(toBerlin).toMatch(/^From: "\+49 89 12345678" <sip:\+498912345678@acme\.test>/m);
    const acme = await pbx.cdrs({ tenantId: 'acme' }, 3, (c) => c.direction === 'inbound');
    expect(acme.map((c) => [c.did, c.answeredBy, c.carrierId]).sort()).toEqual([
      ['+33142685300', '1002', 'gamma'],
      ['+49301234567', '1001', 'gamma'],
      ['+49301234567', '1001', 'gamma'],
    ]);
    expect(acme.map((c) => c.caller).sort()).toEqual(['+33612345678', '+498912345678', '+498912345678']);
    const globex = await pbx.cdrs({ tenantId: 'globex' }, 2, (c) => c.direction === 'inbound');
    expect(globex.map((c) => [c.did, c.answeredBy, c.caller]).sort()).toEqual([
      ['+12125550123', '2002', '+49301234000'],
      ['+442079460958', '2001', '+442071838750'],
    ]);
  }, 60_000);

  it('is no open relay: a carrier cannot call out, an unauthenticated caller is challenged', async () => {
    const far = carrier(alpha.address, alpha.port, 'uas', 1, 20);
    // From the carrier's address, to an outside number that is no DID: 404.
    const fromCarrier = await callsFrom(
      pbx,
      'carrier-call-refused.xml',
      [['+442079460000', 'sip:+442079460000@pbx.example', '+4930999']],
      { ...gamma, timeout_s: 10 },
    );
    expect(fromCarrier.failed, fromCarrier.output).toBe(0);
    expect(fromCarrier.successful).toBe(1);
    // From anywhere else, in a tenant's domain, without credentials: challenged, never routed.
    const probe = await callsFrom(
      pbx,
      'invite-unauthenticated.xml',
      [['1001', 'acme.test', '00442079460958']],
      {
        address: '127.0.0.1',
        timeout_s: 10,
      },
    );
    expect(probe.failed, probe.output).toBe(0);
    expect(probe.successful).toBe(1);
    // A domain that is no tenant's: not found.
    const stranger = await callsFrom(
      pbx,
      'carrier-call-refused.xml',
      [['+442079460958', 'sip:+442079460958@x.example', '666']],
      { address: '127.0.0.1', timeout_s: 10 },
    );
    expect(stranger.failed, stranger.output).toBe(0);
    far.stop();
    const carrierRun = await far.done;
    expect(requestsIn(carrierRun.messages, 'INVITE')).toEqual([]);
  });

  it('cuts off a burst of international calls at the fraud limits and suspends the extension', async () => {
    const far = carrier(alpha.address, alpha.port, 'uas', 8, 30);
    const burst = await dial(pbx, '3001', 'burst.test', '+442079460958', {
      calls: 8,
      rate: 10,
      hold_ms: 8000,
      timeout_s: 20,
    });
    expect(burst.successful + burst.failed, burst.output).toBe(8);
    const cdrs = await pbx.cdrs({ tenantId: 'burst' }, 8);
    expect(cdrs).toHaveLength(8);
    const answered = cdrs.filter((c) => c.disposition === 'answered');
    const refused = cdrs.filter((c) => c.sipStatus === 403);
    // Two calls within the limits; the third, fourth and fifth refused (3 refusals an hour suspend),
    // the rest refused as suspended; the two in progress are cut.
    expect(refused).toHaveLength(6);
    expect(cdrs.filter((c) => c.sipStatus !== 403).every((c) => c.hangupSide === 'system')).toBe(true);
    expect(answered.length).toBeLessThanOrEqual(2);
    // The calls that got through were cut by the PBX, not hung up by the caller after 8 s.
    for (const cdr of answered) {
      expect(cdr.hangupSide).toBe('system');
      expect(cdr.endedAt_ms - (cdr.answeredAt_ms ?? 0)).toBeLessThan(8000);
    }
    const suspensions = pbx.running.context.carriers.fraud.listSuspensions('burst');
    expect(suspensions.map((s) => s.extension)).toEqual(['3001']);
    far.stop();
    const carrierRun = await far.done;
    expect(requestsIn(carrierRun.messages, 'INVITE').length).toBe(answered.length);
  }, 60_000);
});
