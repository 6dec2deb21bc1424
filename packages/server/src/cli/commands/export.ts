import { writeFile } from 'node:fs/promises';
import { exportProvisioning } from '@telekommune/pbx';
import { SqlProvisioningRepository } from '@telekommune/store';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { CliError } from '../cli-error.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';

interface ExportFlags extends StorageFlags {
  readonly tenant?: string;
  readonly output?: string;
}

export function registerExportCommand(program: Command): void {
  addStorageOptions(
    program
      .command('export')
      .description('write tenants in the provisioning format that apply reads')
      .option('--tenant <id>', 'only this tenant')
      .option('-o, --output <file>', 'write to a file instead of standard output'),
  )
    .addHelpText(
      'after',
      `
The output contains SIP passwords: keep it as safe as the database.

Examples:
  $ telekommune export
  $ telekommune export --tenant acme -o acme.yaml`,
    )
    .action(async (flags: ExportFlags) => {
      await withStore(flags, async (store) => {
        const document = await exportProvisioning(new SqlProvisioningRepository(store), flags.tenant);
        if (!document) throw new CliError([`no tenant ${flags.tenant}`]);
        const text = stringify(document, { lineWidth: 0 });
        if (flags.output) await writeFile(flags.output, text, { mode: 0o600 });
        else process.stdout.write(text);
      });
    });
}
