import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHED_RR, schedulingOf } from '@telekommune/server';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli, startServerProcess } from './support/cli.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const acmeYaml = `tenants:
  - id: acme
    name: ACME Ltd
    domain: acme.test
    musicOnHold:
      prompt: hold-tune
    extensions:
      - number: "1001"
        name: Alice Example
        password: s3cret-1001
      - number: "1002"
        name: Bob Example
        password: s3cret-1002
`;

describe('the telekommune command', () => {
  it('prints its version and help with examples on every command', () => {
    const version = runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of [[], ['start'], ['apply'], ['export'], ['db', 'migrate']]) {
      const help = runCli([...command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });

  it('applies a file idempotently and exports it back as a round trip', () => {
    const dir = tempDir();
    const file = join(dir, 'acme.yaml');
    writeFileSync(file, acmeYaml);
    const first = runCli(['apply', '-f', file, '--data-dir', dir]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('tenant acme: created (2 extensions)\n');
    const second = runCli(['apply', '-f', file, '--data-dir', dir]);
    expect(second.stdout).toBe('tenant acme: unchanged\n');

    const exported = runCli(['export', '--tenant', 'acme', '--data-dir', dir]);
    expect(exported.status).toBe(0);
    const withDefaults = parse(acmeYaml);
    withDefaults.tenants[0].ringGroups = [];
    for (const extension of withDefaults.tenants[0].extensions)
      Object.assign(extension, { dnd: false, ringTime_s: 25 });
    expect(parse(exported.stdout)).toEqual(withDefaults);
    const out = join(dir, 'export.yaml');
    expect(runCli(['export', '-o', out, '--data-dir', dir]).status).toBe(0);
    expect(runCli(['apply', '-f', out, '--data-dir', dir]).stdout).toBe('tenant acme: unchanged\n');
    expect(readFileSync(out, 'utf8')).toContain('s3cret-1002');
  });

  it('refuses an invalid file with each path and reason, and applies nothing', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `tenants:
  - id: Bad_Id
    name: Bad
    domain: bad.test
    extensions:
      - number: "1001"
        name: A
        password: long-enough
      - number: "1001"
        name: B
        password: short
      - number: 7
        name: C
        password: long-enough
        colour: blue
`,
    );
    const result = runCli(['apply', '-f', file, '--data-dir', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'tenants[0].id: expected 1 to 32 lowercase letters, digits or inner hyphens',
    );
    expect(result.stderr).toContain('tenants[0].extensions[1].password: expected at least 8 characters');
    expect(result.stderr).toContain(
      'tenants[0].extensions[2].number: expected 2 to 6 digits as a quoted string',
    );
    expect(result.stderr).toContain('tenants[0].extensions[2]: Unrecognized key: "colour"');
    expect(result.stderr).toContain('nothing was applied');
    expect(runCli(['export', '--data-dir', dir]).stdout).toBe('tenants: []\n');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'tenants:\n  - id: acme\n    name: [unclosed\n');
    const result = runCli(['apply', '-f', file, '--data-dir', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
  });

  it('reports a missing file clearly', () => {
    const result = runCli(['apply', '-f', '/nonexistent/x.yaml', '--data-dir', tempDir()]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('/nonexistent/x.yaml: cannot read the file (ENOENT)\nnothing was applied\n');
  });

  it('refuses a bad setting with one line naming it and a non-zero exit', () => {
    const result = runCli(['start', '--data-dir', tempDir()], { TK_HTTP_PORT: 'eighty' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'telekommune: invalid --http-port / TK_HTTP_PORT: "eighty" is not a port number (0 to 65535)\n',
    );
  });

  it.runIf(process.platform === 'linux')(
    'runs its main thread and relay threads at real-time priority when asked, or says in the log why not',
    async () => {
      const args = [
        '--data-dir',
        tempDir(),
        '--http-host',
        '127.0.0.1',
        '--http-port',
        '0',
        '--sip-port',
        '0',
      ];
      const flags = ['--realtime-priority', '7', '--relay-threads', '1', '--no-demo'];
      const server = await startServerProcess([...args, ...flags]);
      try {
        const logged = () =>
          server
            .stderr()
            .split('\n')
            .filter((line) => line.includes('real-time priority'))
            .map((line) => JSON.parse(line) as { msg: string; tid: number });
        const until = Date.now() + 10_000;
        while (logged().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        const lines = logged();
        expect(lines.map((line) => line.tid)[0]).toBe(server.child.pid);
        expect(lines, server.stderr()).toHaveLength(2);
        for (const line of lines) {
          const scheduling = await schedulingOf(line.tid);
          if (process.getuid?.() === 0) {
            // CI runs as root, which may set it.
            expect(line.msg).toMatch(/^(main|relay) thread runs at real-time priority \(SCHED_RR\)$/);
            expect(scheduling).toEqual({ policy: SCHED_RR, priority: 7 });
          } else {
            expect(line.msg).toMatch(/^could not set real-time priority; the (main|relay) thread/);
            expect(scheduling.policy).not.toBe(SCHED_RR);
          }
        }
        expect(lines[1]!.tid).not.toBe(server.child.pid);
        expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    },
  );

  it('migrates a database on request', () => {
    const dir = tempDir();
    expect(runCli(['db', 'migrate', '--data-dir', dir]).stdout).toMatch(
      /^applied 0001-tenants, .* to SQLite /,
    );
    expect(runCli(['db', 'migrate', '--data-dir', dir]).stdout).toMatch(/is up to date\n$/);
  });

  it('starts, answers /healthz, prints the demo credentials once, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const args = ['--data-dir', dir, '--http-host', '127.0.0.1', '--http-port', '0', '--sip-port', '0'];
    const server = await startServerProcess(args);
    try {
      const health = await fetch(`${server.httpUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(server.stdout()).toMatch(/extension 1001 {2}Alice Demo +SIP password [A-Za-z0-9]{16}/);
      expect(server.stdout()).toContain('demo.localhost');
      const token = /Operator API token: (\S+)/.exec(server.stdout())?.[1];
      const tenants = await fetch(`${server.httpUrl}/api/tenants`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await tenants.json()).toEqual([
        { id: 'demo', name: 'Demo Organisation', domain: 'demo.localhost', extensions: 3 },
      ]);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    const again = await startServerProcess(args);
    try {
      expect(again.stdout()).not.toContain('SIP password');
    } finally {
      expect(await again.stop('SIGINT')).toBe(0);
    }
  });
});
