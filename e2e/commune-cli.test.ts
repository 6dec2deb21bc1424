/**
 * The worked example of venture-commune.md §13 end to end through the
 * `telekommune commune` command line: a journal imported, every report, the
 * audit, export back to the same journal, rejections with their codes and
 * line numbers, and the demo a newcomer sees on first start.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telekommunistenJournal, toJsonl } from '@telekommune/commune';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServerProcess } from './support/cli.js';

let dir: string;
const journal = toJsonl(telekommunistenJournal());
const cli = (args: string[]) => runCli(['commune', ...args, '--data-dir', dir]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-commune-cli-'));
  writeFileSync(
    join(dir, 'telekommunisten.jsonl'),
    `# the worked example of venture-commune.md §13\n${journal}`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the commune on the command line', { timeout: 240_000 }, () => {
  it('imports the worked example and shows the living commune', () => {
    const imported = cli(['import', join(dir, 'telekommunisten.jsonl')]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(`imported ${telekommunistenJournal().length} commands\n`);
    expect(cli(['import', join(dir, 'telekommunisten.jsonl')]).stdout).toContain('already recorded');

    const summary = JSON.parse(cli(['summary', '--json']).stdout);
    expect(summary).toMatchObject({
      name: 'Telekommune Venture Commune',
      phase: 'incorporated',
      members: 4,
      annual_rent_roll_minor: '1128000',
    });
    expect(cli(['summary']).stdout).toContain('annual rent roll    11,280.00');

    expect(cli(['members']).stdout).toMatch(/dmitri\s+Dmitri Volkov\s+share#4\s+2023-09-26/);
    expect(cli(['rent-roll']).stdout).toMatch(/pbx-server-3\s+leased\s+telekommunisten\s+220\.00\s+EUR/);
    const bonds = cli(['bonds']).stdout;
    expect(bonds).toContain('Auction of srv3-2023: cleared at 400 bp; bid-to-cover 1.42');
    expect(bonds).toMatch(/otto\s+400\s+25\s+25\s+17/);
    expect(cli(['distributions']).stdout).toContain('EUR 531.45 / 4 members = EUR 132.86 each');
    expect(cli(['currency']).stdout).toContain('outstanding         775.00');
    const trial = cli(['trial-balance']).stdout;
    expect(trial).not.toContain('DOES NOT BALANCE');
    expect(cli(['balance-sheet', '--owner', 'enterprise:telekommunisten']).stdout).toContain(
      'Balance sheet of enterprise:telekommunisten in EUR',
    );
    expect(cli(['income-statement', '--from', '2023-07-01', '--to', '2023-12-31']).stdout).toMatch(
      /rent\s+4,520\.00/,
    );
    expect(cli(['log', '--from', '1', '--limit', '3']).stdout).toMatch(/^Hash chain verified: \d+ entries/);
    const audit = cli(['audit']);
    expect(audit.status).toBe(0);
    expect(audit.stdout).toMatch(/^audit passed: \d+ entries, \d+ events re-derived; every invariant holds/);
  });

  it('records a command, once per idempotency key, and refuses with the code and a non-zero exit', () => {
    const args = [
      'record-labour',
      '--person',
      'dmitri',
      '--enterprise',
      'telekommunisten',
      '--hours',
      '7.5',
      '--date',
      '2024-01-08',
      '--key',
      'labour-1',
    ];
    expect(cli(args).stdout).toMatch(/^accepted: entry \d+, key labour-1/);
    expect(cli(args).stdout).toMatch(/^already recorded \(entry \d+\)/);
    const owed = cli([
      'pay-rent',
      '--enterprise',
      'telekommunisten',
      '--amount',
      '10.00',
      '--currency',
      'EUR',
      '--date',
      '2024-01-08',
    ]);
    expect(owed.status).toBe(1);
    expect(owed.stderr).toMatch(/^rejected: COMMUNE_TAKES_NO_INCOME: /);
    const cap = cli([
      'fund-enterprise',
      '--enterprise',
      'telekommunisten',
      '--amount',
      '1000000.00',
      '--date',
      '2024-01-08',
    ]);
    expect(cap.stderr).toMatch(/^rejected: CURRENCY_CAP_EXCEEDED: /);
    const bad = cli([
      'pay-rent',
      '--enterprise',
      'telekommunisten',
      '--amount',
      '1.005',
      '--currency',
      'EUR',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not an amount');
  });

  it('stops an import at the first rejected line, naming it, unless told to continue', () => {
    const lines = [
      JSON.stringify({
        type: 'register-person',
        idempotency_key: 'j1',
        effective_date: '2024-02-01',
        person: 'olga',
        name: 'Olga',
      }),
      JSON.stringify({
        type: 'buy-share',
        idempotency_key: 'j2',
        effective_date: '2024-02-01',
        person: 'olga',
        price_minor: '100000',
      }),
      '{ not json',
      JSON.stringify({
        type: 'register-person',
        idempotency_key: 'j3',
        effective_date: '2024-02-01',
        person: 'pavel',
        name: 'Pavel',
      }),
    ];
    writeFileSync(join(dir, 'bad.jsonl'), `${lines.join('\n')}\n`);
    const stopped = cli(['import', join(dir, 'bad.jsonl')]);
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).toBe('imported 1 command\n');
    expect(stopped.stderr).toMatch(/^line 2: SHARE_NOT_FOR_SALE: /);
    expect(stopped.stderr).toContain('stopped at the first rejection');
    const carried = cli(['import', join(dir, 'bad.jsonl'), '--continue']);
    expect(carried.stdout).toBe('imported 1 command (1 already recorded)\n');
    expect(carried.stderr).toMatch(/line 2: SHARE_NOT_FOR_SALE: .*\nline 3: INVALID: not JSON/);
    expect(JSON.parse(cli(['members', '--json']).stdout).members).toHaveLength(4);
  });

  it('exports the log as the journal it was built from', () => {
    const other = mkdtempSync(join(tmpdir(), 'tk-commune-cli-copy-'));
    try {
      expect(cli(['export', '-o', join(dir, 'export.jsonl')]).status).toBe(0);
      const exported = readFileSync(join(dir, 'export.jsonl'), 'utf8');
      expect(exported.startsWith(journal)).toBe(true);
      const copy = runCli(['commune', 'import', join(dir, 'export.jsonl'), '--data-dir', other]);
      expect(copy.status).toBe(0);
      const a = JSON.parse(cli(['summary', '--json']).stdout);
      const b = JSON.parse(runCli(['commune', 'summary', '--json', '--data-dir', other]).stdout);
      expect(b.head).toBe(a.head);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('shows a newcomer who runs the server a living commune', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'tk-commune-start-'));
    try {
      const server = await startServerProcess(
        ['--data-dir', fresh, '--http-host', '127.0.0.1', '--http-port', '0', '--sip-port', '0'],
        {
          TK_SIP_TLS_PORT: 'off',
          TK_SIP_WS_PORT: 'off',
        },
      );
      try {
        expect(server.stdout()).toContain(
          'A demo Venture Commune was founded: Telekommune Venture Commune, 4 members',
        );
        expect(server.stdout()).toMatch(/member-ada\s+\S+\s+Member "ada" of the demo commune/);
        const token = /Operator API token: (\S+)/.exec(server.stdout())?.[1];
        const response = await fetch(`${server.httpUrl}/api/commune/members`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(((await response.json()) as { members: unknown[] }).members).toHaveLength(4);
      } finally {
        expect(await server.stop('SIGINT')).toBe(0);
      }
      expect(runCli(['commune', 'summary', '--data-dir', fresh]).stdout).toContain(
        'Telekommune Venture Commune',
      );
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
