import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, startConsole } from './support/console.js';
import { hasTool } from './support/tools.js';

describe.runIf(hasTool('chromium', 'chromium'))('the web console in Chromium', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole('tk-browser-');
    expect([...h.passwords.keys()].sort()).toEqual(['admin', 'demo-1001', 'demo-admin', 'member-ada']);
    const other = await h.api('/api/tenants/other', {
      method: 'PUT',
      body: JSON.stringify({
        name: 'Other Co',
        domain: 'other.test',
        extensions: [{ number: '2001', name: 'Olga Other', password: 'other-secret-2001' }],
      }),
    });
    expect(other.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('signs in an operator and shows the dashboard; a wrong password is refused', async () => {
    const { context, page } = await h.open();
    await page.goto(`${h.server.httpUrl}/`);
    await expect.poll(() => page.title()).toBe('Sign in · Telekommune');
    await page.screenshot({ path: join(h.shots, 'login.png') });
    await page.getByLabel('User name').fill('admin');
    h.provoke(401, '/api/auth/login');
    await page.getByLabel('Password').fill('certainly-wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong user name or password.').waitFor();
    await page.getByLabel('Password').fill(h.passwords.get('admin')!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByText('Calls per hour, last 24 hours').waitFor();
    await page.screenshot({ path: join(h.shots, 'dashboard.png'), fullPage: true });
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('link', { name: 'other' }).waitFor();
    await page.screenshot({ path: join(h.shots, 'tenants.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('creates an extension and sets its forwarding', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('link', { name: 'demo' }).click();
    await page.getByRole('heading', { name: 'Extensions of demo' }).waitFor();
    const form = page.getByRole('region', { name: 'New extension' });
    await form.getByLabel('Number').fill('1010');
    await form.getByLabel('Name').fill('Dora Demo');
    await form.getByRole('button', { name: 'Create extension' }).click();
    await page.getByRole('heading', { name: 'Extension 1010' }).waitFor();
    await page.getByRole('checkbox', { name: 'Do not disturb' }).check();
    await page.getByLabel('When busy (or do not disturb)').fill('voicemail:1010');
    await page.getByLabel('When not answered').fill('1001');
    await page.getByLabel('Ring time (seconds)').fill('20');
    await page.getByRole('button', { name: 'Save extension' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.screenshot({ path: join(h.shots, 'extension.png'), fullPage: true });
    const stored = await h.api('/api/tenants/demo/extensions/1010');
    expect(stored.body).toMatchObject({
      name: 'Dora Demo',
      dnd: true,
      ringTime_s: 20,
      forward: { busy: 'voicemail:1010', noAnswer: 'extension:1001' },
    });
    h.provoke(400, '/api/tenants/demo/extensions/1010');
    await page.getByLabel('When not answered').fill('nowhere');
    await page.getByRole('button', { name: 'Save extension' }).click();
    await page.getByText('expected extension:N, ringgroup:ID').waitFor();
    await page.getByRole('link', { name: 'All extensions of demo' }).click();
    await page.getByRole('link', { name: '1010' }).waitFor();
    await page.screenshot({ path: join(h.shots, 'extensions.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('builds a ring group', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'demo-admin');
    await page.getByRole('link', { name: 'Ring groups' }).click();
    await page.getByRole('link', { name: 'New ring group' }).click();
    await page.getByLabel('Id').fill('sales');
    await page.getByLabel('Name').fill('Sales');
    await page.getByLabel('Number to dial (optional)').fill('600');
    await page.getByLabel('How members ring').selectOption('hunt');
    await page.getByLabel('Members', { exact: true }).fill('1001, 1002:15');
    await page.getByLabel('Then send the call to').fill('voicemail:1001');
    await page.getByRole('button', { name: 'Save ring group' }).click();
    await page.getByRole('heading', { name: 'Ring group Sales', exact: true }).waitFor();
    await expect.poll(() => page.getByLabel('Name').inputValue()).toBe('Sales');
    expect(await page.getByLabel('Id').getAttribute('readonly')).not.toBeNull();
    expect((await h.api('/api/tenants/demo/ring-groups/sales')).body).toMatchObject({
      strategy: 'hunt',
      members: [{ extension: '1001' }, { extension: '1002', ringTime_s: 15 }],
      finally: 'voicemail:1001',
    });
    await page.screenshot({ path: join(h.shots, 'ring-group.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('a tenant admin cannot see another tenant', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'demo-admin');
    await expect.poll(() => page.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Extensions' }).click();
    await page.getByRole('heading', { name: 'Extensions of demo' }).waitFor();
    h.provoke(404, '/api/tenants/other/extensions');
    await page.goto(`${h.server.httpUrl}/tenants/other/extensions`);
    await page.getByRole('alert').getByText('no tenant other').waitFor();
    expect(await page.getByText('Olga Other').count()).toBe(0);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('cell', { name: 'demo-1001', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'admin', exact: true }).count()).toBe(0);
    await page.screenshot({ path: join(h.shots, 'accounts.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('an extension owner sets their own forwarding', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'demo-1001');
    await page.getByRole('navigation').getByRole('link', { name: 'My forwarding' }).click();
    await page.getByRole('checkbox', { name: 'Do not disturb' }).check();
    await page.getByLabel('When busy (or do not disturb)').fill('voicemail:1001');
    await page.getByRole('button', { name: 'Save forwarding' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.screenshot({ path: join(h.shots, 'my-forwarding.png'), fullPage: true });
    expect((await h.api('/api/tenants/demo/extensions/1001')).body).toMatchObject({
      dnd: true,
      forward: { busy: 'voicemail:1001' },
    });
    await context.close();
  }, 60_000);

  it('creates and revokes an API token, and shows call records', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Label').fill('monitoring');
    await page.getByLabel('Scope').selectOption('operator:read');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.locator('code.secret').textContent();
    expect(secret).toMatch(/^tk_/);
    const check = await fetch(`${h.server.httpUrl}/api/tenants`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(check.status).toBe(200);
    await page.screenshot({ path: join(h.shots, 'tokens.png'), fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke monitoring' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Revoke monitoring' }).count()).toBe(0);
    const revoked = await fetch(`${h.server.httpUrl}/api/tenants`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(revoked.status).toBe(401);
    await page.getByRole('link', { name: 'Carriers' }).click();
    await page.getByRole('table', { name: 'Carriers' }).waitFor();
    await page.getByRole('link', { name: 'Call records' }).click();
    await page.getByRole('table', { name: 'Calls', exact: true }).waitFor();
    await page.screenshot({ path: join(h.shots, 'call-records.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('works at phone width with the keyboard', async () => {
    const { context, page } = await h.open(390, 844);
    await page.goto(`${h.server.httpUrl}/`);
    await page.getByLabel('User name').focus();
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(h.passwords.get('admin')!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('link', { name: 'Tenants' }).waitFor();
    await page.screenshot({ path: join(h.shots, 'phone-menu.png') });
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await context.close();
  }, 60_000);

  it('logged no errors in the browser console but the failures provoked on purpose', () => {
    expect(h.unexpectedErrors()).toEqual([]);
  });
});
