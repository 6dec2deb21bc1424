import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, startConsole } from './support/console.js';
import { hasTool } from './support/tools.js';

/**
 * The commune's commands in the console: membership, governance,
 * re-letting and the treasurer's enterprise forms, on the demo commune (whose log
 * ends on 2024-01-05; venture-commune.md §8, §10): a worker whose labour
 * works commune property applies and is admitted at once; she proposes to
 * lower the labour threshold; members vote (a second vote is refused and
 * changes nothing); the treasurer counts the votes and the new bylaw shows;
 * a surrendered property is re-let by auction (§5); the treasurer founds an
 * enterprise, invests in it in commune currency (refused past the cap, §4)
 * and records its revenue; an enterprise's property is bought and leased
 * back (§5); the member resigns (§8).
 * Commands carry explicit effective dates so the figures are the same on
 * every run.
 */
describe.runIf(hasTool('chromium', 'chromium'))("the commune's forms in the console", () => {
  let h: ConsoleHarness;
  let commands = 0;
  const erinPassword = 'erin-console-pass-2024';

  async function command(type: string, body: Record<string, unknown>) {
    commands += 1;
    const reply = await h.api(`/api/commune/${type}`, {
      method: 'POST',
      body: JSON.stringify({ idempotency_key: `e2e-governance-${commands}`, ...body }),
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }

  async function signInAsErin(page: Page) {
    await page.goto(`${h.server.httpUrl}/`);
    await page.getByLabel('User name').fill('member-erin');
    await page.getByLabel('Password').fill(erinPassword);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  async function governance() {
    return (await h.api('/api/commune/proposals')).body as {
      members: number;
      bylaws: { labour_threshold_hours: number };
      proposals: { proposal: string; status: string; yes: number; no: number; executed: boolean }[];
    };
  }

  beforeAll(async () => {
    h = await startConsole('tk-console-commune-forms-');
    // Erin works for the enterprise that leases commune property, with enough labour for a share.
    await command('register-person', { effective_date: '2024-02-01', person: 'erin', name: 'Erin Walsh' });
    await command('employ', {
      effective_date: '2024-02-01',
      person: 'erin',
      enterprise: 'telekommunisten',
    });
    await command('record-labour', {
      effective_date: '2024-02-01',
      person: 'erin',
      enterprise: 'telekommunisten',
      hours: 520,
      note: 'first quarter',
    });
    const account = await h.api('/api/accounts', {
      method: 'POST',
      body: JSON.stringify({
        username: 'member-erin',
        password: erinPassword,
        role: 'member',
        displayName: 'Erin Walsh',
        personId: 'erin',
      }),
    });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await h?.close();
  });

  it('a worker applies as herself and is admitted at once; applying again is refused', async () => {
    const { context, page } = await h.open();
    await signInAsErin(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Members' }).click();
    const eligible = page.getByRole('table', { name: 'Eligible, not members' });
    await eligible.getByRole('row').filter({ hasText: 'Erin Walsh' }).getByText('not applied').waitFor();
    expect(await page.getByRole('region', { name: 'Resign' }).count()).toBe(0);
    const form = page.getByRole('region', { name: 'Apply for membership' });
    expect(await form.getByLabel('Applicant').inputValue()).toBe('erin');
    expect(await form.getByLabel('Applicant').getAttribute('readonly')).not.toBeNull();
    await form.getByLabel('Effective date').fill('2024-02-02');
    await form.getByRole('button', { name: 'Apply' }).click();
    await form.getByRole('status').getByText('Admitted: one member, one share.').waitFor();
    await page
      .getByRole('table', { name: 'Members' })
      .getByRole('row')
      .filter({ hasText: 'Erin Walsh' })
      .waitFor();
    await page.getByRole('region', { name: 'Resign' }).waitFor();

    h.provoke(409, '/api/commune/apply');
    await form.getByRole('button', { name: 'Apply' }).click();
    await form
      .getByRole('alert')
      .getByText('erin already holds a share; a member holds exactly one')
      .waitFor();
    const register = (await h.api('/api/commune/members')).body as { shares_outstanding: number };
    expect(register.shares_outstanding).toBe(5);
    await context.close();
  }, 60_000);

  it('a member proposes a bylaw change and votes; a second vote is refused and changes nothing', async () => {
    const { context, page } = await h.open();
    await signInAsErin(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Governance' }).click();
    await page.getByRole('table', { name: 'Proposals' }).getByText('retain-2023-12').waitFor();
    const propose = page.getByRole('region', { name: 'Make a proposal' });
    expect(await propose.getByLabel('Proposer').inputValue()).toBe('erin');
    await propose.getByLabel('Proposal id').fill('threshold-400');
    await propose.getByLabel('Title').fill('Lower the labour threshold to 400 hours');
    await propose.getByLabel('Voting closes on').fill('2024-02-10');
    await propose.getByLabel('Kind of decision').selectOption('amend-bylaws');
    // A figure the console cannot read is caught on its field before anything is sent.
    await propose.getByLabel('Labour threshold (hours)').fill('four hundred');
    await propose.getByLabel('Effective date').fill('2024-02-03');
    await propose.getByRole('button', { name: 'Propose' }).click();
    await propose.getByText('expected hours such as 400').waitFor();
    await propose.getByLabel('Labour threshold (hours)').fill('400');
    await propose.getByRole('button', { name: 'Propose' }).click();
    await propose.getByRole('status').getByText('Proposal made.').waitFor();
    const row = page
      .getByRole('table', { name: 'Proposals' })
      .getByRole('row')
      .filter({ hasText: 'threshold-400' });
    await row.getByText('open until 2024-02-10').waitFor();

    const vote = page.getByRole('region', { name: 'Vote' });
    expect(await vote.getByLabel('Proposal', { exact: true }).inputValue()).toBe('threshold-400');
    expect(await vote.getByLabel('Member').inputValue()).toBe('erin');
    await vote.getByLabel('yes', { exact: true }).check();
    await vote.getByLabel('Effective date').fill('2024-02-04');
    await vote.getByRole('button', { name: 'Cast vote' }).click();
    await vote.getByRole('status').getByText('Vote cast.').waitFor();
    await row.getByText('erin: yes').waitFor();

    h.provoke(409, '/api/commune/vote');
    await vote.getByLabel('no', { exact: true }).check();
    await vote.getByRole('button', { name: 'Cast vote' }).click();
    await vote
      .getByRole('alert')
      .getByText('erin has voted on threshold-400; one member, one vote')
      .waitFor();
    expect(await row.locator('td').nth(4).textContent()).toBe('1 / 0 / 0');
    const after = await governance();
    expect(after.proposals.find((p) => p.proposal === 'threshold-400')).toMatchObject({ yes: 1, no: 0 });
    await context.close();

    const ada = await h.open();
    await h.signIn(ada.page, 'member-ada');
    await ada.page.getByRole('navigation').getByRole('link', { name: 'Governance' }).click();
    const adaVote = ada.page.getByRole('region', { name: 'Vote' });
    expect(await adaVote.getByLabel('Member').inputValue()).toBe('ada');
    await adaVote.getByLabel('yes', { exact: true }).check();
    await adaVote.getByLabel('Effective date').fill('2024-02-05');
    await adaVote.getByRole('button', { name: 'Cast vote' }).click();
    await adaVote.getByRole('status').getByText('Vote cast.').waitFor();
    expect(await ada.page.getByRole('region', { name: 'Close a proposal' }).count()).toBe(0);
    await ada.context.close();
  }, 90_000);

  it('the treasurer records a vote, counts the votes, and the new bylaw is in force', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.goto(`${h.server.httpUrl}/commune/governance`);
    // An operator records a member's vote (cast at a meeting, say) by naming the member.
    const vote = page.getByRole('region', { name: 'Vote' });
    await vote.getByLabel('Member').fill('bruno');
    await vote.getByLabel('no', { exact: true }).check();
    await vote.getByLabel('Effective date').fill('2024-02-06');
    await vote.getByRole('button', { name: 'Cast vote' }).click();
    await vote.getByRole('status').getByText('Vote cast.').waitFor();

    const close = page.getByRole('region', { name: 'Close a proposal' });
    // Counting before voting has closed is refused.
    h.provoke(409, '/api/commune/close-proposal');
    await close.getByLabel('Effective date').fill('2024-02-07');
    await close.getByRole('button', { name: 'Count the votes' }).click();
    await close.getByRole('alert').getByText('voting on threshold-400 is open until 2024-02-10').waitFor();
    await close.getByLabel('Effective date').fill('2024-02-10');
    await close.getByRole('button', { name: 'Count the votes' }).click();
    await close.getByRole('status').getByText('Recorded as log entry').waitFor();
    const row = page
      .getByRole('table', { name: 'Proposals' })
      .getByRole('row')
      .filter({ hasText: 'threshold-400' });
    // 3 of 5 members voted (quorum 50 %); 2 yes against 1 no (majority above 50 %).
    await row.getByText('passed (2 yes, 1 no, 0 abstain of 5 members); carried out').waitFor();
    const bylaws = page.getByRole('region', { name: 'Bylaws in force' });
    expect(await bylaws.locator('dt:has-text("Labour threshold") + dd').textContent()).toBe('400 hours');
    await page.screenshot({ path: join(h.shots, 'commune-governance.png'), fullPage: true });
    const after = await governance();
    expect(after.bylaws.labour_threshold_hours).toBe(400);
    expect(after.proposals.find((p) => p.proposal === 'threshold-400')).toMatchObject({
      status: 'passed',
      executed: true,
    });
    await context.close();
  }, 60_000);

  it('re-lets a surrendered property by auction: a bid under the minimum is refused, the highest rent wins', async () => {
    const { context, page } = await h.open();
    page.on('dialog', (dialog) => void dialog.accept());
    await h.signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Properties and leases' }).click();
    const end = page.getByRole('region', { name: 'End a lease' });
    await end.getByLabel('Leased property').selectOption('phone-numbers');
    await end.getByLabel('Effective date').fill('2024-02-12');
    await end.getByRole('button', { name: 'End lease' }).click();
    await end.getByRole('status').getByText('Lease ended.').waitFor();
    const roll = page.getByRole('table', { name: 'Rent roll' });
    await roll
      .getByRole('row')
      .filter({ hasText: 'phone-numbers' })
      .locator('td[data-label="Tenant"]', { hasText: 'vacant' })
      .waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Re-letting' }).click();
    const offer = page.getByRole('region', { name: 'Offer a vacant property' });
    await offer.getByLabel('Property').fill('phone-numbers');
    await offer.getByLabel('Bids close on').fill('2024-02-20');
    await offer.getByLabel('Lowest rent (optional)').fill('100.00');
    await offer.getByLabel('Currency').selectOption('EUR');
    await offer.getByLabel('Effective date').fill('2024-02-12');
    await offer.getByRole('button', { name: 'Offer for rent' }).click();
    await offer.getByRole('status').getByText('Offered.').waitFor();
    const auctions = page.getByRole('table', { name: 'Rent auctions' });
    await auctions.getByRole('row').filter({ hasText: 'phone-numbers' }).getByText('0 sealed bids').waitFor();

    const bid = page.getByRole('region', { name: 'Record a rent bid' });
    await bid.getByLabel('Bidding enterprise').fill('telekommunisten');
    await bid.getByLabel('Rent offered').fill('90.00');
    await bid.getByLabel('Effective date').fill('2024-02-13');
    h.provoke(422, '/api/commune/bid-rent');
    await bid.getByRole('button', { name: 'Record bid' }).click();
    await bid.getByRole('alert').getByText('the minimum rent for phone-numbers is 100.00').waitFor();
    expect(await auctions.getByRole('row').filter({ hasText: 'phone-numbers' }).textContent()).toContain(
      '0 sealed bids',
    );
    await bid.getByLabel('Rent offered').fill('130.00');
    await bid.getByRole('button', { name: 'Record bid' }).click();
    await bid.getByRole('status').getByText('Bid recorded.').waitFor();
    await auctions.getByRole('row').filter({ hasText: 'phone-numbers' }).getByText('1 sealed bid').waitFor();

    const close = page.getByRole('region', { name: 'Close a rent auction' });
    await close.getByLabel('Effective date').fill('2024-02-20');
    await close.getByRole('button', { name: 'Open the bids' }).click();
    await auctions.getByText('let to telekommunisten at EUR 130.00 (1 bid)').waitFor();
    await page.screenshot({ path: join(h.shots, 'commune-re-letting.png'), fullPage: true });

    await page.getByRole('navigation').getByRole('link', { name: 'Properties and leases' }).click();
    await roll
      .getByRole('row')
      .filter({ hasText: 'phone-numbers' })
      .getByText('EUR 130.00 monthly')
      .waitFor();
    await context.close();

    const member = await h.open();
    await signInAsErin(member.page);
    await member.page.getByRole('navigation').getByRole('link', { name: 'Re-letting' }).click();
    await member.page
      .getByRole('table', { name: 'Rent auctions' })
      .getByText('let to telekommunisten')
      .waitFor();
    expect(await member.page.getByRole('region', { name: 'Offer a vacant property' }).count()).toBe(0);
    await member.context.close();
  }, 90_000);

  it('the treasurer founds an enterprise, invests in it up to the currency cap, and records its revenue', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Properties and leases' }).click();
    const found = page.getByRole('region', { name: 'Found an enterprise' });
    await found.getByLabel('Enterprise id').fill('radio-coop');
    await found.getByLabel('Name', { exact: true }).fill('Radio Co-op');
    // After incorporation an enterprise is funded by the commune, never by outside owners (§9).
    expect(await found.getByLabel('Opening cash (EUR, optional)').count()).toBe(0);
    await found.getByLabel('Effective date').fill('2024-02-21');
    await found.getByRole('button', { name: 'Found enterprise' }).click();
    await found.getByRole('status').getByText('Founded.').waitFor();
    await page.getByRole('table', { name: 'Enterprises' }).getByText('Radio Co-op').waitFor();

    const currency = async () =>
      ((await h.api('/api/commune/currency')).body as { outstanding_minor: string }).outstanding_minor;
    const before = BigInt(await currency());
    await page.getByRole('navigation').getByRole('link', { name: 'Currency' }).click();
    const fund = page.getByRole('region', { name: 'Fund an enterprise' });
    await fund.getByLabel('Enterprise').selectOption('radio-coop');
    await fund.getByLabel('Amount (VCC)').fill('1000000.00');
    await fund.getByLabel('Effective date').fill('2024-02-22');
    h.provoke(422, '/api/commune/fund-enterprise');
    await fund.getByRole('button', { name: 'Issue and invest' }).click();
    await fund.getByRole('alert').getByText('the cap (backing ratio x annual rent roll) is').waitFor();
    expect(BigInt(await currency())).toBe(before);
    await fund.getByLabel('Amount (VCC)').fill('50.00');
    await fund.getByRole('button', { name: 'Issue and invest' }).click();
    await fund.getByRole('status').getByText('Recorded as log entry').waitFor();
    expect(BigInt(await currency())).toBe(before + 5_000n);

    await page.getByRole('navigation').getByRole('link', { name: 'Books' }).click();
    const entry = page.getByRole('region', { name: 'Record enterprise revenue or expense' });
    await entry.getByLabel('revenue', { exact: true }).check();
    await entry.getByLabel('Enterprise').selectOption('radio-coop');
    await entry.getByLabel('Amount').fill('250.00');
    await entry.getByLabel('Currency').selectOption('EUR');
    await entry.getByLabel('Category (optional)').fill('advertising');
    await entry.getByLabel('Effective date').fill('2024-02-23');
    await entry.getByRole('button', { name: 'Record revenue' }).click();
    await entry.getByRole('status').getByText('Recorded as log entry').waitFor();
    await page.getByLabel('Whose books').selectOption('enterprise:radio-coop');
    const income = page.getByRole('table', { name: 'Income (EUR)' });
    // The enterprise keeps its entire product: its own books show the revenue.
    await expect.poll(() => income.locator('tfoot td').textContent()).toBe('EUR 250.00');
    await context.close();
  }, 90_000);

  it('an enterprise records property it bought; the commune buys it and leases it back', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Properties and leases' }).click();
    const record = page.getByRole('region', { name: "Record an enterprise's property" });
    await record.getByLabel('Property id').fill('headsets');
    await record.getByLabel('Owning enterprise').selectOption('telekommunisten');
    await record.getByLabel('Description').fill('40 headsets for support');
    await record.getByLabel('Cost (EUR)').fill('800.00');
    await record.getByLabel('Effective date').fill('2024-02-24');
    await record.getByRole('button', { name: 'Record property' }).click();
    await record.getByRole('status').getByText('Property recorded.').waitFor();
    const roll = page.getByRole('table', { name: 'Rent roll' });
    await roll.getByRole('row').filter({ hasText: 'headsets' }).waitFor();

    const sale = page.getByRole('region', { name: "Buy an enterprise's property and lease it back" });
    await sale.getByLabel('Enterprise property').selectOption('headsets');
    await sale.getByLabel('Paid in').selectOption('outside');
    await sale.getByLabel('Rent a month').fill('30.00');
    await sale.getByLabel('Rent currency').selectOption('EUR');
    await sale.getByLabel('Effective date').fill('2024-02-24');
    await sale.getByRole('button', { name: 'Buy and lease back' }).click();
    await sale.getByRole('status').getByText('Bought and leased back.').waitFor();
    await roll.getByRole('row').filter({ hasText: 'headsets' }).getByText('EUR 30.00 monthly').waitFor();
    const rent = (await h.api('/api/commune/rent-roll')).body as {
      properties: { property: string; owner: string; tenant: string | null }[];
    };
    expect(rent.properties.find((p) => p.property === 'headsets')).toMatchObject({
      owner: 'commune',
      tenant: 'telekommunisten',
    });
    await context.close();
  }, 60_000);

  it('a member resigns as herself: the share is cancelled, nothing paid for it', async () => {
    const { context, page } = await h.open();
    page.on('dialog', (dialog) => void dialog.accept());
    await signInAsErin(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Members' }).click();
    const resign = page.getByRole('region', { name: 'Resign' });
    expect(await resign.getByLabel('Member resigning').inputValue()).toBe('erin');
    await resign.getByLabel('Effective date').fill('2024-02-24');
    await resign.getByRole('button', { name: 'Resign' }).click();
    await page.getByRole('table', { name: 'Former members' }).getByText('Erin Walsh').waitFor();
    await page.getByRole('region', { name: 'Apply for membership' }).waitFor();
    const register = (await h.api('/api/commune/members')).body as { shares_outstanding: number };
    expect(register.shares_outstanding).toBe(4);
    await context.close();
  }, 60_000);

  it('fits a phone-sized screen', async () => {
    const { context, page } = await h.open(390, 844);
    await signInAsErin(page);
    await page.goto(`${h.server.httpUrl}/commune/governance`);
    await page.getByRole('region', { name: 'Make a proposal' }).waitFor();
    // Nothing wider than the screen: the page never scrolls sideways (tables scroll in their own box).
    const overflow = await page.locator('html').evaluate((element) => {
      const html = element as unknown as { scrollWidth: number; clientWidth: number };
      return html.scrollWidth - html.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(h.shots, 'phone-governance.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('logged no errors in the browser console but the refusals provoked on purpose', () => {
    expect(h.unexpectedErrors()).toEqual([]);
  });
});
