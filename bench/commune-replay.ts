/**
 * Replay of the commune's log from SQLite (issue 6: at least 100,000 events/s
 * for a 1,000,000-event log), on the paths the product takes:
 *
 *  - start: a fresh `CommuneService` catching up with the log (`sync()`), as
 *    the server does when it starts and the CLI before every report;
 *  - audit: every entry read, the hash chain verified, every command decided
 *    again and compared, as `telekommune commune audit` does.
 *
 * Peers in the same run, over the same rows: reading the rows alone (the
 * SQLite driver, no decoding), `JSON.parse` of the rows alone, decoding alone
 * (rows to log entries), and applying alone (decoded entries into a fresh
 * engine).
 *
 *   npx tsx bench/commune-replay.ts [--quick] [--rounds N] [--keep DIR]
 *
 * `--keep DIR` builds the log in DIR once and reuses it on later runs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, CommuneEngine, CommuneService, type LogEntry, stateDigest } from '@telekommune/commune';
import { migrateToLatest, openStore, SqlCommuneLog, type Store } from '@telekommune/store';
import SqliteDatabase from 'better-sqlite3';
import { type Cmd, monthCommands, setupCommands, type Workload } from './commune-workload.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const targetEvents = quick ? 100_000 : 1_000_000;
const rounds = Math.min(Math.max(Number(option('--rounds') ?? 3), 1), 10);
const keep = option('--keep');
const workload: Workload = { enterprises: 100, workers: 1_000 };
/** Every loop is bounded in count; the whole run also stops at this deadline. */
const deadline = Date.now() + 20 * 60_000;

function guard(): void {
  if (Date.now() > deadline) throw new Error('bench deadline (20 min) passed; stopping');
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (label: string) => label.padEnd(58);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function eventCount(store: Store): Promise<number> {
  let events = 0;
  const service = new CommuneService(new SqlCommuneLog(store));
  for await (const entry of service.entries()) events += entry.events.length;
  return events;
}

/** Grow the log to `targetEvents` events (or reuse one that is that long already). */
async function build(store: Store): Promise<void> {
  const service = new CommuneService(new SqlCommuneLog(store));
  await service.sync();
  let events = await eventCount(store);
  if (events >= targetEvents) return;
  const started = performance.now();
  const submit = async (commands: Cmd[]) => {
    const result = await service.submitMany(commands, { batchSize: 1_000 });
    if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
  };
  if (service.engine.seq === 0) await submit(setupCommands(workload));
  const perMonth = workload.workers + 2 * workload.enterprises;
  let month = Math.round(service.engine.seq / (1 + workload.workers + workload.enterprises));
  while (events < targetEvents) {
    guard();
    const batch: Cmd[] = [];
    for (let i = 0; i < 10 && events < targetEvents; i += 1, month += 1) {
      batch.push(...monthCommands(workload, month));
      events += perMonth;
    }
    await submit(batch);
  }
  console.log(
    `(built a log of ${fmt(service.engine.seq)} entries in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

interface Round {
  readonly ms: number;
  readonly events: number;
  /** CPU time of the whole process (GC threads included), where measured. */
  readonly cpuMs?: number;
}

/** Milliseconds of CPU time since `since` (user and system, every thread of the process). */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function line(label: string, runs: readonly Round[], note = ''): number {
  const best = Math.max(...runs.map((r) => rate(r.events, r.ms)));
  const mid = median(runs.map((r) => rate(r.events, r.ms)));
  const cpu = runs.every((r) => r.cpuMs !== undefined)
    ? `; per CPU second ${fmt(median(runs.map((r) => rate(r.events, r.cpuMs!))))} median`
    : '';
  console.log(
    `${pad(label)}${fmt(mid).padStart(9)} events/s median, ${fmt(best).padStart(9)} best  (${fmt(runs[0]!.events)} events${note}${cpu})`,
  );
  return mid;
}

async function main(): Promise<void> {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(
    `commune replay bench${quick ? ' (quick)' : ''}: node ${process.version} ${process.execArgv.join(' ')}, ${availableParallelism()} cores, load ${load()}`,
  );
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'tk-commune-replay-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, quick ? 'commune-quick.db' : 'commune.db');
  const store = openStore({ url: file });
  try {
    await migrateToLatest(store);
    await build(store);
    const total = await eventCount(store);
    console.log(`log: ${file}`);

    // Peers: the rows alone, their JSON alone, decoding alone, applying alone.
    const raw = new SqliteDatabase(file, { readonly: true });
    const select = raw
      .prepare('select seq, command, events, prev_hash, hash from commune_log order by seq')
      .raw();
    const rowsRuns: Round[] = [];
    const parseRuns: Round[] = [];
    for (let r = 0; r < rounds; r += 1) {
      guard();
      const t0 = performance.now();
      const rows = select.all() as [number, string, string, string, string][];
      rowsRuns.push({ ms: performance.now() - t0, events: total });
      const t1 = performance.now();
      for (const row of rows) {
        JSON.parse(row[1]);
        JSON.parse(row[2]);
      }
      parseRuns.push({ ms: performance.now() - t1, events: total });
    }
    raw.close();

    const log = new SqlCommuneLog(store);
    const decodeRuns: Round[] = [];
    const applyRuns: Round[] = [];
    for (let r = 0; r < rounds; r += 1) {
      guard();
      const t0 = performance.now();
      const entries: LogEntry[] = [];
      for (let after = 0; ; ) {
        const page = await log.read(after, 5_000);
        if (page.length === 0) break;
        for (const entry of page) entries.push(entry);
        after = page.at(-1)!.seq;
      }
      decodeRuns.push({ ms: performance.now() - t0, events: total });
      const t1 = performance.now();
      CommuneEngine.fromLog(entries);
      applyRuns.push({ ms: performance.now() - t1, events: total });
    }

    const startRuns: Round[] = [];
    let head = '';
    let digest = '';
    for (let r = 0; r < rounds; r += 1) {
      guard();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const service = new CommuneService(new SqlCommuneLog(store));
      const engine = await service.sync();
      startRuns.push({ ms: performance.now() - t0, events: total, cpuMs: cpuSince(c0) });
      if (r > 0 && (engine.head !== head || stateDigest(engine.state) !== digest))
        throw new Error('two replays of one log differ');
      head = engine.head;
      digest = stateDigest(engine.state);
    }

    guard();
    const t0 = performance.now();
    const service = new CommuneService(new SqlCommuneLog(store));
    const entries: LogEntry[] = [];
    for await (const entry of service.entries()) entries.push(entry);
    const t1 = performance.now();
    const report = audit(entries, { expected_digest: digest });
    const auditRun = { ms: performance.now() - t0, events: total };
    if (!report.ok) throw new Error(`the audit failed: ${JSON.stringify(report.differences.slice(0, 3))}`);

    const startRate = line('start: a fresh service catches up (sync)', startRuns);
    line(
      'audit: read, verify the chain, decide every command again',
      [auditRun],
      `; reading ${((t1 - t0) / 1000).toFixed(2)} s, audit ${((auditRun.ms - (t1 - t0)) / 1000).toFixed(2)} s`,
    );
    line('peer: the rows alone (better-sqlite3, raw)', rowsRuns);
    line('peer: JSON.parse of the rows alone', parseRuns);
    line('peer: decoding alone (rows to log entries)', decodeRuns);
    line('peer: applying alone (decoded entries, fresh engine)', applyRuns);
    console.log(`  (load average at the end: ${load()}; other processes share these cores)`);
    console.log(
      `  -> start replays at ${((startRate / median(parseRuns.map((r) => rate(r.events, r.ms)))) * 100).toFixed(0)} % of JSON.parse alone; target 100,000 events/s: ${startRate >= 100_000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await store.close();
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
