import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectConsoleErrors, launchChromium, screenshotDir } from './browser.js';
import { type StartedServer, startServerProcess } from './cli.js';

const consoleBuilt = join(
  dirname(createRequire(import.meta.url).resolve('@telekommune/web/package.json')),
  'dist',
  'index.html',
);

/** A server with the demo, Chromium, and what a console test needs around them. */
export interface ConsoleHarness {
  readonly dir: string;
  readonly server: StartedServer;
  readonly browser: Browser;
  /** Where screenshots go (docs/screenshots with TK_SCREENSHOTS=1). */
  readonly shots: string;
  readonly operatorToken: string;
  /** First-start console passwords by user name (admin, demo-admin, demo-1001, member-ada). */
  readonly passwords: ReadonlyMap<string, string>;
  /** A new browser context and page; its console errors are collected. */
  open(
    width?: number,
    height?: number,
    colorScheme?: 'light' | 'dark',
  ): Promise<{ context: BrowserContext; page: Page }>;
  signIn(page: Page, username: string): Promise<void>;
  /** The API with the operator's token. */
  api(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }>;
  /** A request a test makes fail on purpose; Chromium logs it as a console error. */
  provoke(status: number, path: string): void;
  /** Console errors other than the provoked failures (each of which must have appeared once). */
  unexpectedErrors(): string[];
  close(): Promise<void>;
}

/** `sipPort`: a port for SIP when a test places calls (default: one the system picks, unknown to the test). */
export async function startConsole(
  prefix: string,
  options: { sipPort?: number } = {},
): Promise<ConsoleHarness> {
  if (!existsSync(consoleBuilt)) {
    throw new Error(
      `the console is not built (${consoleBuilt}): run npm install or npm run build -w @telekommune/web`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const server = await startServerProcess([
    '--data-dir',
    dir,
    '--http-host',
    '127.0.0.1',
    '--http-port',
    '0',
    '--sip-port',
    String(options.sipPort ?? 0),
    '--log-level',
    'warn',
  ]);
  const passwords = new Map<string, string>();
  for (const match of server.stdout().matchAll(/^ {2}([a-z0-9-]+) +([A-Za-z0-9]{20}) /gm)) {
    passwords.set(match[1]!, match[2]!);
  }
  const operatorToken = /Operator API token: (\S+)/.exec(server.stdout())?.[1] ?? '';
  const browser = await launchChromium();
  const shots = screenshotDir();
  const errors: string[] = [];
  const provoked: { status: number; path: string }[] = [];

  const harness: ConsoleHarness = {
    dir,
    server,
    browser,
    shots,
    operatorToken,
    passwords,
    async open(width = 1280, height = 860, colorScheme = 'light') {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const page = await context.newPage();
      const seen = collectConsoleErrors(page);
      page.on('close', () => errors.push(...seen));
      return { context, page };
    },
    async signIn(page, username) {
      await page.goto(`${server.httpUrl}/`);
      await page.getByLabel('User name').fill(username);
      await page.getByLabel('Password').fill(passwords.get(username) ?? '');
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async api(path, init = {}) {
      const response = await fetch(`${server.httpUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      });
      return { status: response.status, body: await response.json().catch(() => undefined) };
    },
    provoke(status, path) {
      provoked.push({ status, path });
    },
    unexpectedErrors() {
      const expected = provoked.map(
        ({ status, path }) =>
          `the server responded with a status of ${status} (${STATUS_CODES[status]}) (${server.httpUrl}${path})`,
      );
      const missing = expected.filter((x) => errors.filter((e) => e.endsWith(x)).length !== 1);
      return [
        ...errors.filter((e) => !expected.some((x) => e.endsWith(x))),
        ...missing.map((x) => `expected exactly once: ${x}`),
      ];
    },
    async close() {
      await browser.close();
      const code = await server.stop();
      rmSync(dir, { recursive: true, force: true });
      if (!shots.includes('docs')) rmSync(shots, { recursive: true, force: true });
      if (code !== 0) throw new Error(`the server exited with ${code}`);
    },
  };
  return harness;
}
