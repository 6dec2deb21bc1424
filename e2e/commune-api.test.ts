/**
 * The Venture Commune through the HTTP API (venture-commune.md §11, §12): the
 * demo seeded on first start, every report, commands with their rejections as
 * 4xx carrying the stable code, and the routes in /openapi.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTelekommune, startTelekommune } from '../packages/server/src/app.js';
import { resolveSettings } from '../packages/server/src/settings.js';

let dir: string;
let running: RunningTelekommune;
let operator: string;

async function api(path: string, init: RequestInit = {}, token = operator) {
  const headers = {
    authorization: `Bearer ${token}`,
    ...(init.body ? { 'content-type': 'application/json' } : {}),
  };
  const response = await fetch(`${running.httpUrl}${path}`, { ...init, headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return {
    status: response.status,
    body: body as Record<string, unknown> & unknown[],
    text,
    type: response.headers.get('content-type'),
  };
}

const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tk-commune-api-'));
  const settings = resolveSettings(
    { dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipHost: '127.0.0.1', sipPort: '0' },
    { TK_SIP_TLS_PORT: 'off', TK_SIP_WS_PORT: 'off' },
  );
  running = await startTelekommune(settings, pino({ level: 'silent' }));
  operator = running.demo!.operatorToken;
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the commune over HTTP', () => {
  it('is seeded with the worked example on first start, with a member sign-in', async () => {
    expect(running.communeDemo).toMatchObject({
      commune: 'Telekommune Venture Commune',
      members: ['ada', 'bruno', 'chiara', 'dmitri'],
    });
    expect(running.consoleLogins.map((l) => l.username)).toContain('member-ada');
    const { status, body } = await api('/api/commune');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: 'Telekommune Venture Commune',
      phase: 'incorporated',
      members: 4,
      currency: 'VCC',
      outside_currency: 'EUR',
    });
  });

  it('serves every report of §12', async () => {
    for (const path of [
      '/api/commune/balance-sheet',
      '/api/commune/balance-sheet?owner=enterprise:telekommunisten&as_of=2023-12-31',
      '/api/commune/income-statement?owner=enterprise:telekommunisten&from=2023-07-01&to=2023-12-31',
      '/api/commune/trial-balance',
      '/api/commune/rent-roll',
      '/api/commune/members',
      '/api/commune/bonds',
      '/api/commune/currency',
      '/api/commune/distributions',
      '/api/commune/proposals',
      '/api/commune/rent-auctions',
      '/api/commune/log?from=1&limit=5',
    ]) {
      const { status, body } = await api(path);
      expect(status, `${path}: ${JSON.stringify(body)}`).toBe(200);
    }
    const bonds = await api('/api/commune/bonds');
    const auctioned = (
      bonds.body.series as { series: string; auction: { stop_out_yield_bp: number } }[]
    ).find((s) => s.series === 'srv3-2023');
    expect(auctioned?.auction.stop_out_yield_bp).toBe(400);
    const distributions = await api('/api/commune/distributions');
    expect((distributions.body as unknown as { arithmetic: string[] }[])[0]?.arithmetic[0]).toContain(
      'rent received',
    );
    const governance = await api('/api/commune/proposals');
    expect(governance.body).toMatchObject({
      members: 4,
      quorum_votes: 2,
      bylaws: {
        labour_threshold_hours: 500,
        votes_required_for: ['acquire-property', 'amend-bylaws', 'liquidate-property'],
      },
      proposals: [
        {
          proposal: 'retain-2023-12',
          status: 'passed',
          payload: { type: 'distribute', period: '2023-12', policy: 'retain' },
          votes: [
            { member: 'ada', choice: 'yes' },
            { member: 'bruno', choice: 'yes' },
            { member: 'chiara', choice: 'no' },
            { member: 'dmitri', choice: 'yes' },
          ],
        },
      ],
    });
    expect((await api('/api/commune/rent-auctions')).body).toMatchObject({ auctions: [] });
    const log = await api('/api/commune/log?limit=2');
    expect(log.body).toMatchObject({ verification: { valid: true }, rows: [{ seq: 1 }, { seq: 2 }] });
    expect((await api('/api/commune/balance-sheet?owner=bank')).status).toBe(400);
  });

  it('audits the stored log, the running state and the stored ledger projection', async () => {
    const { status, body } = await api('/api/commune/audit');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, differences: [], violations: [], chain: { valid: true } });
  });

  it('accepts a command once, treats a retry as done, and previews without recording', async () => {
    const command = {
      idempotency_key: 'api-1',
      effective_date: '2024-01-10',
      person: 'dmitri',
      enterprise: 'telekommunisten',
      hours: 8,
    };
    const preview = await post('/api/commune/record-labour?dry_run=true', command);
    expect(preview).toMatchObject({
      status: 200,
      body: { status: 'preview', events: [{ type: 'labour-recorded' }] },
    });
    const first = await post('/api/commune/record-labour', command);
    expect(first).toMatchObject({
      status: 200,
      body: { status: 'accepted', events: [{ type: 'labour-recorded', centihours: 800 }] },
    });
    const again = await post('/api/commune/record-labour', command);
    expect(again.body).toEqual({ status: 'duplicate', seq: first.body.seq });
    const line = await post('/api/commune/commands', {
      type: 'run-rent-cycle',
      idempotency_key: 'api-2',
      effective_date: '2024-01-10',
      period: '2024-01',
    });
    expect(line).toMatchObject({ status: 200, body: { status: 'accepted' } });
  });

  it('answers a rejection with a 4xx carrying the stable code and message, and records nothing', async () => {
    const before = (await api('/api/commune')).body.entries;
    const cases: [string, unknown, number, string][] = [
      ['/api/commune/buy-share', { person: 'lena' }, 422, 'SHARE_NOT_FOR_SALE'],
      ['/api/commune/inherit-share', {}, 422, 'SHARE_NOT_FOR_SALE'],
      [
        '/api/commune/admit-member',
        { idempotency_key: 'x1', effective_date: '2024-01-10', person: 'lena', payment_minor: '500000' },
        422,
        'SHARE_NOT_FOR_SALE',
      ],
      [
        '/api/commune/resign',
        { idempotency_key: 'x2', effective_date: '2024-01-10', person: 'ada', heir: 'lena' },
        422,
        'SHARE_NOT_FOR_SALE',
      ],
      [
        '/api/commune/pay-rent',
        {
          idempotency_key: 'x3',
          effective_date: '2024-01-10',
          enterprise: 'telekommunisten',
          amount_minor: '99999999',
          currency: 'EUR',
        },
        422,
        'COMMUNE_TAKES_NO_INCOME',
      ],
      [
        '/api/commune/record-enterprise-expense',
        {
          idempotency_key: 'x4',
          effective_date: '2024-01-10',
          enterprise: 'telekommunisten',
          amount_minor: '100',
          currency: 'EUR',
          payee: 'the commune',
        },
        422,
        'COMMUNE_TAKES_NO_INCOME',
      ],
      [
        '/api/commune/fund-enterprise',
        {
          idempotency_key: 'x5',
          effective_date: '2024-01-10',
          enterprise: 'telekommunisten',
          amount_minor: '900000000',
        },
        422,
        'CURRENCY_CAP_EXCEEDED',
      ],
      [
        '/api/commune/admit-member',
        { idempotency_key: 'x6', effective_date: '2024-01-10', person: 'ada' },
        409,
        'ALREADY_MEMBER',
      ],
      [
        '/api/commune/apply',
        { idempotency_key: 'x7', effective_date: '2024-01-10', person: 'lena' },
        422,
        'NOT_ELIGIBLE',
      ],
      [
        '/api/commune/record-labour',
        {
          idempotency_key: 'x8',
          effective_date: '2020-01-01',
          person: 'ada',
          enterprise: 'telekommunisten',
          hours: 1,
        },
        409,
        'OUT_OF_ORDER',
      ],
      [
        '/api/commune/employ',
        {
          idempotency_key: 'x9',
          effective_date: '2024-01-10',
          person: 'ghost',
          enterprise: 'telekommunisten',
        },
        404,
        'NOT_FOUND',
      ],
      [
        '/api/commune/commands',
        { type: 'transfer-share', idempotency_key: 'x10', effective_date: '2024-01-10' },
        422,
        'SHARE_NOT_FOR_SALE',
      ],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await post(path, body);
      expect(response.status, `${path} ${JSON.stringify(response.body)}`).toBe(status);
      expect(response.body.code).toBe(code);
      expect(typeof response.body.message).toBe('string');
    }
    const malformed = await post('/api/commune/pay-rent', {
      idempotency_key: 'x11',
      effective_date: '2024-01-10',
      enterprise: 'telekommunisten',
      amount_minor: '1.5',
      currency: 'EUR',
    });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await api('/api/commune')).body.entries).toBe(before);
  });

  it('lets a member read the books and act only as themselves', async () => {
    const login = running.consoleLogins.find((l) => l.username === 'member-ada')!;
    const signIn = await fetch(`${running.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: login.username, password: login.password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const tokenResponse = await fetch(`${running.httpUrl}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ scope: 'commune', label: 'ada from the test' }),
    });
    expect(tokenResponse.status).toBe(201);
    const member = ((await tokenResponse.json()) as { token: string }).token;
    const as = (path: string, body?: unknown) =>
      api(path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }, member);

    expect((await as('/api/commune/members')).status).toBe(200);
    const proposal = {
      idempotency_key: 'ada-p1',
      effective_date: '2024-01-11',
      proposal: 'keep-2024-01',
      proposer: 'ada',
      title: 'Keep January for the fourth server',
      closes_on: '2024-02-10',
      payload: { type: 'distribute', period: '2024-01', policy: 'retain' },
    };
    expect((await as('/api/commune/propose', proposal)).body).toMatchObject({ status: 'accepted' });
    const vote = {
      idempotency_key: 'ada-v1',
      effective_date: '2024-01-11',
      proposal: 'keep-2024-01',
      member: 'ada',
      choice: 'yes',
    };
    expect((await as('/api/commune/vote', vote)).body).toMatchObject({ status: 'accepted' });
    const forged = await as('/api/commune/vote', { ...vote, idempotency_key: 'ada-v2', member: 'bruno' });
    expect(forged).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const twice = await as('/api/commune/vote', { ...vote, idempotency_key: 'ada-v3' });
    expect(twice).toMatchObject({ status: 409, body: { code: 'ALREADY_VOTED' } });
    const treasurer = await as('/api/commune/fund-enterprise', {
      idempotency_key: 'ada-f1',
      effective_date: '2024-01-11',
      enterprise: 'telekommunisten',
      amount_minor: '100',
    });
    expect(treasurer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('needs credentials', async () => {
    expect((await api('/api/commune', {}, 'not-a-token')).status).toBe(401);
  });

  it('writes the log back as a journal', async () => {
    const { status, text, type } = await api('/api/commune/export');
    expect(status).toBe(200);
    expect(type).toContain('application/x-ndjson');
    const lines = text.trim().split('\n');
    expect(lines.length).toBe((await api('/api/commune')).body.entries);
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'register-person', person: 'ada' });
  });

  it('documents every command and report in /openapi.json', async () => {
    const { body } = await fetch(`${running.httpUrl}/openapi.json`).then(async (r) => ({
      body: (await r.json()) as { paths: Record<string, unknown> },
    }));
    for (const path of [
      '/api/commune/record-labour',
      '/api/commune/close-auction',
      '/api/commune/distribute',
      '/api/commune/buy-share',
      '/api/commune/rent-roll',
      '/api/commune/audit',
    ]) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    const payRent = JSON.stringify(body.paths['/api/commune/pay-rent']);
    expect(payRent).toContain('amount_minor');
    expect(payRent).toContain('idempotency_key');
  });
});
