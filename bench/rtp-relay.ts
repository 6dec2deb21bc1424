/**
 * The RTP relay against rtpengine, same load, same script, interleaved.
 *
 *   npx tsx bench/rtp-relay.ts [--calls 100,300,600] [--seconds 10] [--repeat 2] [--workers 2]
 *
 * Targets, alternated within every call count and repetition:
 * - `direct`: the generator's sockets talk to each other (its own floor);
 * - `rtpengine`: Debian's rtpengine 10.5 in user space (`--table=-1`),
 *   controlled over ng (bencode over UDP);
 * - `telekommune`: @telekommune/media's RtpRelay in its own Node.js process,
 *   forwarding on its main thread; `telekommune:N` the same with N worker
 *   threads owning the sockets (`--targets direct,rtpengine,telekommune,telekommune:2`).
 *
 * Each call is two RTP streams of 50 packets/s (172 octets), so a run of N
 * calls offers 100·N packets/s to the relay. Printed per target and call
 * count (medians over repetitions): loss, one-way latency p50/p99 and the
 * p99 the relay adds over `direct`, the relay's CPU and CPU per packet;
 * then the ratios telekommune / rtpengine. Limits: loss above 0.1 % or p99
 * above 5 ms mark a run as over. "generator late p99" is how late the
 * generator itself sent (its own health): when it is high, the machine was
 * busy and that row's latencies say little about the relay.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { BUCKET_US, BUCKETS, type Target, type WorkerRequest, type WorkerResult } from './rtp-load.js';
import { audioSdp, NgClient, sdpAudioTarget } from './rtp-ng.js';
import { median } from './support/stats.js';
import { tsxWorker } from './support/tsx-worker.js';

interface Options {
  calls: number[];
  seconds: number;
  repeat: number;
  workers: number;
  warmupMs: number;
  drainMs: number;
  targets: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    calls: [100, 300, 600],
    seconds: 10,
    repeat: 2,
    workers: 2,
    warmupMs: 1000,
    drainMs: 1000,
    targets: ['direct', 'rtpengine', 'telekommune'],
  };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1] ?? '';
    switch (argv[i]) {
      case '--calls':
        options.calls = value.split(',').map(Number);
        break;
      case '--seconds':
        options.seconds = Number(value);
        break;
      case '--repeat':
        options.repeat = Number(value);
        break;
      case '--workers':
        options.workers = Number(value);
        break;
      case '--targets':
        options.targets = value.split(',');
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (options.calls.some((n) => !(n > 0 && n <= 2000))) throw new Error('--calls: 1 to 2000 each');
  if (!(options.seconds > 0 && options.seconds <= 120)) throw new Error('--seconds: up to 120');
  if (!(options.repeat >= 1 && options.repeat <= 10)) throw new Error('--repeat: 1 to 10');
  return options;
}

// --- Relays -------------------------------------------------------------------

interface Relay {
  readonly name: string;
  readonly pid: number | undefined;
  allocate(
    index: number,
    callerPort: number,
    calleePort: number,
  ): Promise<{ callerSendsTo: Target; calleeSendsTo: Target }>;
  releaseAll(count: number): Promise<void>;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  socket.close();
  return port;
}

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function startRtpengine(): Promise<Relay> {
  const ngPort = await freeUdpPort();
  const child = spawn(
    'rtpengine',
    [
      '--config-file=none',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      '--port-min=30000',
      '--port-max=40000',
      '--delete-delay=0',
      '--foreground',
      '--log-stderr',
      '--log-level=5',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const ng = new NgClient('127.0.0.1', ngPort);
  for (let attempt = 0; ; attempt++) {
    try {
      await ng.request({ command: 'ping' });
      break;
    } catch (error) {
      if (attempt > 10 || child.exitCode !== null)
        throw new Error(`rtpengine did not start: ${String(error)}\n${log}`);
    }
  }
  return {
    name: 'rtpengine',
    pid: child.pid,
    async allocate(index, callerPort, calleePort) {
      const callId = `bench-${index}`;
      const offer = await ng.request({
        command: 'offer',
        'call-id': callId,
        'from-tag': 'caller',
        sdp: audioSdp(callerPort),
      });
      const answer = await ng.request({
        command: 'answer',
        'call-id': callId,
        'from-tag': 'caller',
        'to-tag': 'callee',
        sdp: audioSdp(calleePort),
      });
      return {
        calleeSendsTo: sdpAudioTarget(String(offer.sdp)),
        callerSendsTo: sdpAudioTarget(String(answer.sdp)),
      };
    },
    async releaseAll(count) {
      await pool(count, 32, (i) =>
        ng.request({ command: 'delete', 'call-id': `bench-${i}` }).then(() => undefined),
      );
    },
    async stop() {
      ng.close();
      child.kill('SIGTERM');
      await waitForExit(child, 5000);
    },
  };
}

async function startTelekommune(threads: number): Promise<Relay> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./rtp-relay-server.ts', import.meta.url).pathname],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        RELAY_PORT_MIN: '44000',
        RELAY_PORT_MAX: '52000',
        RELAY_THREADS: String(threads),
      },
    },
  );
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`relay server exited (${code})`)));
    child.on('message', (raw) => {
      const reply = raw as { id: number; ok: boolean; result?: unknown; error?: string };
      if (reply.id === 0) return resolve();
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.result);
      else waiter?.reject(new Error(reply.error));
    });
  });
  await ready;
  const call = (request: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  return {
    name: threads > 0 ? `telekommune:${threads}` : 'telekommune',
    pid: child.pid,
    async allocate(index, callerPort, calleePort) {
      return (await call({ op: 'create', callId: `c${index}`, callerPort, calleePort })) as {
        callerSendsTo: Target;
        calleeSendsTo: Target;
      };
    },
    async releaseAll() {
      await call({ op: 'release-all' });
    },
    async stop() {
      child.disconnect();
      await waitForExit(child, 5000);
    },
  };
}

const direct: Relay = {
  name: 'direct',
  pid: undefined,
  async allocate(_index, callerPort, calleePort) {
    return {
      callerSendsTo: { address: '127.0.0.1', port: calleePort },
      calleeSendsTo: { address: '127.0.0.1', port: callerPort },
    };
  },
  async releaseAll() {},
  async stop() {},
};

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

// --- CPU ------------------------------------------------------------------------

const TICKS_PER_SECOND = 100; // Linux USER_HZ

function cpuTicks(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

// --- One run ----------------------------------------------------------------------

interface RunResult {
  target: string;
  calls: number;
  pps: number;
  sent: number;
  received: number;
  lossPct: number;
  p50: number;
  p99: number;
  latenessP99: number;
  relayCpuPct: number | undefined;
  relayUsPerPacket: number | undefined;
  generatorCpuPct: number;
  misrouted: number;
}

function spawnWorker(): Worker {
  return tsxWorker(new URL('./rtp-load.ts', import.meta.url).href, 'rtp-load');
}

function ask<T>(worker: Worker, request: WorkerRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(request);
  });
}

function percentile(histogram: number[], fraction: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= total * fraction) return ((i + 1) * BUCKET_US) / 1000;
  }
  return (histogram.length * BUCKET_US) / 1000;
}

async function runOnce(relay: Relay, calls: number, options: Options): Promise<RunResult> {
  const workers = Array.from({ length: options.workers }, spawnWorker);
  const assigned = workers.map((_, w) =>
    Array.from({ length: calls }, (_, i) => i).filter((i) => i % options.workers === w),
  );
  const bound = await Promise.all(
    workers.map((worker, w) =>
      ask<{ ports: [number, number][] }>(worker, { type: 'bind', calls: assigned[w]! }),
    ),
  );
  const targets = await Promise.all(
    assigned.map((indices, w) =>
      pool(indices.length, 16, (k) =>
        relay.allocate(indices[k]!, bound[w]!.ports[k]![0], bound[w]!.ports[k]![1]),
      ),
    ),
  );
  const startEpochMs = performance.timeOrigin + performance.now() + 500;
  const results = workers.map((worker, w) =>
    ask<WorkerResult>(worker, {
      type: 'start',
      targets: targets[w]!,
      startEpochMs,
      warmupMs: options.warmupMs,
      seconds: options.seconds,
      drainMs: options.drainMs,
      totalCalls: calls,
    }),
  );
  // CPU over the measured window only.
  const windowStart = startEpochMs + options.warmupMs;
  await new Promise((resolve) =>
    setTimeout(resolve, windowStart - (performance.timeOrigin + performance.now())),
  );
  const relayStart = relay.pid ? cpuTicks(relay.pid) : 0;
  const selfStart = cpuTicks('self');
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  const relayEnd = relay.pid ? cpuTicks(relay.pid) : 0;
  const selfEnd = cpuTicks('self');
  const elapsed = (performance.now() - t0) / 1000;
  const done = await Promise.all(results);
  await Promise.all(workers.map((w) => w.terminate()));
  await relay.releaseAll(calls);
  const latency = new Array<number>(BUCKETS).fill(0);
  const lateness = new Array<number>(BUCKETS).fill(0);
  let sent = 0;
  let received = 0;
  let misrouted = 0;
  for (const r of done) {
    sent += r.sent;
    received += r.received;
    misrouted += r.misrouted;
    r.latency.forEach((n, i) => {
      latency[i]! += n;
    });
    r.lateness.forEach((n, i) => {
      lateness[i]! += n;
    });
  }
  const relayCpu = relay.pid ? (relayEnd - relayStart) / TICKS_PER_SECOND / elapsed : undefined;
  const pps = calls * 100;
  return {
    target: relay.name,
    calls,
    pps,
    sent,
    received,
    lossPct: sent === 0 ? 0 : (100 * (sent - received)) / sent,
    p50: percentile(latency, 0.5),
    p99: percentile(latency, 0.99),
    latenessP99: percentile(lateness, 0.99),
    relayCpuPct: relayCpu === undefined ? undefined : relayCpu * 100,
    relayUsPerPacket: relayCpu === undefined ? undefined : (relayCpu * 1e6) / pps,
    generatorCpuPct: ((selfEnd - selfStart) / TICKS_PER_SECOND / elapsed) * 100,
    misrouted,
  };
}

// --- Sweep and report ----------------------------------------------------------------

const fmt = (v: number | undefined, digits = 2) =>
  v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
const withinLimits = (r: RunResult) => r.lossPct <= 0.1 && r.p99 <= 5;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const relays: Relay[] = [];
  for (const name of options.targets) {
    if (name === 'direct') relays.push(direct);
    else if (name === 'rtpengine') relays.push(await startRtpengine());
    else if (name === 'telekommune') relays.push(await startTelekommune(0));
    else if (/^telekommune:\d$/.test(name)) relays.push(await startTelekommune(Number(name.slice(12))));
    else throw new Error(`unknown target ${name}`);
  }
  const all: RunResult[] = [];
  try {
    for (const calls of options.calls) {
      for (let rep = 0; rep < options.repeat; rep++) {
        const order = rep % 2 === 0 ? relays : [...relays].reverse();
        for (const relay of order) {
          const result = await runOnce(relay, calls, options);
          all.push(result);
          process.stderr.write(
            `${relay.name} calls=${calls} loss=${fmt(result.lossPct, 3)}% p50=${fmt(result.p50)}ms p99=${fmt(result.p99)}ms ` +
              `relay_cpu=${fmt(result.relayCpuPct, 1)}% us/pkt=${fmt(result.relayUsPerPacket, 1)} gen_cpu=${fmt(result.generatorCpuPct, 1)}% ` +
              `late_p99=${fmt(result.latenessP99)}ms${result.misrouted ? ` misrouted=${result.misrouted}` : ''}\n`,
          );
          process.stdout.write(`${JSON.stringify({ bench: 'rtp-relay', ...result })}\n`);
        }
      }
    }
  } finally {
    for (const relay of relays) await relay.stop();
  }

  const lines: string[] = [];
  lines.push('');
  lines.push(
    `RTP relay, ${options.seconds} s per run, ${options.repeat} run(s) per row (medians), generator: ${options.workers} worker thread(s)`,
  );
  lines.push('');
  lines.push(
    '| target | calls | packets/s | loss % | p50 ms | p99 ms | p99 added ms | relay CPU % | µs CPU/packet | generator late p99 ms | within limits |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  const row = (target: string, calls: number) => all.filter((r) => r.target === target && r.calls === calls);
  for (const calls of options.calls) {
    const baseline = median(row('direct', calls).map((r) => r.p99));
    for (const relay of relays) {
      const runs = row(relay.name, calls);
      const p99 = median(runs.map((r) => r.p99));
      lines.push(
        `| ${relay.name} | ${calls} | ${(calls * 100).toLocaleString('en')} | ${fmt(median(runs.map((r) => r.lossPct)), 3)} | ` +
          `${fmt(median(runs.map((r) => r.p50)))} | ${fmt(p99)} | ${relay.name === 'direct' ? '-' : fmt(p99 - baseline)} | ` +
          `${fmt(median(runs.map((r) => r.relayCpuPct ?? Number.NaN)), 1)} | ${fmt(median(runs.map((r) => r.relayUsPerPacket ?? Number.NaN)), 1)} | ` +
          `${fmt(median(runs.map((r) => r.latenessP99)))} | ${runs.filter(withinLimits).length}/${runs.length} |`,
      );
    }
  }
  const peer = relays.find((r) => r.name === 'rtpengine');
  for (const ours of relays.filter((r) => r.name.startsWith('telekommune'))) {
    if (!peer) break;
    lines.push('');
    lines.push(
      `Ratios ${ours.name} / rtpengine (CPU per packet: lower is better; throughput per core = its inverse):`,
    );
    for (const calls of options.calls) {
      const baseline = median(row('direct', calls).map((r) => r.p99));
      const mine = row(ours.name, calls);
      const theirs = row('rtpengine', calls);
      const cpu =
        median(mine.map((r) => r.relayUsPerPacket!)) / median(theirs.map((r) => r.relayUsPerPacket!));
      const floor = Number.isFinite(baseline) ? baseline : 0;
      const added = (median(mine.map((r) => r.p99)) - floor) / (median(theirs.map((r) => r.p99)) - floor);
      const perCore = (runs: RunResult[]) => 1e6 / median(runs.map((r) => r.relayUsPerPacket!));
      lines.push(
        `- ${calls} calls (${(calls * 100).toLocaleString('en')} packets/s): CPU per packet ${fmt(cpu)}x, ` +
          `p99 added latency ${fmt(added)}x; packets/s per core of CPU: ${ours.name} ${Math.round(perCore(mine)).toLocaleString('en')}, ` +
          `rtpengine ${Math.round(perCore(theirs)).toLocaleString('en')} (throughput ratio ${fmt(1 / cpu)})`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
