import { type AccountRole, accountRoles, SqlProvisioningRepository } from '@telekommune/store';
import type { Command } from 'commander';
import { createAccessServices } from '../../accounts/access-services.js';
import { checkAccountLinks } from '../../accounts/account-rules.js';
import { usernameSchema } from '../../accounts/account-schemas.js';
import { generatePassword, hashPassword, passwordProblem } from '../../accounts/passwords.js';
import { CliError } from '../cli-error.js';
import { addStorageOptions, type StorageFlags, withStore } from '../storage-options.js';

interface CreateFlags extends StorageFlags {
  readonly role: string;
  readonly tenant?: string;
  readonly extension?: string;
  readonly person?: string;
  readonly name?: string;
  readonly passwordStdin?: boolean;
}

interface PasswdFlags extends StorageFlags {
  readonly passwordStdin?: boolean;
}

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > 4096) throw new CliError(['the password on standard input is longer than 4096 bytes']);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function checkUsername(raw: string): string {
  const parsed = usernameSchema.safeParse(raw);
  if (!parsed.success)
    throw new CliError([`invalid user name "${raw}": ${parsed.error.issues[0]?.message}`], 2);
  return parsed.data;
}

async function choosePassword(
  username: string,
  fromStdin: boolean | undefined,
): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  const password = await readPasswordFromStdin();
  const problem = passwordProblem(password, username);
  if (problem) throw new CliError([`the password is not acceptable: ${problem}`], 2);
  return { password, generated: false };
}

/** `telekommune accounts`: console accounts from the command line (for the first admin, scripts and recovery). */
export function registerAccountsCommand(program: Command): void {
  const accounts = program
    .command('accounts')
    .description('console accounts: create, list, set passwords, delete')
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune accounts list
  $ telekommune accounts create ops2 --role operator --name "Second operator"
  $ telekommune accounts create acme-admin --role tenant_admin --tenant acme
  $ telekommune accounts create alice --role user --tenant acme --extension 1001 --name "Alice"
  $ telekommune accounts passwd admin
  $ telekommune accounts delete alice`,
    );

  addStorageOptions(
    accounts
      .command('create <username>')
      .description('create an account; prints a generated password unless --password-stdin')
      .requiredOption('--role <role>', `one of ${accountRoles.join(', ')}`)
      .option('--tenant <id>', 'the tenant (tenant_admin, user)')
      .option('--extension <number>', 'the extension a user owns')
      .option('--person <id>', 'the commune person a member speaks for')
      .option('--name <display name>', 'the name shown in the console')
      .option('--password-stdin', 'read the password from standard input instead of generating one'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune accounts create ops2 --role operator
  $ telekommune accounts create acme-admin --role tenant_admin --tenant acme
  $ telekommune accounts create alice --role user --tenant acme --extension 1001 --name "Alice Example"
  $ telekommune accounts create m-17 --role member --person p-17
  $ printf '%s' "$PASSWORD" | telekommune accounts create bob --role operator --password-stdin`,
    )
    .action(async (raw: string, flags: CreateFlags) => {
      const username = checkUsername(raw);
      if (!(accountRoles as readonly string[]).includes(flags.role)) {
        throw new CliError([`invalid --role "${flags.role}": expected one of ${accountRoles.join(', ')}`], 2);
      }
      const role = flags.role as AccountRole;
      const links = {
        role,
        tenantId: flags.tenant ?? null,
        extension: flags.extension ?? null,
        personId: flags.person ?? null,
      };
      const { password, generated } = await choosePassword(username, flags.passwordStdin);
      await withStore(flags, async (store) => {
        const issues = checkAccountLinks(links, await new SqlProvisioningRepository(store).listTenants());
        if (issues.length > 0)
          throw new CliError(
            issues.map((i) => `${i.path}: ${i.message}`),
            2,
          );
        const created = await createAccessServices(store).accounts.create({
          ...links,
          username,
          passwordHash: await hashPassword(password),
          displayName: flags.name ?? username,
        });
        if (!created.ok) throw new CliError([`the user name ${username} is taken`]);
        process.stdout.write(`created ${role} account ${username}\n`);
        if (generated) process.stdout.write(`password: ${password}\n`);
      });
    });

  addStorageOptions(
    accounts
      .command('list')
      .description('list accounts')
      .option('--tenant <id>', "only this tenant's accounts"),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ telekommune accounts list\n  $ telekommune accounts list --tenant acme',
    )
    .action(async (flags: StorageFlags & { tenant?: string }) => {
      await withStore(flags, async (store) => {
        const list = await createAccessServices(store).accounts.list(
          flags.tenant === undefined ? {} : { tenantId: flags.tenant },
        );
        if (list.length === 0) {
          process.stdout.write('no accounts\n');
          return;
        }
        for (const a of list) {
          const link = [a.tenantId, a.extension, a.personId && `person ${a.personId}`]
            .filter(Boolean)
            .join(' ');
          process.stdout.write(
            `${a.username.padEnd(24)} ${a.role.padEnd(13)} ${link.padEnd(24)} ${a.displayName}\n`,
          );
        }
      });
    });

  addStorageOptions(
    accounts
      .command('passwd <username>')
      .description("set a new password (generated unless --password-stdin) and end the account's sessions")
      .option('--password-stdin', 'read the password from standard input instead of generating one'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ telekommune accounts passwd admin\n  $ printf \'%s\' "$NEW" | telekommune accounts passwd admin --password-stdin',
    )
    .action(async (raw: string, flags: PasswdFlags) => {
      const username = checkUsername(raw);
      const { password, generated } = await choosePassword(username, flags.passwordStdin);
      await withStore(flags, async (store) => {
        const access = createAccessServices(store);
        const account = await access.accounts.findByUsername(username);
        if (!account) throw new CliError([`no account ${username}`]);
        await access.accounts.setPasswordHash(account.id, await hashPassword(password));
        const ended = await access.sessions.deleteForAccount(account.id);
        process.stdout.write(`password of ${username} changed; ${ended} session(s) ended\n`);
        if (generated) process.stdout.write(`password: ${password}\n`);
      });
    });

  addStorageOptions(
    accounts.command('delete <username>').description('delete an account with its sessions and tokens'),
  )
    .addHelpText('after', '\nExamples:\n  $ telekommune accounts delete alice')
    .action(async (raw: string, flags: StorageFlags) => {
      const username = checkUsername(raw);
      await withStore(flags, async (store) => {
        const access = createAccessServices(store);
        const account = await access.accounts.findByUsername(username);
        if (!account) throw new CliError([`no account ${username}`]);
        if (account.role === 'operator') {
          const operators = (await access.accounts.list()).filter((a) => a.role === 'operator');
          if (operators.length <= 1) throw new CliError(['the last operator account cannot be deleted']);
        }
        await access.accounts.delete(account.id);
        process.stdout.write(`deleted ${username}\n`);
      });
    });
}
