/**
 * The Venture Commune inside the process: its service over the database log,
 * caught up at start, and the demo of venture-commune.md §13 seeded on the
 * first start of an installation.
 */
import {
  type AuditReport,
  audit,
  CommuneService,
  type LogEntry,
  stateDigest,
  telekommunisten,
  telekommunistenJournal,
} from '@telekommune/commune';
import { getMeta, SqlCommuneLog, type Store, setMeta } from '@telekommune/store';
import type { AccessServices } from './accounts/access-services.js';
import type { ConsoleLogin } from './accounts/first-accounts.js';
import { generatePassword, hashPassword } from './accounts/passwords.js';
import type { Logger } from './logger.js';

export interface CommuneRuntime {
  readonly service: CommuneService;
  readonly log: SqlCommuneLog;
}

export interface CommuneDemo {
  readonly commune: string;
  readonly entries: number;
  readonly members: readonly string[];
}

/** The commune of this installation, caught up with its log. */
export async function startCommuneRuntime(store: Store, logger: Logger): Promise<CommuneRuntime> {
  const log = new SqlCommuneLog(store);
  const service = new CommuneService(log);
  const started = performance.now();
  const engine = await service.sync();
  if (engine.seq > 0) {
    logger.info({ entries: engine.seq, ms: Math.round(performance.now() - started) }, 'commune log replayed');
  }
  return { service, log };
}

/**
 * On the first start with the demo, runs the Telekommunisten journal: three
 * co-op workers, their property, the commune's incorporation, a bond auction,
 * months of rent and distributions. Later starts, or a log that is not empty,
 * seed nothing.
 */
export async function seedCommuneDemoOnce(
  store: Store,
  runtime: CommuneRuntime,
): Promise<CommuneDemo | undefined> {
  if ((await getMeta(store, 'commune_demo_seeded_at')) !== undefined) return undefined;
  const existing = await runtime.service.sync();
  if (existing.seq > 0) {
    // A commune already lives here: the demo never mixes into real books.
    await setMeta(store, 'commune_demo_seeded_at', new Date().toISOString());
    return undefined;
  }
  const result = await runtime.service.submitMany(telekommunistenJournal());
  if (result.rejected.length > 0) {
    const first = result.rejected[0]!;
    throw new Error(
      `commune demo seed: command ${first.index + 1} rejected: ${first.rejection.code} ${first.rejection.message}`,
    );
  }
  await setMeta(store, 'commune_demo_seeded_at', new Date().toISOString());
  const state = runtime.service.engine.state;
  return {
    commune: state.meta.value.name ?? telekommunisten.commune,
    entries: runtime.service.engine.seq,
    members: [...state.members.keys()].sort(),
  };
}

/**
 * The audit of venture-commune.md §12 against this database: replays the
 * stored log from nothing (re-deciding every command), checks every invariant,
 * and compares what it re-derives with the running state and with the ledger
 * projection stored beside the log.
 */
export async function auditCommune(runtime: CommuneRuntime): Promise<AuditReport> {
  const engine = await runtime.service.sync();
  const entries: LogEntry[] = [];
  for await (const entry of runtime.service.entries()) entries.push(entry);
  const report = audit(entries, { expected_digest: stateDigest(engine.state) });
  const derived = new Map([...engine.state.balances.entries()]);
  const stored = new Map(
    (await runtime.log.balances()).map((b) => [`${b.currency} ${b.account}`, b.balance_minor]),
  );
  const differences = [...report.differences];
  for (const [key, amount] of derived) {
    if ((stored.get(key) ?? 0n) !== amount) {
      differences.push({
        seq: null,
        what: 'ledger projection',
        detail: `${key}: stored ${stored.get(key) ?? 0n}, log says ${amount}`,
      });
    }
  }
  for (const [key, amount] of stored) {
    if (!derived.has(key) && amount !== 0n) {
      differences.push({
        seq: null,
        what: 'ledger projection',
        detail: `${key}: stored ${amount}, not in the log`,
      });
    }
  }
  return { ...report, differences, ok: report.ok && differences.length === report.differences.length };
}

/**
 * With the demo, a console sign-in for one founding member, so a newcomer can
 * see the commune as a member sees it (its books are open to its members).
 */
export async function seedCommuneMemberLogin(
  access: AccessServices,
  person: string,
): Promise<ConsoleLogin | undefined> {
  const password = generatePassword();
  const username = `member-${person}`;
  const created = await access.accounts.create({
    username,
    passwordHash: await hashPassword(password),
    role: 'member',
    tenantId: null,
    extension: null,
    personId: person,
    displayName: `Commune member ${person}`,
  });
  return created.ok
    ? { username, password, role: 'member', description: `Member "${person}" of the demo commune` }
    : undefined;
}
