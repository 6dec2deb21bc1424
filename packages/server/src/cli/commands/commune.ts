/**
 * `telekommune commune ...`: every command of the Venture Commune
 * (venture-commune.md §11), every report (§12), and journal import/export.
 * Command flags are generated from the command schemas, so the CLI, the HTTP
 * API and the engine accept exactly the same commands.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import {
  balanceSheet,
  bondRegister,
  type CommuneEngine,
  type CommuneService,
  commandSchema,
  currencyReport,
  distributionHistory,
  eventLog,
  exportJournal,
  incomeStatement,
  type LogEntry,
  memberRegister,
  readJsonl,
  rentRoll,
  summary,
  toJsonValue,
  trialBalance,
} from '@telekommune/commune';
import type { Store } from '@telekommune/store';
import { type Command, Option } from 'commander';
import { pino } from 'pino';
import type { z } from 'zod';
import { auditCommune, type CommuneRuntime, startCommuneRuntime } from '../../commune-runtime.js';
import { CliError } from '../cli-error.js';
import {
  balanceSheetText,
  bondsText,
  currencyText,
  distributionsText,
  incomeStatementText,
  logText,
  membersText,
  rentRollText,
  summaryText,
  trialBalanceText,
} from '../commune-tables.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';

interface OutputFlags extends StorageFlags {
  readonly json?: boolean;
}

async function withCommune<T>(
  flags: StorageFlags,
  work: (runtime: CommuneRuntime, store: Store) => Promise<T>,
): Promise<T> {
  return withStore(flags, async (store) =>
    work(await startCommuneRuntime(store, pino({ level: 'silent' })), store),
  );
}

function print(flags: OutputFlags, data: unknown, text: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(toJsonValue(data), null, 2)}\n` : `${text()}\n`);
}

// ---- command flags from the schemas ----

type FieldKind = 'amount' | 'number' | 'string' | 'boolean' | 'json';

function kindOf(name: string, schema: z.ZodType): FieldKind {
  if (name.endsWith('_minor')) return 'amount';
  let current = schema as unknown as { _zod: { def: Record<string, unknown> } };
  for (let depth = 0; depth < 8; depth += 1) {
    const def = current._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
        current = def.innerType as typeof current;
        continue;
      case 'pipe':
        current = def.in as typeof current;
        continue;
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'object':
      case 'array':
      case 'record':
        return 'json';
      case 'union': {
        const options = def.options as (typeof current)[];
        if (
          options.every(
            (o) => o._zod.def.type === 'literal' && typeof (o._zod.def.values as unknown[])[0] === 'number',
          )
        )
          return 'number';
        return 'string';
      }
      default:
        return 'string';
    }
  }
  return 'string';
}

/** The allowed values of an enum field, for --help and validation. */
function enumChoices(schema: z.ZodType): string[] | undefined {
  let current = schema as unknown as { _zod: { def: Record<string, unknown> } };
  for (let depth = 0; depth < 8; depth += 1) {
    const def = current._zod.def;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      current = def.innerType as typeof current;
      continue;
    }
    if (def.type === 'enum') return Object.values(def.entries as Record<string, string>);
    return undefined;
  }
  return undefined;
}

/** `12.50` → `1250`: decimal major units to minor units, exactly. */
export function parseAmount(text: string): string {
  const match = /^(-?)(\d{1,16})(?:\.(\d{1,2}))?$/.exec(text.replaceAll(',', '').trim());
  if (!match)
    throw new CliError(
      [`"${text}" is not an amount: use major units with up to two decimals, e.g. 450.00`],
      2,
    );
  const minor = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return (match[1] === '-' ? -minor : minor).toString();
}

interface FieldFlag {
  readonly field: string;
  readonly kind: FieldKind;
  readonly option: Option;
}

function fieldFlags(shape: Record<string, z.ZodType>): FieldFlag[] {
  const flags: FieldFlag[] = [];
  for (const [field, schema] of Object.entries(shape)) {
    if (field === 'type' || field === 'idempotency_key' || field === 'effective_date') continue;
    const kind = kindOf(field, schema);
    const base = (kind === 'amount' ? field.slice(0, -'_minor'.length) : field).replaceAll('_', '-');
    const required = !schema.safeParse(undefined).success;
    const value =
      kind === 'amount' ? '<decimal>' : kind === 'json' ? '<json>' : kind === 'number' ? '<n>' : '<value>';
    const description =
      kind === 'amount'
        ? `${field.replace(/_minor$/, '').replaceAll('_', ' ')} in major units, e.g. 450.00`
        : kind === 'json'
          ? `${field.replaceAll('_', ' ')} as JSON (amounts as *_minor strings)`
          : field.replaceAll('_', ' ');
    const option =
      kind === 'boolean'
        ? new Option(`--${base}`, description)
        : new Option(`--${base} ${value}`, description);
    const choices = enumChoices(schema);
    if (choices) option.choices(choices);
    if (required) option.makeOptionMandatory();
    flags.push({ field, kind, option });
  }
  return flags;
}

function flagValue(flag: FieldFlag, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (flag.kind === 'boolean') return raw === true;
  const text = String(raw);
  switch (flag.kind) {
    case 'amount':
      return parseAmount(text);
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n))
        throw new CliError([`--${flag.option.long?.slice(2)}: "${text}" is not a number`], 2);
      return n;
    }
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new CliError([`--${flag.option.long?.slice(2)}: not valid JSON: ${text}`], 2);
      }
    default:
      return text === 'null' && flag.field === 'enterprise' ? null : text;
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

async function runCommand(flags: OutputFlags, command: Record<string, unknown>): Promise<void> {
  await withCommune(flags, async ({ service }) => {
    const outcome = await service.submit(command);
    if (outcome.status === 'rejected') {
      throw new CliError([`rejected: ${outcome.rejection.code}: ${outcome.rejection.message}`], 1);
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(toJsonValue(outcome), null, 2)}\n`);
      return;
    }
    if (outcome.status === 'duplicate') {
      process.stdout.write(`already recorded (entry ${outcome.seq}); nothing new was done\n`);
      return;
    }
    const { entry } = outcome;
    process.stdout.write(
      `accepted: entry ${entry.seq}, key ${entry.command.idempotency_key}, hash ${entry.hash.slice(0, 16)}\n` +
        (entry.events.length === 0
          ? '  no events: nothing was due\n'
          : entry.events.map((e) => `  ${e.type}\n`).join('')),
    );
  });
}

function registerCommandSubcommands(commune: Command): void {
  for (const option of commandSchema.options) {
    const type = option.shape.type.value;
    const flags = fieldFlags(option.shape as unknown as Record<string, z.ZodType>);
    const sub = commune.command(type).description(`record the command "${type}" (venture-commune.md §11)`);
    for (const flag of flags) sub.addOption(flag.option);
    sub
      .option(
        '--key <key>',
        'idempotency key: a retry with the same key is recorded once (default: generated)',
      )
      .option('--date <YYYY-MM-DD>', 'effective date (default: today, UTC)')
      .option('--json', 'print the outcome as JSON');
    addStorageOptions(sub);
    sub.action(async (opts: Record<string, unknown> & OutputFlags) => {
      const command: Record<string, unknown> = {
        type,
        idempotency_key: (opts.key as string | undefined) ?? `cli-${randomBytes(8).toString('hex')}`,
        effective_date: (opts.date as string | undefined) ?? today(),
      };
      for (const flag of flags) {
        const value = flagValue(flag, opts[flag.option.attributeName()]);
        if (value !== undefined) command[flag.field] = value;
      }
      await runCommand(opts, command);
    });
  }
}

// ---- reports ----

async function allEntries(service: CommuneService): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for await (const entry of service.entries()) entries.push(entry);
  return entries;
}

function report(
  commune: Command,
  name: string,
  description: string,
  configure: (c: Command) => Command,
  produce: (
    engine: CommuneEngine,
    flags: Record<string, string | undefined> & OutputFlags,
    service: CommuneService,
  ) => Promise<{ data: unknown; text: () => string }>,
): void {
  const sub = configure(commune.command(name).description(description)).option(
    '--json',
    'print JSON (as the HTTP API returns it)',
  );
  addStorageOptions(sub).action(async (flags: Record<string, string | undefined> & OutputFlags) => {
    await withCommune(flags, async ({ service }) => {
      const engine = await service.sync();
      const { data, text } = await produce(engine, flags, service);
      print(flags, data, text);
    });
  });
}

const ownerOption = (c: Command) => c.option('--owner <owner>', 'commune or enterprise:<id>', 'commune');

function checkOwner(owner: string | undefined): string {
  const value = owner ?? 'commune';
  if (!/^(commune|enterprise:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/.test(value))
    throw new CliError(['--owner: expected commune or enterprise:<id>'], 2);
  return value;
}

function registerReports(commune: Command): void {
  report(
    commune,
    'summary',
    'the commune at a glance',
    (c) => c,
    async (engine) => {
      const data = { ...summary(engine.state), head: engine.head };
      return { data, text: () => summaryText(data) };
    },
  );
  report(
    commune,
    'balance-sheet',
    'balance sheet of the commune or an enterprise',
    (c) => ownerOption(c).option('--as-of <date>', 'YYYY-MM-DD'),
    async (engine, f) => {
      const data = balanceSheet(engine.state, checkOwner(f.owner), f.asOf);
      return { data, text: () => balanceSheetText(data) };
    },
  );
  report(
    commune,
    'income-statement',
    'income statement of the commune or an enterprise',
    (c) => ownerOption(c).option('--from <date>', 'YYYY-MM-DD').option('--to <date>', 'YYYY-MM-DD'),
    async (engine, f) => {
      const data = incomeStatement(engine.state, checkOwner(f.owner), f.from, f.to);
      return { data, text: () => incomeStatementText(data) };
    },
  );
  report(
    commune,
    'trial-balance',
    'every account; debits equal credits per currency',
    (c) => c.option('--as-of <date>', 'YYYY-MM-DD'),
    async (engine, f) => {
      const data = trialBalance(engine.state, f.asOf);
      return { data, text: () => trialBalanceText(data) };
    },
  );
  report(
    commune,
    'rent-roll',
    'tenants, rents, arrears by age, vacancy; enterprises holding property past grace',
    (c) => c.option('--as-of <date>', 'YYYY-MM-DD'),
    async (engine, f) => {
      const data = rentRoll(engine.state, f.asOf);
      return { data, text: () => rentRollText(data) };
    },
  );
  report(
    commune,
    'members',
    'member register, with eligible non-members',
    (c) => c,
    async (engine) => {
      const data = memberRegister(engine.state);
      return { data, text: () => membersText(data) };
    },
  );
  report(
    commune,
    'bonds',
    'bond register: series, auctions, holders, schedule, defaults',
    (c) => c,
    async (engine) => {
      const data = bondRegister(engine.state);
      return { data, text: () => bondsText(data) };
    },
  );
  report(
    commune,
    'currency',
    'commune currency outstanding against its cap',
    (c) => c,
    async (engine) => {
      const data = currencyReport(engine.state);
      return { data, text: () => currencyText(data) };
    },
  );
  report(
    commune,
    'distributions',
    'distribution history with the waterfall arithmetic',
    (c) => c,
    async (engine) => {
      const data = distributionHistory(engine.state);
      return { data, text: () => distributionsText(data) };
    },
  );
  report(
    commune,
    'log',
    'the event log, its hash chain verified',
    (c) => c.option('--from <seq>', 'first entry', '1').option('--limit <n>', 'entries to show', '50'),
    async (_engine, f, service) => {
      const from = Number(f.from ?? 1);
      const limit = Number(f.limit ?? 50);
      if (!Number.isInteger(from) || from < 1 || !Number.isInteger(limit) || limit < 1 || limit > 100_000) {
        throw new CliError(['--from and --limit: positive whole numbers (limit at most 100000)'], 2);
      }
      const data = eventLog(await allEntries(service), { from, limit });
      return { data, text: () => logText(data) };
    },
  );
}

// ---- audit, import, export ----

function registerAudit(commune: Command): void {
  addStorageOptions(
    commune
      .command('audit')
      .description(
        'replay the log from nothing, re-decide every command, check every invariant, compare with the stored ledger',
      )
      .option('--json', 'print JSON'),
  ).action(async (flags: OutputFlags) => {
    await withCommune(flags, async (runtime) => {
      const report = await auditCommune(runtime);
      print(flags, report, () =>
        [
          report.ok
            ? `audit passed: ${report.entries} entries, ${report.events} events re-derived; every invariant holds`
            : 'AUDIT FOUND PROBLEMS',
          `  hash chain: ${report.chain.valid ? `valid, head ${report.chain.head}` : `broken at entry ${report.chain.first_invalid?.seq}: ${report.chain.first_invalid?.reason}`}`,
          `  state digest: ${report.state_digest}`,
          ...report.differences.map(
            (d) => `  difference${d.seq === null ? '' : ` at entry ${d.seq}`} (${d.what}): ${d.detail}`,
          ),
          ...report.violations.map((v) => `  invariant "${v.invariant}" broken (${v.code}): ${v.message}`),
        ].join('\n'),
      );
      if (!report.ok) process.exitCode = 1;
    });
  });
}

/** Bytes a journal file may have (limits on everything). */
const maxJournalBytes = 1024 * 1024 * 1024;

function registerImport(commune: Command): void {
  addStorageOptions(
    commune
      .command('import')
      .description(
        'apply a journal of commands (JSON lines) in order; stops at the first rejection with its line number',
      )
      .argument('<file>', 'a JSONL file, one command per line (blank lines and # comments are skipped)')
      .option('--continue', 'carry on past rejected lines and report them all')
      .option('--batch <n>', 'commands stored per transaction', '1000'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ telekommune commune import journal.jsonl\n  $ telekommune commune export -o backup.jsonl && telekommune commune import backup.jsonl --db other.db',
    )
    .action(async (file: string, flags: StorageFlags & { continue?: boolean; batch: string }) => {
      const batchSize = Number(flags.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
        throw new CliError(['--batch: 1 to 100000'], 2);
      const content = await readFile(file);
      if (content.length > maxJournalBytes)
        throw new CliError([`${file}: larger than ${maxJournalBytes} bytes`], 2);
      const text = content.toString('utf8');
      await withCommune(flags, async ({ service }) => {
        const problems: string[] = [];
        let accepted = 0;
        let duplicates = 0;
        let stopped = false;
        let pending: { line: number; value: unknown }[] = [];
        const flush = async () => {
          if (pending.length === 0) return;
          const batch = pending;
          pending = [];
          const result = await service.submitMany(
            batch.map((l) => l.value),
            { stopOnRejection: !flags.continue, batchSize },
          );
          accepted += result.accepted;
          duplicates += result.duplicates;
          for (const r of result.rejected)
            problems.push(`line ${batch[r.index]!.line}: ${r.rejection.code}: ${r.rejection.message}`);
          if (result.stoppedAt !== null) stopped = true;
        };
        for (const line of readJsonl(text)) {
          if ('error' in line) {
            await flush();
            if (stopped) break;
            problems.push(`line ${line.line}: INVALID: ${line.error}`);
            if (!flags.continue) {
              stopped = true;
              break;
            }
            continue;
          }
          pending.push(line);
          if (pending.length >= batchSize) {
            await flush();
            if (stopped) break;
          }
        }
        if (!stopped) await flush();
        const head = `imported ${accepted} command${accepted === 1 ? '' : 's'}${duplicates ? ` (${duplicates} already recorded)` : ''}`;
        if (problems.length === 0) {
          process.stdout.write(`${head}\n`);
          return;
        }
        process.stdout.write(`${head}\n`);
        throw new CliError(
          [
            ...problems,
            stopped
              ? 'stopped at the first rejection; lines after it were not applied (use --continue to go on)'
              : `${problems.length} line(s) rejected`,
          ],
          1,
        );
      });
    });
}

function registerExport(commune: Command): void {
  addStorageOptions(
    commune
      .command('export')
      .description('write the log back as a journal of commands (JSON lines), as import reads it')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  ).action(async (flags: StorageFlags & { output?: string }) => {
    await withCommune(flags, async ({ service }) => {
      const text = exportJournal(await allEntries(service));
      if (flags.output) await writeFile(flags.output, text);
      else process.stdout.write(text);
    });
  });
}

export function registerCommuneCommand(program: Command): void {
  const commune = program
    .command('commune')
    .description('the Venture Commune: its commands, reports, audit, and journals (docs/commune.md)')
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune commune summary
  $ telekommune commune record-labour --person ada --enterprise telekommunisten --hours 7.5
  $ telekommune commune pay-rent --enterprise telekommunisten --amount 790.00 --currency EUR --date 2024-02-28
  $ telekommune commune bid --series srv3-2023 --bidder lena --quantity 30 --min-yield-bp 350
  $ telekommune commune distribute --period 2024-01
  $ telekommune commune rent-roll
  $ telekommune commune balance-sheet --owner enterprise:telekommunisten --json
  $ telekommune commune import journal.jsonl
  $ telekommune commune audit`,
    );
  registerReports(commune);
  registerAudit(commune);
  registerImport(commune);
  registerExport(commune);
  registerCommandSubcommands(commune);
}
