import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const telekommuneBin = fileURLToPath(
  new URL('../../packages/server/bin/telekommune.js', import.meta.url),
);

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `telekommune ARGS` to completion (bounded by a timeout). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeout_ms = 30_000,
  input?: string,
): CliResult {
  const result = spawnSync(process.execPath, [telekommuneBin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: timeout_ms,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface StartedServer {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  /** Everything printed on standard output so far. */
  stdout(): string;
  /** Everything printed on standard error (the log) so far. */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `telekommune start ARGS` and resolves once it has printed its HTTP address. */
export function startServerProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeout_ms = 30_000,
): Promise<StartedServer> {
  const child = spawn(process.execPath, [telekommuneBin, 'start', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeout_ms} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, timeout_ms);
    const check = () => {
      const match = /HTTP API:\s+(http:\/\/\S+)/.exec(out);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve({
        child,
        httpUrl: match[1],
        stdout: () => out,
        stderr: () => err,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}
