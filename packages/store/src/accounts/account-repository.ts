import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from '../open-store.js';
import type { Account, AccountPatch, NewAccount } from './account.js';
import { isAccountRole } from './account.js';
import type { AccountsTable } from './schema-accounts.js';

export type AccountCreation = { ok: true; account: Account } | { ok: false; code: 'DUPLICATE' };

function toAccount(row: Selectable<AccountsTable>): Account {
  if (!isAccountRole(row.role)) throw new Error(`corrupt account ${row.id}: unknown role ${row.role}`);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    tenantId: row.tenant_id,
    extension: row.extension,
    personId: row.person_id,
    displayName: row.display_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordChangedAt: row.password_changed_at,
  };
}

/** Console accounts. Password hashes go in and are read back only for verification. */
export class SqlAccountRepository {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: NewAccount): Promise<AccountCreation> {
    const stamp = this.now().toISOString();
    const row: Selectable<AccountsTable> = {
      id: randomBytes(8).toString('hex'),
      username: input.username,
      password_hash: input.passwordHash,
      role: input.role,
      tenant_id: input.tenantId,
      extension: input.extension,
      person_id: input.personId,
      display_name: input.displayName,
      created_at: stamp,
      updated_at: stamp,
      password_changed_at: stamp,
    };
    return this.store.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('accounts')
        .select('id')
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (taken) return { ok: false, code: 'DUPLICATE' } as const;
      await trx.insertInto('accounts').values(row).execute();
      return { ok: true, account: toAccount(row) } as const;
    });
  }

  async get(id: string): Promise<Account | undefined> {
    const row = await this.store.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async findByUsername(username: string): Promise<Account | undefined> {
    const row = await this.store.db
      .selectFrom('accounts')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  /** The stored hash, for verifying a password; undefined for an unknown account. */
  async passwordHash(id: string): Promise<string | undefined> {
    const row = await this.store.db
      .selectFrom('accounts')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.password_hash;
  }

  /** Accounts ordered by username; only one tenant's when `tenantId` is given. */
  async list(filter: { readonly tenantId?: string } = {}): Promise<Account[]> {
    let query = this.store.db.selectFrom('accounts').selectAll().orderBy('username');
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    return (await query.execute()).map(toAccount);
  }

  async count(): Promise<number> {
    const row = await this.store.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async update(id: string, patch: AccountPatch): Promise<Account | undefined> {
    const values: Partial<Selectable<AccountsTable>> = { updated_at: this.now().toISOString() };
    if (patch.displayName !== undefined) values.display_name = patch.displayName;
    if (patch.extension !== undefined) values.extension = patch.extension;
    if (patch.personId !== undefined) values.person_id = patch.personId;
    const result = await this.store.db
      .updateTable('accounts')
      .set(values)
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return undefined;
    return this.get(id);
  }

  /** Replaces the password hash; returns false for an unknown account. */
  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const stamp = this.now().toISOString();
    const result = await this.store.db
      .updateTable('accounts')
      .set({ password_hash: passwordHash, password_changed_at: stamp, updated_at: stamp })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes the account with its sessions and tokens (by cascade). */
  async delete(id: string): Promise<boolean> {
    const result = await this.store.db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
