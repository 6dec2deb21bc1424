import { spawnSync } from 'node:child_process';

/**
 * Whether a Debian-packaged tool a test needs is installed.
 *
 * Where it is missing the test is skipped with one line naming the
 * `apt-get install` that fixes it; under `CI=true` (CI installs every such
 * tool) a missing tool is an error instead, so CI can never pass by skipping.
 */
export function hasTool(command: string, debianPackage: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const line = `${command} is not installed: apt-get install -y ${debianPackage}`;
  if (process.env.CI === 'true') throw new Error(`${line} (required under CI=true)`);
  process.stderr.write(`skipping tests that need ${line}\n`);
  return false;
}

/** The PostgreSQL URL for tests, from TK_TEST_PG; required under CI=true. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.TK_TEST_PG;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error('TK_TEST_PG is not set (required under CI=true)');
  process.stderr.write('skipping PostgreSQL tests: set TK_TEST_PG=postgres://127.0.0.1:5432/test\n');
  return undefined;
}
