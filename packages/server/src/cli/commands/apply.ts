import { applyProvisioning, formatIssues, validateProvisioningDocument } from '@telekommune/pbx';
import { SqlProvisioningRepository } from '@telekommune/store';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';
import { readYamlFile } from '../yaml-document.js';

interface ApplyFlags extends StorageFlags {
  readonly file: string;
  readonly dryRun?: boolean;
}

export function registerApplyCommand(program: Command): void {
  addStorageOptions(
    program
      .command('apply')
      .description('create or update tenants from a YAML file (idempotent; all or nothing)')
      .requiredOption('-f, --file <file>', 'the provisioning file (YAML or JSON)')
      .option('--dry-run', 'show what would change without changing anything'),
  )
    .addHelpText(
      'after',
      `
Each tenant in the file is made to match it exactly (extensions not listed are
removed); tenants not in the file are left alone. See docs/provisioning.md.

Examples:
  $ telekommune apply -f tenants.yaml
  $ telekommune apply -f tenants.yaml --dry-run
  $ telekommune export > backup.yaml && telekommune apply -f backup.yaml`,
    )
    .action(async (flags: ApplyFlags) => {
      const read = await readYamlFile(flags.file);
      if (!read.ok) throw new CliError([...read.errors, 'nothing was applied']);
      const checked = validateProvisioningDocument(read.value);
      if (!checked.ok)
        throw new CliError([
          `${flags.file} is invalid:`,
          formatIssues(checked.issues),
          'nothing was applied',
        ]);
      await withStore(flags, async (store) => {
        const outcome = await applyProvisioning(checked.value, new SqlProvisioningRepository(store), {
          dryRun: flags.dryRun ?? false,
        });
        if (!outcome.ok) {
          throw new CliError([
            `${flags.file} conflicts with stored tenants:`,
            formatIssues(outcome.issues),
            'nothing was applied',
          ]);
        }
        for (const item of outcome.plan) {
          const verb = { create: 'created', update: 'updated', unchanged: 'unchanged' }[item.action];
          const detail = item.changes.length > 0 ? ` (${item.changes.join(', ')})` : '';
          process.stdout.write(
            `tenant ${item.tenantId}: ${outcome.dryRun ? `would be ${verb}` : verb}${detail}\n`,
          );
        }
        for (const item of outcome.carriers) {
          const verb = { create: 'created', update: 'updated', unchanged: 'unchanged' }[item.action];
          process.stdout.write(`carrier ${item.carrierId}: ${outcome.dryRun ? `would be ${verb}` : verb}\n`);
        }
        if (outcome.plan.length === 0 && outcome.carriers.length === 0)
          process.stdout.write('the file lists no tenants; nothing to do\n');
      });
    });
}
