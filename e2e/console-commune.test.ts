import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, startConsole } from './support/console.js';
import { hasTool } from './support/tools.js';

/**
 * The Venture Commune in the console, on the demo commune (whose log ends on
 * 2024-01-05): a member bids for bonds, the treasurer closes the auction
 * (the property is bought and leased), raises and collects the month's rent
 * and distributes it; the member sees her dividend; the audit passes.
 * Commands carry explicit effective dates so the figures are the same on
 * every run.
 */
describe.runIf(hasTool('chromium', 'chromium'))('the commune in the console', () => {
  let h: ConsoleHarness;
  let commands = 0;

  async function command(type: string, body: Record<string, unknown>) {
    commands += 1;
    const reply = await h.api(`/api/commune/${type}`, {
      method: 'POST',
      body: JSON.stringify({ idempotency_key: `e2e-setup-${commands}`, ...body }),
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }

  beforeAll(async () => {
    h = await startConsole('tk-console-commune-');
    // A fourth server, asked for by the enterprise, financed by bonds sold at auction (venture-commune.md §5, §6).
    await command('request-acquisition', {
      effective_date: '2024-02-01',
      request: 'server-4',
      enterprise: 'telekommunisten',
      property: 'pbx-server-4',
      kind: 'capital',
      description: 'fourth PBX server',
      price_minor: '600000',
      seller: 'Server Supply Ltd',
      lease: { rent_minor: '23000', currency: 'EUR', term_months: 36 },
    });
    await command('issue-bonds', {
      effective_date: '2024-02-01',
      series: 'srv4-2024',
      purpose: 'fourth PBX server',
      request: 'server-4',
      face_minor: '10000',
      quantity: 60,
      term_months: 36,
      coupon_frequency: 4,
      closes_on: '2024-02-15',
    });
    await command('bid', {
      effective_date: '2024-02-05',
      series: 'srv4-2024',
      bidder: 'lena',
      quantity: 30,
      min_yield_bp: 300,
    });
    await command('bid', {
      effective_date: '2024-02-06',
      series: 'srv4-2024',
      bidder: 'otto',
      quantity: 30,
      min_yield_bp: 350,
    });
  }, 90_000);

  afterAll(async () => {
    await h?.close();
  });

  it('a member places a sealed bid as herself; a bid after the closing date is refused', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'member-ada');
    await page.getByRole('navigation').getByRole('link', { name: 'Bonds and auctions' }).click();
    await page.getByRole('link', { name: 'srv4-2024' }).click();
    await page.getByRole('heading', { name: 'Bond series srv4-2024' }).waitFor();
    await page.getByText('2 sealed bids so far').waitFor();
    const form = page.getByRole('region', { name: 'Place a bid' });
    expect(await form.getByLabel('Bidder').inputValue()).toBe('ada');
    expect(await form.getByLabel('Bidder').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('region', { name: 'Close the auction' }).count()).toBe(0);
    await form.getByLabel('Bonds wanted').fill('20');
    await form.getByLabel('Lowest yield accepted (%)').fill('3.5');
    h.provoke(409, '/api/commune/bid');
    await form.getByLabel('Effective date').fill('2024-02-20');
    await form.getByRole('button', { name: 'Place bid' }).click();
    await form.getByRole('alert').getByText('the auction of srv4-2024 is closed').waitFor();
    await form.getByLabel('Effective date').fill('2024-02-10');
    await form.getByRole('button', { name: 'Place bid' }).click();
    await form.getByRole('status').getByText('Bid placed.').waitFor();
    await page.getByText('3 sealed bids so far').waitFor();
    await page.screenshot({ path: join(h.shots, 'commune-bid.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('the treasurer closes the auction: stop-out yield, bid-to-cover and proration', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.goto(`${h.server.httpUrl}/commune/bonds/srv4-2024`);
    const close = page.getByRole('region', { name: 'Close the auction' });
    await close.getByLabel('Effective date').fill('2024-02-15');
    await close.getByRole('button', { name: 'Close auction' }).click();
    const results = page.getByRole('region', { name: 'Auction results' });
    await results.waitFor();
    // Lena's 30 at 3.00 % fill half; 30 remain for 50 bid at 3.50 %: Otto and Ada get 60 % each.
    await results.getByText('cleared: the series is sold').waitFor();
    expect(await results.locator('dt:has-text("Stop-out yield") + dd').textContent()).toBe('3.50 %');
    expect(await results.locator('dt:has-text("Bid-to-cover") + dd').textContent()).toBe(
      '1.33 (80 bonds bid for 60 offered)',
    );
    await results.getByText('30 of 50 bonds bid at 3.50 % filled (60.00 %)').waitFor();
    const allotted = async (bidder: string) =>
      (await results.getByRole('row').filter({ hasText: bidder }).locator('td').last().textContent()) ?? '';
    expect([await allotted('lena'), await allotted('otto'), await allotted('ada')]).toEqual([
      '30',
      '18',
      '12',
    ]);
    await page.getByRole('table', { name: 'Holders' }).getByText('person:ada').waitFor();
    await page.screenshot({ path: join(h.shots, 'commune-auction.png'), fullPage: true });
    const bonds = (await h.api('/api/commune/bonds')).body as {
      series: { series: string; auction: { stop_out_yield_bp: number; bid_to_cover_bp: number } | null }[];
    };
    expect(bonds.series.find((s) => s.series === 'srv4-2024')?.auction).toMatchObject({
      stop_out_yield_bp: 350,
      bid_to_cover_bp: 13333,
    });
    await context.close();
  }, 60_000);

  it('raises and collects the rent, distributes the month, and the member sees her share', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Properties and leases' }).click();
    await page.getByRole('table', { name: 'Rent roll' }).getByText('pbx-server-4').waitFor();
    const cycle = page.getByRole('region', { name: 'Run the rent cycle' });
    await cycle.getByLabel('Rent period').fill('2024-02');
    await cycle.getByLabel('Effective date').fill('2024-02-15');
    await cycle.getByRole('button', { name: 'Raise rent invoices' }).click();
    await cycle.getByRole('status').getByText('Recorded as log entry').waitFor();
    // Four leases in EUR: 450 + 120 + 220 + 230 (the new server, leased the day its auction closed).
    await page.getByRole('table', { name: 'Enterprises' }).getByText('EUR 1,020.00').first().waitFor();
    const payment = page.getByRole('region', { name: 'Record a rent payment' });
    await payment.getByLabel('Enterprise').selectOption('telekommunisten');
    await payment.getByLabel('Amount').fill('1020.00');
    await payment.getByLabel('Currency').selectOption('EUR');
    await payment.getByLabel('Effective date').fill('2024-02-20');
    await payment.getByRole('button', { name: 'Record payment' }).click();
    await payment.getByRole('status').getByText('Recorded as log entry').waitFor();
    await page.screenshot({ path: join(h.shots, 'commune-rent-roll.png'), fullPage: true });

    await page.getByRole('navigation').getByRole('link', { name: 'Distributions' }).click();
    const settle = page.getByRole('region', { name: 'Settle a month' });
    await settle.getByLabel('Month').fill('2024-02');
    await settle.getByLabel('Effective date').fill('2024-03-01');
    await settle.getByRole('button', { name: 'Distribute the month' }).click();
    await settle.getByRole('status').getByText('Distribution: Recorded as log entry').waitFor();
    const arithmetic = page.locator('details[open] pre').first();
    await expect.poll(() => arithmetic.textContent()).toContain('EUR 918.00 / 4 members = EUR 229.50 each');
    expect(await arithmetic.textContent()).toContain('rent received                          EUR 1,020.00');
    await page.screenshot({ path: join(h.shots, 'commune-distributions.png'), fullPage: true });
    await context.close();

    const member = await h.open();
    await h.signIn(member.page, 'member-ada');
    await member.page.getByRole('navigation').getByRole('link', { name: 'Distributions' }).click();
    const row = member.page.getByRole('table', { name: 'Distribution history' }).getByRole('row').nth(1);
    // The history arrives after the page renders: wait for the month's cell before reading the row.
    await row.getByRole('cell', { name: '2024-02', exact: true }).waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([
      '2024-02',
      'EUR',
      '2024-03-01',
      'EUR 1,020.00',
      'EUR 0.00',
      'EUR 102.00',
      '4',
      'EUR 229.50',
      'EUR 0.00',
    ]);
    expect(await member.page.getByRole('region', { name: 'Settle a month' }).count()).toBe(0);
    await member.context.close();
  }, 90_000);

  it('records labour, shows the currency against its cap, and runs the audit over the whole log', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Labour' }).click();
    const form = page.getByRole('region', { name: 'Record labour' });
    await form.getByLabel('Person').fill('dmitri');
    await form.getByLabel('For enterprise').fill('telekommunisten');
    await form.getByLabel('Hours').fill('7.5');
    await form.getByLabel('Note (optional)').fill('night shift');
    await form.getByLabel('Effective date').fill('2024-03-01');
    await form.getByRole('button', { name: 'Record labour' }).click();
    await form.getByRole('status').getByText('Recorded as log entry').waitFor();
    const latest = page.getByRole('table', { name: 'Latest labour records' }).getByRole('row').nth(1);
    await expect.poll(() => latest.textContent()).toContain('night shift');
    expect(await latest.locator('td').nth(1).textContent()).toBe('dmitri');

    await page.getByRole('navigation').getByRole('link', { name: 'Currency' }).click();
    await page.getByText('Outstanding', { exact: true }).first().waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await page.screenshot({ path: join(h.shots, 'commune-currency.png'), fullPage: true });

    await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Run the audit' }).click();
    await page.getByRole('status').getByText('The audit passed').waitFor({ timeout: 30_000 });
    const summary = (await h.api('/api/commune')).body as { head: string; entries: number };
    const result = page.getByRole('region', { name: 'Audit result' });
    expect(await result.locator('dt:has-text("Chain head") + dd').textContent()).toBe(summary.head);
    expect(await result.locator('dt:has-text("Hash chain") + dd').textContent()).toBe(
      `valid over ${summary.entries} entries`,
    );
    await page.screenshot({ path: join(h.shots, 'commune-audit.png'), fullPage: true });
    await context.close();

    const member = await h.open();
    await h.signIn(member.page, 'member-ada');
    await member.page.getByRole('navigation').getByRole('link', { name: 'Labour' }).click();
    await member.page.getByRole('table', { name: 'Latest labour records' }).waitFor();
    expect(await member.page.getByRole('region', { name: 'Record labour' }).count()).toBe(0);
    await member.context.close();
  }, 90_000);

  it('logged no errors in the browser console but the refusal provoked on purpose', () => {
    expect(h.unexpectedErrors()).toEqual([]);
  });
});
