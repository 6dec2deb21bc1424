import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { formatMicro, normaliseNumber, RateDeckCache, type RateDeckOwner } from '@telekommune/pbx';
import { SqlProvisioningRepository, SqlRateDeckRepository } from '@telekommune/store';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';

interface OwnerFlags extends StorageFlags {
  readonly carrier?: string;
  readonly priceList?: string;
}

function ownerOf(flags: OwnerFlags): RateDeckOwner {
  if ((flags.carrier === undefined) === (flags.priceList === undefined)) {
    throw new CliError(['name exactly one of --carrier ID or --price-list ID'], 2);
  }
  return flags.carrier !== undefined
    ? { kind: 'carrier', id: flags.carrier }
    : { kind: 'pricelist', id: flags.priceList as string };
}

export function registerRatesCommand(program: Command): void {
  const rates = program.command('rates').description("carriers' rate decks and tenants' price lists");

  addStorageOptions(
    rates
      .command('import')
      .description('replace a rate deck or price list from a CSV file (all or nothing)')
      .requiredOption('-f, --file <file>', 'the CSV file')
      .option('--carrier <id>', 'the carrier whose costs this deck lists')
      .option('--price-list <id>', 'the price list tenants are billed from')
      .option('--currency <code>', 'price list currency (a carrier deck uses the carrier currency)', 'EUR'),
  )
    .addHelpText(
      'after',
      `
Columns: prefix,destination,rate_per_minute[,connect_fee][,billing_increment][,effective_from]
Every line is checked first; any error is reported with its line number and
the deck in use stays as it was. A running server picks up the new deck
within a second. See docs/carriers.md.

Examples:
  $ telekommune rates import --carrier sipgate -f sipgate-2025-06.csv
  $ telekommune rates import --price-list retail --currency EUR -f retail.csv`,
    )
    .action(async (flags: OwnerFlags & { file: string; currency: string }) => {
      const owner = ownerOf(flags);
      const size = await stat(flags.file).then(
        (s) => s.size,
        () => {
          throw new CliError([`cannot read ${flags.file}`]);
        },
      );
      await withStore(flags, async (store) => {
        let currency = flags.currency;
        if (owner.kind === 'carrier') {
          const carrier = (await new SqlProvisioningRepository(store).listCarriers()).find(
            (c) => c.id === owner.id,
          );
          if (!carrier) throw new CliError([`no carrier ${owner.id}: add it with apply first`]);
          currency = carrier.currency;
        }
        const interactive = process.stderr.isTTY === true;
        const bar = new cliProgress.SingleBar(
          {
            format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit}',
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        if (interactive) bar.start(size, 0, { phase: 'reading', unit: 'bytes' });
        let rowsRead = 0;
        const cache = new RateDeckCache(new SqlRateDeckRepository(store));
        const outcome = await cache.importCsv(owner, createReadStream(flags.file), {
          currency,
          source: flags.file.split('/').at(-1) ?? flags.file,
          onParseProgress: (rows, bytes) => {
            rowsRead = rows;
            if (interactive) bar.update(bytes);
          },
          onWriteProgress: (rows) => {
            if (!interactive) return;
            if (rows <= 3000) {
              bar.setTotal(rowsRead);
              bar.update(0, { phase: 'writing', unit: 'rows' });
            }
            bar.update(rows);
          },
        });
        if (interactive) bar.stop();
        if (!outcome.ok) {
          throw new CliError([
            `${flags.file} has errors; nothing was imported, the deck in use is unchanged:`,
            ...outcome.errors.map((e) => `line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.message}`),
            ...(outcome.truncated ? ['(more errors not shown)'] : []),
          ]);
        }
        process.stdout.write(
          `imported ${outcome.info.rows} rates for ${owner.kind} ${owner.id} (${currency}) in ${((outcome.parse_ms + outcome.write_ms) / 1000).toFixed(1)} s\n`,
        );
      });
    });

  addStorageOptions(rates.command('list').description('list rate decks and price lists'))
    .addHelpText('after', '\nExamples:\n  $ telekommune rates list')
    .action(async (flags: StorageFlags) => {
      await withStore(flags, async (store) => {
        const decks = await new SqlRateDeckRepository(store).listDecks();
        if (decks.length === 0) process.stdout.write('no rate decks\n');
        for (const d of decks) {
          process.stdout.write(
            `${d.owner.kind} ${d.owner.id}: ${d.rows} rates, ${d.currency}, ${d.source}, imported ${d.importedAt}\n`,
          );
        }
      });
    });

  addStorageOptions(
    rates
      .command('lookup')
      .description('show the rate a deck charges for a number')
      .argument('<number>', 'a number in international form')
      .option('--carrier <id>', 'a carrier deck')
      .option('--price-list <id>', 'a price list')
      .option('--at <time>', 'an ISO 8601 time (default now)'),
  )
    .addHelpText('after', '\nExamples:\n  $ telekommune rates lookup --carrier sipgate +4930123456')
    .action(async (number: string, flags: OwnerFlags & { at?: string }) => {
      const owner = ownerOf(flags);
      const parsed = normaliseNumber(number);
      if (!parsed.ok) throw new CliError([parsed.message], 2);
      const at = flags.at === undefined ? new Date() : new Date(flags.at);
      if (Number.isNaN(at.getTime())) throw new CliError(['--at: expected an ISO 8601 time'], 2);
      await withStore(flags, async (store) => {
        const cache = new RateDeckCache(new SqlRateDeckRepository(store));
        await cache.refresh();
        const rate = cache.get(owner)?.lookup(parsed.e164, at);
        if (!rate) throw new CliError([`no rate for ${parsed.e164} in ${owner.kind} ${owner.id}`]);
        process.stdout.write(
          `${parsed.e164}: prefix ${rate.prefix} (${rate.destination}) ${formatMicro(rate.rate_micro_per_min)}/min, connect ${formatMicro(rate.connect_micro)}, ${rate.initial_s}/${rate.increment_s}\n`,
        );
      });
    });
}
