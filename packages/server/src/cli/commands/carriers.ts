import {
  CarrierStatusBoard,
  decideOutbound,
  formatMicro,
  leastCostRoutes,
  normaliseNumber,
  RateDeckCache,
} from '@telekommune/pbx';
import { SqlProvisioningRepository, SqlRateDeckRepository } from '@telekommune/store';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';

export function registerCarriersCommand(program: Command): void {
  const carriers = program.command('carriers').description('carriers (SIP trunks) and least-cost routing');

  addStorageOptions(carriers.command('list').description('list carriers and their rate decks'))
    .addHelpText(
      'after',
      '\nCarriers are configured with apply (docs/carriers.md).\n\nExamples:\n  $ telekommune carriers list',
    )
    .action(async (flags: StorageFlags) => {
      await withStore(flags, async (store) => {
        const list = await new SqlProvisioningRepository(store).listCarriers();
        const decks = await new SqlRateDeckRepository(store).listDecks();
        if (list.length === 0) process.stdout.write('no carriers\n');
        for (const c of list) {
          const deck = decks.find((d) => d.owner.kind === 'carrier' && d.owner.id === c.id);
          process.stdout.write(
            `${c.id}: ${c.name}, ${c.transport}:${c.host}:${c.port}, auth ${c.auth.mode}, ${c.numberFormat}, max ${c.maxCalls} calls${c.enabled ? '' : ', disabled'}; ${deck ? `${deck.rows} rates` : 'no rate deck'}\n`,
          );
        }
      });
    });

  addStorageOptions(
    carriers
      .command('route')
      .description('show which carriers a call would try, cheapest first')
      .argument('<number>', 'the number as dialled (with --tenant) or in international form')
      .option('--tenant <id>', "read the number with this tenant's dial plan")
      .option('--extension <number>', "and this extension's permission class")
      .option('--at <time>', 'an ISO 8601 time (default now)'),
  )
    .addHelpText(
      'after',
      `
Health and load are those of a running server; offline every carrier counts as up.

Examples:
  $ telekommune carriers route +442079460958
  $ telekommune carriers route --tenant acme --extension 1001 "0044 20 7946 0958"`,
    )
    .action(
      async (number: string, flags: StorageFlags & { tenant?: string; extension?: string; at?: string }) => {
        const at = flags.at === undefined ? new Date() : new Date(flags.at);
        if (Number.isNaN(at.getTime())) throw new CliError(['--at: expected an ISO 8601 time'], 2);
        await withStore(flags, async (store) => {
          const provisioning = new SqlProvisioningRepository(store);
          let e164: string;
          if (flags.tenant !== undefined) {
            const tenant = (await provisioning.listTenants()).find((t) => t.id === flags.tenant);
            if (!tenant) throw new CliError([`no tenant ${flags.tenant}`]);
            const decision = decideOutbound({ tenant, extension: flags.extension, dialled: number });
            if (decision.kind === 'refused')
              throw new CliError([`refused (${decision.reason}): ${decision.message}`]);
            if (decision.kind !== 'outside') {
              process.stdout.write(
                `${decision.kind}${decision.kind === 'emergency' ? ` ${decision.shortCode}: every emergency carrier, in order` : ''}\n`,
              );
              return;
            }
            e164 = decision.e164;
            process.stdout.write(`${e164} (${decision.numberClass})\n`);
          } else {
            const parsed = normaliseNumber(number);
            if (!parsed.ok) throw new CliError([parsed.message], 2);
            e164 = parsed.e164;
          }
          const cache = new RateDeckCache(new SqlRateDeckRepository(store));
          await cache.refresh();
          const routes = leastCostRoutes(
            e164,
            await provisioning.listCarriers(),
            cache.carrierDecks,
            new CarrierStatusBoard(),
            at,
          );
          routes.candidates.forEach((c, i) => {
            process.stdout.write(
              `${i + 1}. ${c.carrier.id}: ${formatMicro(c.rate.rate_micro_per_min)}/min + ${formatMicro(c.rate.connect_micro)} (${c.rate.prefix} ${c.rate.destination}, ${c.rate.initial_s}/${c.rate.increment_s}) as ${c.dialString}\n`,
            );
          });
          for (const s of routes.skipped) process.stdout.write(`-  ${s.carrierId}: ${s.reason}\n`);
          if (routes.candidates.length === 0) process.exitCode = 1;
        });
      },
    );
}
