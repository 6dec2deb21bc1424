import { Command, CommanderError } from 'commander';
import { SettingsError } from '../settings.js';
import { version } from '../version.js';
import { CliError } from './cli-error.js';
import { registerAccountsCommand } from './commands/accounts.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerBillingCommand } from './commands/billing.js';
import { registerCarriersCommand } from './commands/carriers.js';
import { registerCommuneCommand } from './commands/commune.js';
import { registerDbCommand } from './commands/db.js';
import { registerExportCommand } from './commands/export.js';
import { registerOpenApiCommand } from './commands/openapi.js';
import { registerRatesCommand } from './commands/rates.js';
import { registerStartCommand } from './commands/start.js';

/** The `telekommune` command line. */
export function buildProgram(): Command {
  const program = new Command('telekommune')
    .description('Telekommune: a hosted multi-tenant SIP PBX and the Venture Commune that owns it')
    .version(version, '-v, --version')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune start                       run the PBX, the commune and the API
  $ telekommune apply -f tenants.yaml       create or update tenants
  $ telekommune export --tenant acme        write a tenant back as YAML
  $ telekommune db migrate                  apply database migrations
  $ telekommune accounts create ops --role operator   a console account
  $ telekommune commune summary             the Venture Commune at a glance
  $ telekommune openapi -o openapi.json     the HTTP API description`,
    );
  registerStartCommand(program);
  registerApplyCommand(program);
  registerExportCommand(program);
  registerCarriersCommand(program);
  registerRatesCommand(program);
  registerBillingCommand(program);
  registerCommuneCommand(program);
  registerDbCommand(program);
  registerAccountsCommand(program);
  registerOpenApiCommand(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`${error.lines.join('\n')}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof SettingsError) {
      process.stderr.write(`telekommune: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`telekommune: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
