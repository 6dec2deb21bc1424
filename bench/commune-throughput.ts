/**
 * The Venture Commune's engine and its storage (issue 6):
 *
 *  A. commands per second with their postings on SQLite: 100,000 labour
 *     records and 10,000 rent payments (plus the 100 rent cycles raising
 *     10,000 invoices), stored in batches as `commune import` does, and one
 *     command per transaction as the HTTP API does. Peers in the same run:
 *     the same commands through the engine alone (no storage), and raw
 *     INSERTs of the same rows with no engine.
 *  B. the same on PostgreSQL, when TK_TEST_PG is set.
 *  C. replay of a 1,000,000-event log from SQLite into a fresh engine, split
 *     into reading+decoding and applying. Peer: decoding alone.
 *  D. a distribution to 10,000 members. Peer: the bare waterfall arithmetic
 *     and ledger lines for the same members.
 *
 *   npx tsx bench/commune-throughput.ts [--quick]
 *
 * Targets: >= 10,000 commands/s on SQLite; replay >= 100,000 events/s.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommuneEngine,
  CommuneService,
  canonicalJson,
  type LogEntry,
  rentWaterfall,
  telekommunistenJournal,
} from '@telekommune/commune';
import { migrateToLatest, openStore, SqlCommuneLog, type Store } from '@telekommune/store';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import {
  type Cmd,
  cmd,
  enterpriseId,
  monthCommands,
  periodAt,
  setupCommands,
  type Workload,
  workerId,
} from './commune-workload.js';

const quick = process.argv.includes('--quick');
const enterprises = quick ? 20 : 100;
const workers = quick ? 200 : 1_000;
const shape: Workload = { enterprises, workers };
const months = quick ? 10 : 100;
const replayEvents = quick ? 100_000 : 1_000_000;
const distributionMembers = quick ? 1_000 : 10_000;
const perTransactionCommands = quick ? 500 : 2_000;
/** Every loop is bounded in count; the whole run also stops at this deadline. */
const deadline = Date.now() + 20 * 60_000;

function guard(): void {
  if (Date.now() > deadline) throw new Error('bench deadline (20 min) passed; stopping');
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (label: string) => label.padEnd(66);

async function importAll(service: CommuneService, commands: Cmd[]): Promise<void> {
  const result = await service.submitMany(commands, { batchSize: 1_000 });
  if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
}

interface Figures {
  commands: number;
  events: number;
  lines: number;
  ms: number;
}

function count(entries: readonly LogEntry[]): Omit<Figures, 'ms'> {
  let events = 0;
  let lines = 0;
  for (const entry of entries) {
    events += entry.events.length;
    for (const event of entry.events)
      if ('transactions' in event) for (const t of event.transactions) lines += t.lines.length;
  }
  return { commands: entries.length, events, lines };
}

async function workload(store: Store, label: string): Promise<{ batched: Figures; single: Figures }> {
  const log = new SqlCommuneLog(store);
  const service = new CommuneService(log);
  await importAll(service, setupCommands(shape));
  const before = service.engine.seq;
  const commands: Cmd[] = [];
  for (let m = 0; m < months; m += 1) commands.push(...monthCommands(shape, m));
  const t0 = performance.now();
  await importAll(service, commands);
  const ms = performance.now() - t0;
  const written = await log.read(before, commands.length + 10);
  const batched = { ...count(written), ms };
  console.log(
    `${pad(`${label}: batched import (1,000 per transaction)`)}${fmt(rate(batched.commands, ms))} commands/s  (${fmt(batched.commands)} commands, ${fmt(batched.events)} events, ${fmt(batched.lines)} ledger lines in ${(ms / 1000).toFixed(2)} s)`,
  );

  // One command per transaction, as each HTTP request is recorded.
  const period = periodAt(months);
  const singles: Cmd[] = [];
  for (let i = 0; i < perTransactionCommands; i += 1) {
    singles.push(
      cmd(`${period}-15`, {
        type: 'record-labour',
        person: workerId(i % workers),
        enterprise: enterpriseId((i % workers) % enterprises),
        hours: 1,
      }),
    );
  }
  const t1 = performance.now();
  for (const single of singles) {
    const outcome = await service.submit(single);
    if (outcome.status !== 'accepted') throw new Error(JSON.stringify(outcome));
  }
  const ms1 = performance.now() - t1;
  console.log(
    `${pad(`${label}: one command per transaction (HTTP path)`)}${fmt(rate(singles.length, ms1))} commands/s  (${fmt(singles.length)} labour records)`,
  );

  // Many clients at once, as a busy HTTP server sees them: commands arriving together are stored together.
  const clients = 32;
  const concurrent: Cmd[][] = Array.from({ length: clients }, () => []);
  for (let i = 0; i < perTransactionCommands; i += 1) {
    concurrent[i % clients]!.push(
      cmd(`${period}-16`, {
        type: 'record-labour',
        person: workerId(i % workers),
        enterprise: enterpriseId((i % workers) % enterprises),
        hours: 1,
      }),
    );
  }
  const t2 = performance.now();
  await Promise.all(
    concurrent.map(async (mine) => {
      for (const c of mine) {
        const outcome = await service.submit(c);
        if (outcome.status !== 'accepted') throw new Error(JSON.stringify(outcome));
      }
    }),
  );
  const ms2 = performance.now() - t2;
  console.log(
    `${pad(`${label}: ${clients} concurrent clients (group commit)`)}${fmt(rate(perTransactionCommands, ms2))} commands/s`,
  );
  return { batched, single: { commands: singles.length, events: singles.length, lines: 0, ms: ms1 } };
}

function engineOnly(): number {
  const engine = new CommuneEngine();
  for (const c of setupCommands(shape)) engine.execute(c);
  const commands: Cmd[] = [];
  for (let m = 0; m < months; m += 1) commands.push(...monthCommands(shape, m));
  const t0 = performance.now();
  for (const c of commands) {
    const outcome = engine.execute(c);
    if (outcome.status !== 'accepted') throw new Error(JSON.stringify(outcome));
  }
  const ms = performance.now() - t0;
  console.log(
    `${pad('peer: the same commands, engine alone (no storage)')}${fmt(rate(commands.length, ms))} commands/s`,
  );
  return rate(commands.length, ms);
}

/** Peer: the same rows written with no engine at all (prepared INSERTs, 1,000 per transaction). */
function rawInserts(dir: string, entries: readonly LogEntry[]): number {
  const db = new SqliteDatabase(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table log (seq integer primary key, key text unique not null, command text not null, events text not null, hash text not null)',
  );
  const rows = entries.map(
    (e) =>
      [e.seq, e.command.idempotency_key, canonicalJson(e.command), canonicalJson(e.events), e.hash] as const,
  );
  const insert = db.prepare('insert into log values (?, ?, ?, ?, ?)');
  const batch = db.transaction((slice: (typeof rows)[number][]) => {
    for (const row of slice) insert.run(...row);
  });
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 1_000) batch(rows.slice(i, i + 1_000));
  const ms = performance.now() - t0;
  db.close();
  console.log(
    `${pad('peer: raw INSERTs of the same log rows (no engine, no ledger)')}${fmt(rate(rows.length, ms))} rows/s`,
  );
  return rate(rows.length, ms);
}

async function replay(store: Store): Promise<void> {
  const log = new SqlCommuneLog(store);
  const writer = new CommuneService(log);
  await writer.sync();
  let events = 0;
  for await (const entry of writer.entries()) events += entry.events.length;
  let m = months + 1;
  const growStart = performance.now();
  while (events < replayEvents) {
    guard();
    const batch: Cmd[] = [];
    for (let i = 0; i < 10 && events < replayEvents; i += 1, m += 1) {
      const month = monthCommands(shape, m);
      batch.push(...month);
      events += month.length + enterprises;
    }
    await importAll(writer, batch);
  }
  console.log(
    `(grew the log to ${fmt(writer.engine.seq)} entries in ${((performance.now() - growStart) / 1000).toFixed(1)} s)`,
  );

  const fresh = new CommuneEngine();
  let read = 0;
  let apply = 0;
  let decodeOnly = 0;
  let total = 0;
  let after = 0;
  for (;;) {
    guard();
    const t0 = performance.now();
    const page = await log.read(after, 1_000); // pages as CommuneService reads them
    const t1 = performance.now();
    read += t1 - t0;
    if (page.length === 0) break;
    for (const entry of page) fresh.load(entry);
    apply += performance.now() - t1;
    for (const entry of page) total += entry.events.length;
    after = page.at(-1)!.seq;
  }
  // Peer: parse the same stored JSON and nothing else.
  const rows = await store.db.selectFrom('commune_log').select(['command', 'events']).execute();
  const t2 = performance.now();
  for (const row of rows) {
    JSON.parse(row.command);
    JSON.parse(row.events);
  }
  decodeOnly = performance.now() - t2;
  if (fresh.head !== writer.engine.head) throw new Error('replay did not reproduce the head hash');
  console.log(
    `${pad('replay: read + decode + apply (a fresh engine)')}${fmt(rate(total, read + apply))} events/s  (${fmt(total)} events in ${((read + apply) / 1000).toFixed(2)} s)`,
  );
  console.log(`${pad('replay: apply alone (evolve, ledger, keys)')}${fmt(rate(total, apply))} events/s`);
  console.log(
    `${pad('peer: JSON.parse of the same rows alone')}${fmt(rate(total, decodeOnly))} events/s  (apply is ${(decodeOnly / apply).toFixed(2)}x its speed)`,
  );
}

async function distribution(store: Store): Promise<void> {
  const service = new CommuneService(new SqlCommuneLog(store));
  const d = '2024-02-01';
  const commands: Cmd[] = [...telekommunistenJournal()] as unknown as Cmd[];
  for (let i = 0; i < distributionMembers; i += 1) {
    const person = `m-${String(i).padStart(5, '0')}`;
    commands.push(
      cmd(d, { type: 'register-person', person, name: `Member ${i}` }),
      cmd(d, { type: 'employ', person, enterprise: 'telekommunisten' }),
      cmd(d, { type: 'record-labour', person, enterprise: 'telekommunisten', hours: 500 }),
      cmd(d, { type: 'apply', person }),
    );
  }
  commands.push(
    cmd('2024-02-02', { type: 'run-rent-cycle', period: '2024-02' }),
    cmd('2024-02-20', {
      type: 'pay-rent',
      enterprise: 'telekommunisten',
      amount_minor: '79000',
      currency: 'EUR',
    }),
  );
  commands.push(cmd('2024-03-01', { type: 'run-bond-schedule', period: '2024-02' }));
  await importAll(service, commands);
  const members = service.engine.state.members.size;
  const t0 = performance.now();
  const outcome = await service.submit(cmd('2024-03-01', { type: 'distribute', period: '2024-02' }));
  const ms = performance.now() - t0;
  if (outcome.status !== 'accepted') throw new Error(JSON.stringify(outcome));
  const lines = count([outcome.entry]).lines;
  const w = (outcome.entry.events[0] as { waterfall: { each_minor: bigint; kept_minor: bigint } }).waterfall;
  console.log(
    `${pad(`distribution to ${fmt(members)} members (decide, check, store)`)}${ms.toFixed(0)} ms  (${fmt(lines)} ledger lines; each ${w.each_minor} minor units, ${w.kept_minor} kept)`,
  );
  // Peer: the arithmetic and the lines, nothing else.
  const t1 = performance.now();
  const bare = rentWaterfall({
    currency: 'EUR',
    received_minor: 79_000n,
    bond_service_minor: 0n,
    reserve_rate_bp: 1_000,
    members,
    policy: 'distribute',
  });
  const bareLines: { account: string; amount_minor: bigint }[] = [];
  for (const person of service.engine.state.members.keys()) {
    bareLines.push({
      account: `commune/liability/dividends-payable/${person}`,
      amount_minor: -bare.each_minor,
    });
  }
  const peerMs = performance.now() - t1;
  console.log(
    `${pad('peer: the bare waterfall and its lines')}${peerMs.toFixed(1)} ms  (${(ms / Math.max(peerMs, 0.01)).toFixed(0)}x faster than the full command)`,
  );
}

async function main(): Promise<void> {
  console.log(
    `commune throughput bench${quick ? ' (quick)' : ''}: node ${process.version}, ${availableParallelism()} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'tk-commune-bench-'));
  try {
    const sqliteStore = openStore({ url: join(dir, 'commune.db') });
    await migrateToLatest(sqliteStore);
    const sqlite = await workload(sqliteStore, 'SQLite');
    const engine = engineOnly();
    const entries = await new SqlCommuneLog(sqliteStore).read(0, sqlite.batched.commands + 20_000);
    const raw = rawInserts(dir, entries);
    console.log(
      `  -> SQLite batched is ${((rate(sqlite.batched.commands, sqlite.batched.ms) / engine) * 100).toFixed(0)} % of the engine alone and ${((rate(sqlite.batched.commands, sqlite.batched.ms) / raw) * 100).toFixed(0)} % of raw INSERTs; target 10,000 commands/s: ${rate(sqlite.batched.commands, sqlite.batched.ms) >= 10_000 ? 'met' : 'NOT met'}`,
    );

    const pgUrl = process.env.TK_TEST_PG;
    if (pgUrl) {
      const schema = `tk_bench_${randomBytes(4).toString('hex')}`;
      const pgStore = openStore({ url: pgUrl, pgSchema: schema, pgPoolSize: 4 });
      try {
        await migrateToLatest(pgStore);
        await workload(pgStore, 'PostgreSQL');
      } finally {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(pgStore.db);
        await pgStore.close();
      }
    } else {
      console.log('PostgreSQL: skipped (set TK_TEST_PG=postgres://user@127.0.0.1:5432/test)');
    }

    await replay(sqliteStore);
    await sqliteStore.close();

    const distStore = openStore({ url: join(dir, 'distribution.db') });
    await migrateToLatest(distStore);
    await distribution(distStore);
    await distStore.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
