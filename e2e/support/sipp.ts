import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const scenarioDir = fileURLToPath(new URL('../sipp/', import.meta.url));

export interface SippResult {
  readonly exitCode: number | null;
  readonly successful: number;
  readonly failed: number;
  readonly output: string;
  /** The SIP messages SIPp sent and received, when traced. */
  readonly messages: string;
}

export interface SippRun {
  readonly done: Promise<SippResult>;
  stop(): void;
}

/**
 * Runs SIPp with `args` in a scratch directory, bounded by `timeout_s`
 * (SIPp's own -timeout and a kill after it). Counts come from its -trace_stat
 * file: the last line's 16th and 18th fields are successful and failed calls.
 */
export function sipp(
  args: readonly string[],
  options: { timeout_s?: number; files?: Record<string, string> } = {},
): SippRun {
  const dir = mkdtempSync(join(tmpdir(), 'tk-sipp-'));
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
  const timeout_s = options.timeout_s ?? 20;
  const child = spawn(
    'sipp',
    [
      ...args,
      '-nostdin',
      '-timeout',
      `${timeout_s}s`,
      '-trace_stat',
      '-stf',
      'stat.csv',
      '-trace_msg',
      '-message_file',
      'messages.log',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), (timeout_s + 10) * 1000);
  const done = new Promise<SippResult>((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(killer);
      let successful = 0;
      let failed = 0;
      try {
        const lines = readFileSync(join(dir, 'stat.csv'), 'utf8').trim().split('\n');
        const last = lines[lines.length - 1]?.split(';') ?? [];
        successful = Number(last[15] ?? 0);
        failed = Number(last[17] ?? 0);
      } catch {
        // no statistics: SIPp failed to start; the output says why
      }
      let messages = '';
      try {
        messages = readFileSync(join(dir, 'messages.log'), 'utf8');
      } catch {
        messages = '';
      }
      resolve({ exitCode: code, successful, failed, output, messages });
    });
  });
  return { done, stop: () => child.kill('SIGINT') };
}

/** An injection file (SEQUENTIAL) from rows of fields. */
export function injection(rows: readonly (readonly string[])[]): string {
  return `SEQUENTIAL\n${rows.map((r) => r.join(';')).join('\n')}\n`;
}

/** The injection field SIPp turns into digest credentials (testing.md: the whole keyword in one field). */
export function credentials(user: string, password: string): string {
  return `[authentication username=${user} password=${password}]`;
}
