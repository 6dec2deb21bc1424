import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './support/browser.js';
import { type ConsoleHarness, startConsole } from './support/console.js';
import { freePort } from './support/ports.js';
import { credentials, injection, scenarioDir, sipp } from './support/sipp.js';
import { hasTool } from './support/tools.js';

/**
 * The operator's SIP diagnostics page in Chromium: a trace started from the
 * form records real traffic and shows it, and a source banned after SIPp
 * guessed passwords is listed and let back in.
 */
describe.runIf(hasTool('chromium', 'chromium') && hasTool('sipp', 'sip-tester'))(
  'SIP diagnostics in the console',
  () => {
    let h: ConsoleHarness;
    let sipPort: number;

    beforeAll(async () => {
      sipPort = await freePort();
      h = await startConsole('tk-diag-', { sipPort });
    }, 60_000);

    afterAll(async () => {
      await h?.close();
    });

    it('starts a trace, shows what it recorded, lists a banned source and lifts the ban', async () => {
      // 20 wrong passwords within a minute (the default limit) ban 127.0.0.13.
      const guesses = await sipp(
        [
          `127.0.0.1:${sipPort}`,
          '-sf',
          join(scenarioDir, 'register-probe.xml'),
          '-inf',
          'users.csv',
          '-m',
          '20',
          '-r',
          '20',
          '-i',
          '127.0.0.13',
          '-p',
          String(await freePort('127.0.0.13')),
          '-auth_uri',
          'demo.localhost',
        ],
        {
          files: {
            'users.csv': injection([['1001', 'demo.localhost', credentials('1001', 'wrong-guess'), 'x/1']]),
          },
          timeout_s: 30,
        },
      ).done;
      expect(guesses.successful, guesses.output).toBe(20);

      const { context, page } = await h.open();
      await h.signIn(page, 'admin');
      await page.getByRole('link', { name: 'SIP diagnostics' }).click();
      await page.getByRole('heading', { level: 1, name: 'SIP diagnostics' }).waitFor();
      const bans = page.getByRole('table', { name: 'Banned sources' });
      await bans.getByRole('cell', { name: '127.0.0.13', exact: true }).waitFor();

      // A bad filter is refused on its field and starts nothing.
      h.provoke(400, '/api/traces');
      await page.getByLabel('Far-end address').fill('not-an-address');
      await page.getByRole('button', { name: 'Start trace' }).click();
      await page.locator('.field-error').first().waitFor();
      expect((await h.api('/api/traces')).body).toEqual([]);

      await page.getByLabel('Far-end address').fill('');
      await page.getByLabel('Containing').fill('diagnostics-probe');
      await page.getByLabel('For (seconds)').fill('120');
      await page.getByRole('button', { name: 'Start trace' }).click();
      await page
        .getByRole('status')
        .getByText(/is recording/)
        .waitFor();

      // Real traffic: an OPTIONS from a UDP socket, answered by the PBX.
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const port = socket.address().port;
      const options = [
        'OPTIONS sip:diagnostics-probe@127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-diag1;rport`,
        'From: <sip:probe@127.0.0.1>;tag=d1',
        'To: <sip:diagnostics-probe@127.0.0.1>',
        'Call-ID: diagnostics-probe-1',
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      const answered = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString())));
      socket.send(options, sipPort, '127.0.0.1');
      expect(await answered).toMatch(/^SIP\/2\.0 \d{3}/);
      socket.close();

      await page.getByRole('button', { name: /^Show/ }).click();
      const trace = page.getByRole('region', { name: /^Trace / });
      await trace
        .locator('summary', { hasText: 'OPTIONS sip:diagnostics-probe@127.0.0.1 SIP/2.0' })
        .waitFor();
      await trace.locator('summary', { hasText: /→ 127\.0\.0\.1:\d+ \(udp\): SIP\/2\.0 \d{3}/ }).waitFor();
      await trace.locator('summary').first().click();
      await trace.getByText('Call-ID: diagnostics-probe-1').first().waitFor();
      const pcap = page.getByRole('link', { name: /^pcap/ });
      expect(await pcap.getAttribute('href')).toMatch(/^\/api\/traces\/t[0-9a-z]+\/pcap$/);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: join(h.shots, 'sip-diagnostics.png'), fullPage: true });

      page.on('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Stop', exact: false }).click();
      await page.getByRole('cell', { name: 'finished' }).waitFor();
      await bans.getByRole('button', { name: /Lift ban/ }).click();
      await bans.getByText('No address is banned.').waitFor();
      expect((await h.api('/api/security/bans')).body).toEqual([]);
      await context.close();
      expect(h.unexpectedErrors()).toEqual([]);
    }, 90_000);
  },
);
