import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningTelekommune, resolveSettings, startTelekommune } from '@telekommune/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousPeriod } from '../packages/server/src/revenue-booking-runtime.js';

/**
 * A closed month's call revenue goes to the Telekommunisten enterprise in the
 * commune ledger (record-enterprise-revenue), once: the server books it by
 * itself, and an operator can book it through the API; booking twice is
 * harmless. The demo commune (first start) has the enterprise.
 */
describe('call revenue booked in the commune ledger', () => {
  let dir: string;
  let running: RunningTelekommune;
  let operator: string;
  const period = previousPeriod(new Date());

  async function book(path: string) {
    const response = await fetch(`${running.httpUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-revenue-'));
    const settings = resolveSettings(
      {
        dataDir: dir,
        httpHost: '127.0.0.1',
        httpPort: '0',
        sipHost: '127.0.0.1',
        sipPort: '0',
        sipTlsPort: 'off',
        sipWsPort: 'off',
      },
      {},
    );
    running = await startTelekommune(settings, pino({ level: 'silent' }));
    operator = running.demo!.operatorToken;
    const answeredAt_ms = Date.parse(`${period}-15T12:00:00Z`);
    const charge = (callId: string, price_micro: bigint) =>
      running.context.carriers.billingRepository.recordCharge({
        callId,
        tenantId: running.demo!.tenant.id,
        extension: '1001',
        carrierId: 'alpha',
        destination: '+442079460958',
        destinationName: 'United Kingdom',
        prefix: '44',
        answeredAt_ms,
        duration_s: 60,
        billable_s: 60,
        cost_micro: price_micro / 2n,
        price_micro,
        currency: 'EUR',
      });
    await charge('call-1', 1_234_567n);
    await charge('call-2', 2_000_004n);
  });

  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('books the month once, rounded to cents, and says so when asked again', async () => {
    const first = await book(`/api/billing/revenue/${period}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ period, outcome: 'booked', amount: '3.23', currency: 'EUR' });
    const again = await book(`/api/billing/revenue/${period}`);
    expect(again.body).toMatchObject({ outcome: 'already-booked', amount: '3.23' });
    const entries = await running.commune.log.read(0, 100_000);
    const bookings = entries.filter(
      (e) =>
        e.command.type === 'record-enterprise-revenue' &&
        e.command.idempotency_key === `telephony-revenue-${period}`,
    );
    expect(bookings).toHaveLength(1);
    expect(bookings[0]?.command).toMatchObject({
      enterprise: 'telekommunisten',
      amount_minor: 323n,
      currency: 'EUR',
      category: 'telephony',
    });
  });

  it('refuses an open or malformed period', async () => {
    const open = await book(`/api/billing/revenue/${new Date().toISOString().slice(0, 7)}`);
    expect(open.status).toBe(409);
    expect(open.body).toMatchObject({ code: 'PERIOD_OPEN' });
    expect((await book('/api/billing/revenue/2025-13')).status).toBe(400);
  });
});
