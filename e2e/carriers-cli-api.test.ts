import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTelekommune, startTelekommune } from '../packages/server/src/app.js';
import { resolveSettings } from '../packages/server/src/settings.js';
import { runCli } from './support/cli.js';

/**
 * Carriers, DIDs, rate decks, LCR, billing and the fraud guard through the
 * `telekommune` CLI and the HTTP API (the SIP-facing half comes with the call core).
 */
const document = `carriers:
  - id: alpha
    name: Alpha Telecom
    host: 127.0.0.1
    port: 5070
    auth: { mode: ip, allow: [127.0.0.1] }
    numberFormat: e164
  - id: beta
    name: Beta Networks
    host: 127.0.0.1
    port: 5080
    auth: { mode: register, username: acme, password: carrier-secret }
    numberFormat: national
    country: DE
tenants:
  - id: acme
    name: ACME
    domain: acme.test
    country: DE
    dialPlan: { areaCode: "30" }
    extensions:
      - { number: "1001", name: Alice, password: secret-1001, outbound: { class: international } }
      - { number: "1002", name: Bob, password: secret-1002 }
    dids:
      - { number: "030 1234567", destination: "1001" }
      - { number: "+44 20 7946 0958", destination: "1002", name: London }
    fraud: { maxSpendPerDay: "1.00", perExtension: { maxConcurrentCalls: 1 } }
    billing: { mode: prepaid, marginPercent: "50" }
`;

const alphaDeck = `prefix,destination,rate_per_minute,connect_fee,billing_increment,effective_from
49,Germany,0.0100,0,60/60,2020-01-01
4930,Berlin,0.0080,0,60/60,2020-01-01
44,United Kingdom,0.0200,0,1/1,2020-01-01
`;
const betaDeck = `prefix,destination,rate_per_minute,connect_fee,billing_increment
4930,Berlin,0.0060,0.0100,30/6
44,United Kingdom,0.0150,0,60/60
`;

let dir: string;
const cli = (args: string[]) => runCli([...args, '--data-dir', dir]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-carriers-'));
  writeFileSync(join(dir, 'acme.yaml'), document);
  writeFileSync(join(dir, 'alpha.csv'), alphaDeck);
  writeFileSync(join(dir, 'bad.csv'), `${alphaDeck}0044,UK,0.01,0,60/60,\n33,France,lots,0,60/60,\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('carriers and rates on the command line', () => {
  it('applies carriers and DIDs, imports a deck, refuses a bad one with line numbers and keeps the old', () => {
    const applied = cli(['apply', '-f', join(dir, 'acme.yaml')]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(
      'tenant acme: created (2 extensions)\ncarrier alpha: created\ncarrier beta: created\n',
    );

    const imported = cli(['rates', 'import', '--carrier', 'alpha', '-f', join(dir, 'alpha.csv')]);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^imported 3 rates for carrier alpha \(EUR\) in [0-9.]+ s\n$/);

    const bad = cli(['rates', 'import', '--carrier', 'alpha', '-f', join(dir, 'bad.csv')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('nothing was imported, the deck in use is unchanged');
    expect(bad.stderr).toContain('line 5 (prefix): prefix "0044" starts with 0');
    expect(bad.stderr).toContain('line 6 (rate_per_minute)');

    const lookup = cli(['rates', 'lookup', '--carrier', 'alpha', '+44 20 7946 0000']);
    expect(lookup.stdout).toBe(
      '+442079460000: prefix 44 (United Kingdom) 0.020000/min, connect 0.000000, 1/1\n',
    );

    const route = cli(['carriers', 'route', '--tenant', 'acme', '--extension', '1001', '030 7654321']);
    expect(route.stdout).toBe(
      '+49307654321 (local)\n1. alpha: 0.008000/min + 0.000000 (4930 Berlin, 60/60) as 49307654321\n-  beta: no-rate\n',
    );
    const refused = cli([
      'carriers',
      'route',
      '--tenant',
      'acme',
      '--extension',
      '1002',
      '0044 20 7946 0000',
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('refused (not-permitted)');
    for (const command of [
      ['carriers', 'list'],
      ['rates', 'import'],
      ['billing', 'statement'],
    ]) {
      expect(cli([...command, '--help']).stdout).toContain('Examples:');
    }
  }, 120_000);
});

describe('carriers, DIDs, rates, billing and fraud over the API', () => {
  let running: RunningTelekommune;
  let operator: string;

  async function call(path: string, init: RequestInit & { token?: string } = {}) {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${init.token ?? operator}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const response = await fetch(`${running.httpUrl}${path}`, { ...init, headers });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, body: type.includes('json') && text ? JSON.parse(text) : text };
  }

  beforeAll(async () => {
    const settings = resolveSettings(
      { dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipPort: '0' },
      {},
    );
    running = await startTelekommune(settings, pino({ level: 'silent' }));
    operator = running.demo!.operatorToken;
  });
  afterAll(() => running?.close());

  it('lists carriers with their decks and never echoes a registration password', async () => {
    const { status, body } = await call('/api/carriers');
    expect(status).toBe(200);
    expect(body.map((c: { config: { id: string } }) => c.config.id)).toEqual(['alpha', 'beta']);
    expect(body[0].deck).toMatchObject({ rows: 3, currency: 'EUR', source: 'alpha.csv' });
    expect(body[1].config.auth.password).toBe('********');
    expect(JSON.stringify(body)).not.toContain('carrier-secret');
  });

  it('uploads a deck as CSV, reports errors by line, and routes by least cost', async () => {
    const upload = await call('/api/rates/carrier/beta?source=beta.csv', {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: betaDeck,
    });
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ kind: 'carrier', ownerId: 'beta', rows: 2, currency: 'EUR' });
    const bad = await call('/api/rates/carrier/beta', {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: 'prefix,destination,rate_per_minute\n49,DE,free\n',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { path: 'line 2 rate_per_minute', message: expect.stringContaining('free') },
    ]);
    expect((await call('/api/rates/carrier/beta/lookup?number=%2B49301234567')).body).toMatchObject({
      prefix: '4930',
      ratePerMinute: '0.006000',
      connectFee: '0.010000',
      billingIncrement: '30/6',
    });
    const route = await call('/api/carriers/routes?number=0307654321&tenant=acme&extension=1001');
    expect(route.body).toMatchObject({
      number: '+49307654321',
      decision: 'outside (local)',
      candidates: [
        { carrierId: 'beta', dialString: '0307654321', ratePerMinute: '0.006000' },
        { carrierId: 'alpha', dialString: '49307654321', ratePerMinute: '0.008000' },
      ],
    });
    const emergency = await call('/api/carriers/routes?number=112&tenant=acme&extension=1002');
    expect(emergency.body).toMatchObject({ decision: 'emergency', candidates: [] });
    const other = await call('/api/rates', { token: 'tk_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' });
    expect(other.status).toBe(401);
  });

  it('finds the tenant of a DID in any form a carrier sends, and maps DIDs', async () => {
    for (const [number, carrier] of [
      ['%2B49301234567', ''],
      ['0049301234567', ''],
      ['49301234567', '&carrier=alpha'],
      ['0301234567', '&carrier=beta'],
      ['tel%3A%2B44-20-7946-0958', ''],
    ] as const) {
      const { status, body } = await call(`/api/dids/lookup?number=${number}${carrier}`);
      expect(status, number).toBe(200);
      expect(body.tenantId).toBe('acme');
    }
    expect((await call('/api/dids/lookup?number=%2B33142685300')).status).toBe(404);
    const put = await call(`/api/tenants/acme/dids/${encodeURIComponent('030 1234599')}`, {
      method: 'PUT',
      body: JSON.stringify({ destination: 'ringgroup:none' }),
    });
    expect(put.status).toBe(400);
    const ok = await call(`/api/tenants/acme/dids/${encodeURIComponent('030 1234599')}`, {
      method: 'PUT',
      body: JSON.stringify({ destination: 'voicemail:1001', name: 'Fax' }),
    });
    expect(ok).toEqual({
      status: 200,
      body: { number: '+49301234599', destination: 'voicemail:1001', name: 'Fax' },
    });
    expect((await call('/api/dids/lookup?number=%2B49301234599')).body.destination).toBe('voicemail:1001');
    expect((await call('/api/tenants/acme/dids/%2B49301234599', { method: 'DELETE' })).status).toBe(204);
    expect((await call('/api/tenants/acme/dids')).body.map((d: { number: string }) => d.number)).toEqual([
      '+442079460958',
      '+49301234567',
    ]);
  });

  it('charges calls against a prepaid balance and writes the monthly statement', async () => {
    const runtime = running.context.carriers;
    expect(await runtime.billing.creditCheck('acme')).toMatchObject({
      ok: false,
      reason: 'insufficient-credit',
    });
    const topUp = await call('/api/tenants/acme/balance/entries', {
      method: 'POST',
      body: JSON.stringify({ kind: 'topup', amount: '5.00', note: 'bank transfer' }),
    });
    expect(topUp).toMatchObject({ status: 201, body: { balance: '5.000000' } });
    const answeredAt_ms = Date.UTC(2025, 5, 3, 10);
    const ended = {
      callId: 'call-1',
      tenantId: 'acme',
      extension: '1001',
      carrierId: 'beta',
      e164: '+49307654321',
      answeredAt_ms,
      endedAt_ms: answeredAt_ms + 37_000,
    };
    // beta 4930: 30/6 -> 42 s at 0.006/min = 0.0042 + 0.01 connect = 0.0142 cost; +50% = 0.0213 price.
    expect(await runtime.billing.chargeCall(ended)).toMatchObject({
      kind: 'charged',
      rated: { cost_micro: 14_200n, price_micro: 21_300n },
    });
    expect((await runtime.billing.chargeCall(ended)).kind).toBe('duplicate');
    const balance = await call('/api/tenants/acme/balance');
    expect(balance.body).toEqual({
      balance: '4.978700',
      currency: 'EUR',
      mode: 'prepaid',
      creditLimit: null,
      canCall: true,
    });
    const statement = await call('/api/tenants/acme/statements/2025-06');
    expect(statement.body).toMatchObject({
      period: '2025-06',
      callCount: 1,
      callCharges: '0.021300',
      invoiced: '0.02',
      byDestination: [{ destination: 'Berlin', calls: 1, billableSeconds: 42, price: '0.021300' }],
    });
    const csv = await call('/api/tenants/acme/statements/2025-06/csv');
    expect(csv.body).toContain('2025-06-03T10:00:00.000Z,call-1,1001,+49307654321,Berlin,37,42,0.021300,EUR');
    expect((await call('/api/tenants/acme/statements/2025-13')).status).toBe(400);
    const cliStatement = cli([
      'billing',
      'statement',
      '--tenant',
      'acme',
      '--period',
      '2025-06',
      '--format',
      'csv',
    ]);
    expect(cliStatement.stdout).toBe(csv.body);
  });

  it('cuts off a burst of international calls and lets an operator lift the suspension', async () => {
    const fraud = running.context.carriers.fraud;
    const cut: string[] = [];
    running.context.carriers.events.on('cut', (ids) => cut.push(...ids));
    const call1 = {
      callId: 'f1',
      tenantId: 'acme',
      extension: '1001',
      e164: '+442079460000',
      numberClass: 'international' as const,
    };
    expect(fraud.authorise(call1)).toEqual({ allow: true });
    fraud.callStarted(call1);
    // Per-extension limit: one concurrent call.
    expect(fraud.authorise({ ...call1, callId: 'f2' })).toMatchObject({
      allow: false,
      reason: 'extension-concurrency',
    });
    fraud.costAccrued('f1', 1_200_000n);
    expect(cut).toEqual(['f1']);
    fraud.callEnded('f1');
    const state = await call('/api/tenants/acme/fraud');
    expect(state.body).toMatchObject({
      suspensions: [{ extension: null, reason: 'the tenant spend limit per day was exceeded' }],
    });
    expect(fraud.authorise({ ...call1, callId: 'f3' })).toMatchObject({ reason: 'suspended' });
    expect(fraud.authorise({ ...call1, callId: 'f4', e164: '112', numberClass: 'emergency' })).toEqual({
      allow: true,
    });
    expect((await call('/api/tenants/acme/fraud/suspensions', { method: 'DELETE' })).status).toBe(204);
    expect((await call('/api/tenants/acme/fraud')).body.suspensions).toEqual([]);
  });
});
