import { type AccountRole, getMeta, type Store, setMeta } from '@telekommune/store';
import type { AccessServices } from './access-services.js';
import { generatePassword, hashPassword } from './passwords.js';

/** A console sign-in printed once, on the start that created it. */
export interface ConsoleLogin {
  readonly username: string;
  readonly password: string;
  readonly role: AccountRole;
  readonly description: string;
}

async function create(
  access: AccessServices,
  login: Omit<ConsoleLogin, 'password'> & { tenantId?: string; extension?: string },
): Promise<ConsoleLogin | undefined> {
  const password = generatePassword();
  const created = await access.accounts.create({
    username: login.username,
    passwordHash: await hashPassword(password),
    role: login.role,
    tenantId: login.tenantId ?? null,
    extension: login.extension ?? null,
    personId: null,
    displayName: login.description,
  });
  return created.ok
    ? { username: login.username, password, role: login.role, description: login.description }
    : undefined;
}

/**
 * The first start of an installation creates the operator account `admin`
 * with a random password (with or without the demo), so the console can be
 * reached at all; later starts create nothing. With the demo, it also creates
 * the demo tenant's admin and the owner of extension 1001.
 */
export async function seedConsoleLogins(
  store: Store,
  access: AccessServices,
  demoTenant: { readonly id: string; readonly firstExtension: string } | undefined,
): Promise<ConsoleLogin[]> {
  const logins: ConsoleLogin[] = [];
  if ((await getMeta(store, 'console_admin_created_at')) === undefined) {
    const operators = (await access.accounts.list()).filter((a) => a.role === 'operator');
    if (operators.length === 0) {
      const admin = await create(access, {
        username: 'admin',
        role: 'operator',
        description: 'Administrator',
      });
      if (admin) logins.push(admin);
    }
    await setMeta(store, 'console_admin_created_at', new Date().toISOString());
  }
  if (demoTenant) {
    const tenantAdmin = await create(access, {
      username: `${demoTenant.id}-admin`,
      role: 'tenant_admin',
      tenantId: demoTenant.id,
      description: `Administrator of ${demoTenant.id}`,
    });
    if (tenantAdmin) logins.push(tenantAdmin);
    const owner = await create(access, {
      username: `${demoTenant.id}-${demoTenant.firstExtension}`,
      role: 'user',
      tenantId: demoTenant.id,
      extension: demoTenant.firstExtension,
      description: `Owner of extension ${demoTenant.firstExtension}`,
    });
    if (owner) logins.push(owner);
  }
  return logins;
}
