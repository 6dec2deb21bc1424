import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './support/browser.js';
import { type ConsoleHarness, startConsole } from './support/console.js';
import { hasTool } from './support/tools.js';

/** A rate deck of `rows` prefixes of Germany (4930000…), as docs/carriers.md describes the CSV. */
function deck(rows: number): string {
  const lines = ['prefix,destination,rate_per_minute,connect_fee,billing_increment,effective_from'];
  for (let i = 0; i < rows; i++) lines.push(`49${30_000 + i},Germany Berlin ${i},0.0075,0,60/60,2025-01-01`);
  return `${lines.join('\n')}\n`;
}

/**
 * Numbers and carriers in the console: an operator creates and edits
 * carriers, uploads a rate deck with progress, maps and releases DIDs,
 * credits a balance and sets fraud limits; a tenant admin only reads them;
 * the new pages fit a phone's width.
 */
describe.runIf(hasTool('chromium', 'chromium'))('numbers and carriers in the console', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole('tk-console-numbers-');
  }, 90_000);

  afterAll(async () => {
    await h?.close();
  });

  it('creates a carrier, edits it without retyping its password, and uploads its rate deck', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Carriers' }).click();
    await page.getByRole('link', { name: 'New carrier' }).click();
    await page.getByLabel('Id', { exact: true }).fill('sipgate');
    await page.getByLabel('Name', { exact: true }).fill('Sipgate trunk');
    await page.getByLabel('Host').fill('SIP.Example.NET');
    await page.getByLabel('Authentication').selectOption('register');
    await page.getByLabel('User name').fill('4930123450');
    await page.getByLabel('Registration password').fill('trunk-secret');
    await page.getByLabel('Number format').selectOption('national');
    await page.getByLabel('Country').fill('de');
    await page.getByRole('checkbox', { name: 'G722' }).check();
    await page.getByRole('button', { name: 'Save carrier' }).click();
    await page.getByRole('heading', { name: 'Carrier Sipgate trunk' }).waitFor();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect(await page.getByLabel('Registration password').inputValue()).toBe('********');
    await page.getByLabel('Most calls at once').fill('12');
    await page.getByRole('button', { name: 'Save carrier' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const exported = (await h.api('/api/provisioning/export')).body as {
      carriers: Record<string, unknown>[];
    };
    expect(exported.carriers.find((c) => c.id === 'sipgate')).toMatchObject({
      host: 'sip.example.net',
      country: 'DE',
      numberFormat: 'national',
      maxCalls: 12,
      codecs: ['PCMA', 'PCMU', 'G722', 'telephone-event'],
      auth: { mode: 'register', username: '4930123450', password: 'trunk-secret' },
    });

    const bad = join(h.dir, 'bad.csv');
    writeFileSync(bad, 'prefix,destination,rate_per_minute\n49,Germany,0.01\n0049,Germany,0.01\n');
    h.provoke(400, '/api/rates/carrier/sipgate?source=console');
    await page.getByLabel('Rate deck (CSV)').setInputFiles(bad);
    await page.getByRole('button', { name: 'Upload rate deck' }).click();
    await page.getByRole('alert').getByText('line 3').waitFor();
    const good = join(h.dir, 'deck.csv');
    writeFileSync(good, deck(20_000));
    await page.getByLabel('Rate deck (CSV)').setInputFiles(good);
    await page.getByRole('button', { name: 'Upload rate deck' }).click();
    await page.getByRole('status').getByText('Imported 20,000 rates in EUR').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('value')).toBe(
      '100',
    );
    await page.getByText('20,000 rates in EUR, imported').waitFor();
    await page.screenshot({ path: join(h.shots, 'carrier.png'), fullPage: true });

    await page.getByRole('link', { name: 'All carriers' }).click();
    await page.getByRole('table', { name: 'Carriers' }).getByText('20000 rates in EUR').waitFor();
    await page.getByRole('link', { name: 'Rate decks and price lists' }).click();
    const lookup = page.getByRole('region', { name: 'Look up a rate' });
    await lookup.getByLabel('Number').fill('+49301234567');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await lookup.getByText('prefix 4930123 (Germany Berlin 123)').waitFor();
    await context.close();
  }, 90_000);

  it('maps a DID to a destination, changes it and releases it', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.goto(`${h.server.httpUrl}/tenants/demo/dids`);
    const form = page.getByRole('region', { name: 'Map a number' });
    await form.getByLabel('Phone number').fill('+49 30 1234567');
    await form.getByLabel('Rings').fill('1001');
    await form.getByLabel('Label (optional)').fill('Berlin office');
    await form.getByRole('button', { name: 'Save number' }).click();
    await page.getByRole('status').getByText('+49301234567 now rings extension:1001.').waitFor();
    await page.getByRole('button', { name: 'Change +49301234567' }).click();
    await form.getByLabel('Rings').fill('voicemail:1002');
    await form.getByRole('button', { name: 'Save number' }).click();
    await page.getByRole('status').getByText('+49301234567 now rings voicemail:1002.').waitFor();
    expect((await h.api('/api/tenants/demo/dids')).body).toEqual([
      { number: '+49301234567', destination: 'voicemail:1002', name: 'Berlin office' },
    ]);
    h.provoke(400, '/api/tenants/demo/dids/12');
    await form.getByLabel('Phone number').fill('12');
    await form.getByLabel('Rings').fill('1001');
    await form.getByRole('button', { name: 'Save number' }).click();
    await form.locator('.field-error').first().waitFor();
    await page.screenshot({ path: join(h.shots, 'dids.png'), fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Release +49301234567' }).click();
    await page.getByRole('status').getByText('+49301234567 released.').waitFor();
    expect((await h.api('/api/tenants/demo/dids')).body).toEqual([]);
    await context.close();
  }, 60_000);

  it('credits a balance and sets fraud limits; a tenant admin only reads them', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.goto(`${h.server.httpUrl}/tenants/demo/billing`);
    const entry = page.getByRole('region', { name: 'Credit or debit the balance' });
    await entry.getByLabel('Amount (EUR)').fill('25.00');
    await entry.getByLabel('Note').fill('bank transfer');
    await entry.getByRole('button', { name: 'Record entry' }).click();
    await entry.getByRole('status').getByText('The balance is now 25').waitFor();
    await page.getByLabel('Spend per day, whole tenant').fill('40.00');
    await page.getByLabel('Blocked prefixes').fill('+53, +4990');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByRole('status').getByText('Limits saved.').waitFor();
    const tenant = (await h.api('/api/tenants/demo')).body as { fraud?: unknown; extensions: unknown[] };
    expect(tenant.fraud).toEqual({ maxSpendPerDay: '40.00', blockedPrefixes: ['+53', '+4990'] });
    expect(tenant.extensions).toHaveLength(3);
    await page.screenshot({ path: join(h.shots, 'billing.png'), fullPage: true });
    await context.close();

    const admin = await h.open();
    await h.signIn(admin.page, 'demo-admin');
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Billing and fraud' }).click();
    await admin.page.getByText('bank transfer').waitFor();
    expect(await admin.page.getByRole('region', { name: 'Credit or debit the balance' }).count()).toBe(0);
    expect(await admin.page.getByLabel('Spend per day, whole tenant').isDisabled()).toBe(true);
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Phone numbers' }).click();
    await admin.page.getByRole('table', { name: 'DIDs' }).waitFor();
    expect(await admin.page.getByRole('region', { name: 'Map a number' }).count()).toBe(0);
    await admin.context.close();
  }, 60_000);

  it('fits the new pages on a phone, with the menu working from the keyboard', async () => {
    const { context, page } = await h.open(390, 844);
    await h.signIn(page, 'admin');
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Bonds and auctions' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bonds and auctions' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    for (const path of [
      '/commune/bonds/srv3-2023',
      '/commune/distributions',
      '/commune/books',
      '/commune/currency',
      '/carriers/sipgate',
      '/tenants/demo/ivrs/new',
      '/tenants/demo/schedules/new',
      '/tenants/demo/billing',
      '/tenants/demo/voicemail',
    ]) {
      await page.goto(`${h.server.httpUrl}${path}`);
      await page.locator('h1').waitFor();
      await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.goto(`${h.server.httpUrl}/commune/bonds/srv3-2023`);
    await page.getByRole('region', { name: 'Auction results' }).waitFor();
    await page.screenshot({ path: join(h.shots, 'phone-auction.png') });
    await context.close();
  }, 90_000);

  it("passes axe-core's WCAG 2.1 AA checks on the new pages, in light and dark colours", async () => {
    const pages: [string, string[]][] = [
      [
        'admin',
        [
          '/',
          '/commune',
          '/commune/members',
          '/commune/labour',
          '/commune/properties',
          '/commune/bonds',
          '/commune/bonds/srv3-2023',
          '/commune/currency',
          '/commune/distributions',
          '/commune/books',
          '/commune/audit',
          '/carriers',
          '/carriers/sipgate',
          '/rates',
          '/tenants/demo/dids',
          '/tenants/demo/billing',
          '/tenants/demo/ivrs',
          '/tenants/demo/ivrs/new',
          '/tenants/demo/schedules/new',
          '/tenants/demo/prompts',
          '/tenants/demo/voicemail',
          '/tenants/demo/extensions/1001',
          '/tenants',
          '/tenants/demo/extensions',
          '/tenants/demo/ring-groups',
          '/calls/registrations',
          '/calls/cdrs',
          '/accounts',
          '/tokens',
          '/me/account',
        ],
      ],
      ['member-ada', ['/', '/commune/bonds/srv3-2023', '/commune/distributions']],
      ['demo-1001', ['/', '/me/voicemail', '/me/forwarding']],
    ];
    const found: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const signedOut = await h.open(1280, 860, scheme);
      await signedOut.page.goto(`${h.server.httpUrl}/`);
      await signedOut.page.getByRole('button', { name: 'Sign in' }).waitFor();
      for (const v of await accessibilityViolations(signedOut.page)) found.push(`${scheme} sign-in: ${v}`);
      await signedOut.context.close();
      for (const [user, paths] of pages) {
        const { context, page } = await h.open(1280, 860, scheme);
        await h.signIn(page, user);
        for (const path of paths) {
          await page.goto(`${h.server.httpUrl}${path}`);
          await page.locator('h1').waitFor();
          await page
            .getByRole('status')
            .filter({ hasText: 'Loading' })
            .first()
            .waitFor({ state: 'detached' });
          for (const v of await accessibilityViolations(page)) found.push(`${scheme} ${user} ${path}: ${v}`);
        }
        await context.close();
      }
    }
    expect(found).toEqual([]);
  }, 180_000);

  it('logged no errors in the browser console but the failures provoked on purpose', () => {
    expect(h.unexpectedErrors()).toEqual([]);
  });
});
