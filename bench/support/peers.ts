import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../e2e/support/ports.js';

/** Shared machinery of the PBX benchmarks: processes, SIPp runs, peers. */

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const scenarios = join(repoRoot, 'e2e', 'sipp');

const children: ChildProcess[] = [];
const scratch: string[] = [];

/** Kills every process this bench started and removes its scratch directories, on any exit. */
function cleanup(): void {
  // A profiled server writes its profile on a clean exit: ask first, wait a little, then kill.
  if (process.env.TK_BENCH_CPU_PROF) {
    for (const child of children) if (child.pid) signalGroup(child.pid, 'SIGINT');
    const deadline = Date.now() + 10_000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (Date.now() < deadline && children.some((child) => child.pid && running(child.pid))) {
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  for (const child of children.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);

/** Sends `signal` to the process group `pgid`, if any is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Whether process `pid` still runs. A child that exited stays a zombie until
 * this process reaps it, which it cannot do inside its 'exit' handler, so
 * "can be signalled" is not the test: its state in /proc is.
 */
function running(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}

/**
 * The fields of /proc/PID/stat after the command name (which may hold
 * spaces and parentheses): [0] is the state, [2] the process group, [11]
 * and [12] utime and stime. Undefined when the process is gone.
 */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
process.on('SIGINT', () => process.exit(130));

/** Has `child` (and its process group, when it leads one) killed when this bench exits. */
export function killOnExit(child: ChildProcess): void {
  children.push(child);
}

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function requireTools(tools: Record<string, string>): void {
  for (const [command, debian] of Object.entries(tools)) {
    if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
      console.log(`${command} is not installed (apt-get install -y ${debian}): bench skipped`);
      process.exit(1);
    }
  }
}

/** Starts a long-running process in its own process group (killed on exit). */
export function startProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  killOnExit(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** Waits until a SIP server at 127.0.0.1:`port` answers an OPTIONS (any final response). */
export async function waitForSip(port: number, timeout_ms: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  let answered = false;
  socket.on('message', (m) => {
    if (/^SIP\/2\.0 [2-6]/.test(m.toString())) answered = true;
  });
  const start = Date.now();
  try {
    while (!answered) {
      if (Date.now() - start > timeout_ms) throw new Error(`nothing answered SIP on port ${port}`);
      const id = `${Date.now()}${Math.random()}`;
      socket.send(
        `OPTIONS sip:ping@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bK${id};rport\r\n` +
          `From: <sip:ping@bench.test>;tag=p\r\nTo: <sip:ping@bench.test>\r\nCall-ID: ping-${id}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
        port,
        '127.0.0.1',
      );
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    socket.close();
  }
}

/** CPU seconds used so far by a process group (utime + stime of every member). */
export function groupCpuSeconds(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === undefined || Number(fields[2]) !== pgid) continue; // gone, or another group
    total += (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
  }
  return total;
}

export interface SippStep {
  readonly rate: number;
  readonly attempted: number;
  readonly successful: number;
  readonly failed: number;
  readonly seconds: number;
  readonly exitCode: number | null;
}

/**
 * One SIPp run: `calls` calls at `rate` per second (bounded by SIPp's own
 * -timeout and a kill), counting successes and failures from -trace_stat.
 */
export async function sippStep(options: {
  target: string;
  scenario: string;
  injection: string;
  rate: number;
  calls: number;
  extra?: string[];
  timeout_s: number;
}): Promise<SippStep> {
  const dir = scratchDir('tk-bench-sipp-');
  const stats = join(dir, 'stats.csv');
  const started = Date.now();
  const child = spawn(
    'sipp',
    [
      options.target,
      '-sf',
      options.scenario,
      '-inf',
      options.injection,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-mp',
      String(await freePort()),
      '-r',
      String(options.rate),
      '-rp',
      '1000',
      '-m',
      String(options.calls),
      '-l',
      String(Math.max(100, options.rate * 10)),
      '-nostdin',
      '-timeout',
      `${options.timeout_s}s`,
      '-trace_stat',
      '-stf',
      stats,
      // Statistics every second: a run SIPp has to be killed (calls left hanging) still reports its counts.
      '-fd',
      '1',
      ...(options.extra ?? []),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), (options.timeout_s + 15) * 1000);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(killer);
  let successful = 0;
  let failed = 0;
  try {
    const last = readFileSync(stats, 'utf8').trim().split('\n').at(-1)?.split(';') ?? [];
    successful = Number(last[15] ?? 0);
    failed = Number(last[17] ?? 0);
  } catch {
    failed = options.calls;
  }
  return {
    rate: options.rate,
    attempted: options.calls,
    successful,
    failed: Math.max(failed, options.calls - successful),
    seconds: (Date.now() - started) / 1000,
    exitCode,
  };
}

/**
 * Starts Kamailio (Debian's package) on a free port with a configuration in
 * bench/ (default the registrar and proxy with digest authentication).
 */
export async function startKamailio(
  configFile = 'kamailio-registrar-auth.cfg',
): Promise<{ port: number; pgid: number }> {
  const port = await freePort();
  const config = join(repoRoot, 'bench', configFile);
  const kamailio = startProcess('kamailio', ['-f', config, '-m', '1024', '-DD', '-E', '-A', `PORT=${port}`]);
  try {
    await waitForSip(port, 15_000);
  } catch (error) {
    console.error(kamailio.output());
    throw error;
  }
  return { port, pgid: kamailio.child.pid! };
}

const telekommuneBin = join(repoRoot, 'packages', 'server', 'bin', 'telekommune.js');

/** Runs a `telekommune` command on the data directory `dir`; throws with its stderr when it fails. */
export function telekommuneCli(dir: string, args: readonly string[]): void {
  const run = spawnSync(process.execPath, [telekommuneBin, ...args, '--data-dir', dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`telekommune ${args.join(' ')} failed: ${run.stderr}`);
}

/** Starts `telekommune start` on the data directory `dir` with free ports; resolves when SIP answers. */
export async function serveTelekommune(dir: string, env: NodeJS.ProcessEnv = {}) {
  const sipPort = await freePort();
  // TK_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the server to DIR when it exits (for diagnosis).
  const profile = process.env.TK_BENCH_CPU_PROF;
  const profiling = profile ? ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', profile] : [];
  // TK_BENCH_SERVER_FLAGS adds Node.js flags (e.g. --trace-gc-nvp); TK_BENCH_SERVER_LOG=FILE keeps its output.
  const extraFlags = (process.env.TK_BENCH_SERVER_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  const server = startProcess(
    process.execPath,
    ['--max-semi-space-size=32', ...extraFlags, ...profiling, telekommuneBin, 'start'],
    {
      env: {
        TK_DATA_DIR: dir,
        TK_HTTP_HOST: '127.0.0.1',
        TK_HTTP_PORT: '0',
        TK_SIP_HOST: '127.0.0.1',
        TK_SIP_PORT: String(sipPort),
        TK_SIP_TLS_PORT: 'off',
        TK_SIP_WS_PORT: 'off',
        TK_LOG_LEVEL: 'warn',
        TK_DEMO: 'false',
        // A bench drives the PBX flat out from one address: the per-source rate limit would cut it.
        TK_SIP_SOURCE_RATE: '0',
        ...env,
      },
    },
  );
  const log = process.env.TK_BENCH_SERVER_LOG;
  if (log) {
    const file = createWriteStream(log);
    server.child.stdout?.pipe(file);
    server.child.stderr?.pipe(file);
  }
  try {
    await waitForSip(sipPort, 60_000);
  } catch (error) {
    console.error(server.output());
    throw error;
  }
  return { port: sipPort, pgid: server.child.pid!, output: server.output };
}

/**
 * Starts Telekommune (`telekommune start`) on free ports with a scratch data
 * directory and applies `tenantsYaml`; resolves when SIP answers.
 */
export async function startTelekommune(tenantsYaml: string, env: NodeJS.ProcessEnv = {}) {
  const dir = scratchDir('tk-bench-pbx-');
  const file = join(dir, 'tenants.yaml');
  writeFileSync(file, tenantsYaml);
  telekommuneCli(dir, ['apply', '-f', file]);
  return serveTelekommune(dir, env);
}

/**
 * YAML for `telekommune apply`: the tenant `bench` (domain bench.test) with
 * `settings` (YAML lines, indented to sit under it) and the extensions
 * `numbers`, each with the password `pw<number>`.
 */
export function benchTenantsYaml(numbers: readonly string[], settings: readonly string[] = []): string {
  return [
    'tenants:',
    '  - id: bench',
    '    name: Bench',
    '    domain: bench.test',
    ...settings,
    '    extensions:',
    ...numbers.flatMap((n) => [
      `      - number: "${n}"`,
      `        name: User ${n}`,
      `        password: pw${n}`,
    ]),
    '',
  ].join('\n');
}

/** The injection field SIPp turns into the digest credentials of a `benchTenantsYaml` extension. */
export function credentials(number: string): string {
  return `[authentication username=${number} password=pw${number}]`;
}

/**
 * Starts a SIPp `uas` on 127.0.0.1 and registers it at the SIP server on
 * `sipPort` as `number` of bench.test (a `benchTenantsYaml` extension).
 */
export async function registeredUas(sipPort: number, number: string): Promise<void> {
  const uasPort = await freePort();
  startProcess('sipp', [
    '-sn',
    'uas',
    '-i',
    '127.0.0.1',
    '-p',
    String(uasPort),
    '-mp',
    String(await freePort()),
    '-nostdin',
    '-bg',
  ]);
  const registered = await sippStep({
    target: `127.0.0.1:${sipPort}`,
    scenario: join(scenarios, 'register.xml'),
    injection: injectionFile([[number, 'bench.test', credentials(number), String(uasPort), '3600']]),
    rate: 1,
    calls: 1,
    extra: ['-auth_uri', 'bench.test'],
    timeout_s: 10,
  });
  if (registered.successful !== 1) throw new Error(`the uas could not register at port ${sipPort}`);
}

/** Writes an injection file (SEQUENTIAL) and returns its path. */
export function injectionFile(rows: readonly (readonly string[])[]): string {
  const file = join(scratchDir('tk-bench-inf-'), 'users.csv');
  writeFileSync(file, `SEQUENTIAL\n${rows.map((r) => r.join(';')).join('\n')}\n`);
  return file;
}

/**
 * The highest rate R such that every step at or below R had no failure and
 * was sustained (at least 90% of the rate over the run's wall time less
 * `grace_s`; 0 when
 * even the first step fell short): a lucky step above a failed one does not
 * count.
 */
export function bestCleanRate(steps: readonly SippStep[], grace_s = 0): number {
  let best = 0;
  for (const step of [...steps].sort((a, b) => a.rate - b.rate)) {
    if (step.failed !== 0 || step.successful !== step.attempted) break;
    // A peer that kept up only by stretching the run did not sustain the rate. `grace_s` is
    // what every run takes beyond placing its calls (a call's hold time).
    if (step.attempted / Math.max(0.001, step.seconds - grace_s) < 0.9 * step.rate) break;
    best = step.rate;
  }
  return best;
}

export interface MeasuredStep extends SippStep {
  /** CPU seconds the peer's process group used during the step. */
  readonly cpu_s: number;
}

/**
 * Runs `step(peer, rate)` for every rate, rising, the peers interleaved
 * within each rate so the machine's drift hits all alike; prints a row per
 * step (successful and failed calls, the peer's CPU, wall time) under a
 * header naming the peers `column`. Returns each peer's steps, in order.
 */
export async function interleavedSteps<P extends { readonly name: string; readonly pgid: number }>(
  rates: readonly number[],
  peers: readonly P[],
  step: (peer: P, rate: number) => Promise<SippStep>,
  column = 'peer',
  nameWidth = 12,
): Promise<MeasuredStep[][]> {
  const measured = peers.map((): MeasuredStep[] => []);
  console.log(
    `\nrate/s   ${column.padEnd(nameWidth)} ${'ok'.padStart(7)} ${'failed'.padStart(8)} ${'cpu s'.padStart(7)} ${'wall s'.padStart(8)}`,
  );
  for (const rate of rates) {
    for (const [index, peer] of peers.entries()) {
      const cpu = groupCpuSeconds(peer.pgid);
      const result = await step(peer, rate);
      const cpu_s = groupCpuSeconds(peer.pgid) - cpu;
      measured[index]!.push({ ...result, cpu_s });
      console.log(
        `${String(rate).padStart(6)}   ${peer.name.padEnd(nameWidth)} ${String(result.successful).padStart(7)} ${String(result.failed).padStart(8)} ${cpu_s.toFixed(1).padStart(7)} ${result.seconds.toFixed(1).padStart(8)}`,
      );
    }
  }
  return measured;
}
