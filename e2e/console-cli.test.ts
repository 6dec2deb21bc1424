import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('telekommune accounts', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-accounts-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('shows examples in its help', () => {
    const help = runCli(['accounts', 'create', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--role');
  });

  it('creates, lists, sets a password for and deletes accounts', () => {
    const dir = tempDir();
    const db = ['--data-dir', dir];
    const created = runCli([
      'accounts',
      'create',
      'Ops2',
      '--role',
      'operator',
      '--name',
      'Second operator',
      ...db,
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created operator account ops2\npassword: [A-Za-z0-9]{20}\n$/);
    const list = runCli(['accounts', 'list', ...db]);
    expect(list.stdout).toMatch(/^ops2 +operator +Second operator\n$/);
    const passwd = runCli(['accounts', 'passwd', 'ops2', ...db]);
    expect(passwd.stdout).toMatch(
      /^password of ops2 changed; 0 session\(s\) ended\npassword: [A-Za-z0-9]{20}\n$/,
    );
    const last = runCli(['accounts', 'delete', 'ops2', ...db]);
    expect(last).toMatchObject({ status: 1, stderr: 'the last operator account cannot be deleted\n' });
    runCli(['accounts', 'create', 'ops3', '--role', 'operator', ...db]);
    expect(runCli(['accounts', 'delete', 'ops2', ...db]).stdout).toBe('deleted ops2\n');
  }, 120_000); // six CLI runs, each a fresh process that opens and migrates the store

  it('reads a password from standard input and judges it', () => {
    const dir = tempDir();
    const weak = runCli(
      ['accounts', 'create', 'bob', '--role', 'operator', '--password-stdin', '--data-dir', dir],
      {},
      30_000,
      'short\n',
    );
    expect(weak).toMatchObject({
      status: 2,
      stderr: 'the password is not acceptable: expected at least 10 characters\n',
    });
    const good = runCli(
      ['accounts', 'create', 'bob', '--role', 'operator', '--password-stdin', '--data-dir', dir],
      {},
      30_000,
      'a good long passphrase\n',
    );
    expect(good).toMatchObject({ status: 0, stdout: 'created operator account bob\n' });
  });

  it('refuses bad roles, links and names with one line each', () => {
    const dir = tempDir();
    expect(runCli(['accounts', 'create', 'x', '--role', 'king', '--data-dir', dir])).toMatchObject({
      status: 2,
      stderr:
        'invalid user name "x": expected 2 to 64 lowercase letters, digits, dots, underscores, @ or hyphens\n',
    });
    expect(runCli(['accounts', 'create', 'carl', '--role', 'king', '--data-dir', dir]).stderr).toBe(
      'invalid --role "king": expected one of operator, tenant_admin, user, member\n',
    );
    expect(
      runCli(['accounts', 'create', 'carl', '--role', 'user', '--tenant', 'nope', '--data-dir', dir]).stderr,
    ).toBe('extension: a user account needs an extension\ntenantId: no tenant nope\n');
  });
});
