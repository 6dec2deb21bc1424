import { writeFile } from 'node:fs/promises';
import {
  BillingService,
  formatMicro,
  parseMicro,
  periodPattern,
  RateDeckCache,
  statementCsv,
  statementJson,
} from '@telekommune/pbx';
import {
  SqlBillingRepository,
  SqlProvisioningRepository,
  SqlRateDeckRepository,
  type Store,
} from '@telekommune/store';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';

async function billingFor(store: Store, tenantId: string) {
  const provisioning = new SqlProvisioningRepository(store);
  const [tenants, carriers] = await Promise.all([provisioning.listTenants(), provisioning.listCarriers()]);
  const tenant = tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new CliError([`no tenant ${tenantId}`]);
  const service = new BillingService({
    repository: new SqlBillingRepository(store),
    decks: new RateDeckCache(new SqlRateDeckRepository(store)),
    tenant: (id) => tenants.find((t) => t.id === id),
    carrier: (id) => carriers.find((c) => c.id === id),
  });
  return { tenant, service };
}

export function registerBillingCommand(program: Command): void {
  const billing = program.command('billing').description('tenant balances and monthly statements');

  addStorageOptions(
    billing
      .command('statement')
      .description("a tenant's monthly statement")
      .requiredOption('--tenant <id>', 'the tenant')
      .requiredOption('--period <YYYY-MM>', 'the month (UTC)')
      .option('--format <format>', 'json or csv', 'json')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune billing statement --tenant acme --period 2025-06
  $ telekommune billing statement --tenant acme --period 2025-06 --format csv -o acme-2025-06.csv`,
    )
    .action(
      async (flags: StorageFlags & { tenant: string; period: string; format: string; output?: string }) => {
        if (!periodPattern.test(flags.period)) throw new CliError(['--period: expected a month YYYY-MM'], 2);
        if (flags.format !== 'json' && flags.format !== 'csv')
          throw new CliError(['--format: expected json or csv'], 2);
        await withStore(flags, async (store) => {
          const { service } = await billingFor(store, flags.tenant);
          const statement = await service.statement(flags.tenant, flags.period);
          if (!statement) throw new CliError(['--period: expected a month YYYY-MM'], 2);
          const text =
            flags.format === 'csv'
              ? statementCsv(statement)
              : `${JSON.stringify(statementJson(statement), null, 2)}\n`;
          if (flags.output) await writeFile(flags.output, text);
          else process.stdout.write(text);
        });
      },
    );

  addStorageOptions(
    billing
      .command('balance')
      .description("a tenant's balance")
      .requiredOption('--tenant <id>', 'the tenant'),
  )
    .addHelpText('after', '\nExamples:\n  $ telekommune billing balance --tenant acme')
    .action(async (flags: StorageFlags & { tenant: string }) => {
      await withStore(flags, async (store) => {
        const { tenant, service } = await billingFor(store, flags.tenant);
        const balance = await service.balance(tenant.id);
        const credit = await service.creditCheck(tenant.id);
        process.stdout.write(
          `${tenant.id}: ${formatMicro(balance, 2)} ${service.currencyOf(tenant)} (${tenant.billing?.mode ?? 'postpaid'}${credit.ok ? '' : ', outside calls blocked: no credit'})\n`,
        );
      });
    });

  addStorageOptions(
    billing
      .command('credit')
      .description("add a top-up, payment or adjustment to a tenant's balance")
      .requiredOption('--tenant <id>', 'the tenant')
      .requiredOption('--amount <decimal>', 'e.g. 25.00 (adjustments may be negative)')
      .option('--kind <kind>', 'topup, payment or adjustment', 'topup')
      .requiredOption('--note <text>', 'why, for the statement'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ telekommune billing credit --tenant acme --amount 25.00 --note "bank transfer 2025-06-03"',
    )
    .action(async (flags: StorageFlags & { tenant: string; amount: string; kind: string; note: string }) => {
      if (flags.kind !== 'topup' && flags.kind !== 'payment' && flags.kind !== 'adjustment') {
        throw new CliError(['--kind: expected topup, payment or adjustment'], 2);
      }
      const parsed = parseMicro(flags.amount, { allowNegative: flags.kind === 'adjustment' });
      if (!parsed.ok || parsed.micro === 0n)
        throw new CliError([`--amount: ${parsed.ok ? 'expected a non-zero amount' : parsed.message}`], 2);
      const note = flags.note.trim();
      if (note === '' || note.length > 200) throw new CliError(['--note: expected 1 to 200 characters'], 2);
      const kind = flags.kind;
      await withStore(flags, async (store) => {
        const { tenant, service } = await billingFor(store, flags.tenant);
        await service.addEntry(tenant.id, kind, parsed.micro, note);
        process.stdout.write(
          `${tenant.id}: balance ${formatMicro(await service.balance(tenant.id), 2)} ${service.currencyOf(tenant)}\n`,
        );
      });
    });
}
