import type { CarrierConfig, ExtensionConfig, ProvisioningRepository, TenantConfig } from '@telekommune/pbx';
import { sql } from 'kysely';
import { listCarrierRows, loadDidRows, replaceDidRows, saveCarrierRows } from './carriers/carrier-rows.js';
import type { Store } from './open-store.js';

function parseSettings(text: string, where: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`corrupt settings for ${where}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

function tenantSettings(tenant: TenantConfig): string {
  const { id: _id, name: _name, domain: _domain, extensions: _extensions, dids: _dids, ...settings } = tenant;
  return JSON.stringify(settings);
}

function extensionSettings(extension: ExtensionConfig): string {
  const { number: _number, name: _name, password: _password, ...settings } = extension;
  return JSON.stringify(settings);
}

/** Tenants and extensions as rows; feature settings as JSON the pbx schema validates. */
export class SqlProvisioningRepository implements ProvisioningRepository {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async listTenants(): Promise<TenantConfig[]> {
    const db = this.store.db;
    const tenants = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
    const extensions = await db
      .selectFrom('extensions')
      .selectAll()
      .orderBy('tenant_id')
      .orderBy('number')
      .execute();
    const byTenant = new Map<string, ExtensionConfig[]>();
    for (const row of extensions) {
      const list = byTenant.get(row.tenant_id) ?? [];
      list.push({
        ...parseSettings(row.settings, `extension ${row.tenant_id}/${row.number}`),
        number: row.number,
        name: row.name,
        password: row.password,
      } as ExtensionConfig);
      byTenant.set(row.tenant_id, list);
    }
    const dids = await loadDidRows(db);
    return tenants.map(
      (row) =>
        ({
          ...parseSettings(row.settings, `tenant ${row.id}`),
          id: row.id,
          name: row.name,
          domain: row.domain,
          extensions: byTenant.get(row.id) ?? [],
          ...(dids.has(row.id) ? { dids: dids.get(row.id) } : {}),
        }) as TenantConfig,
    );
  }

  async saveTenants(
    tenants: readonly TenantConfig[],
    carriers: readonly CarrierConfig[] = [],
  ): Promise<void> {
    if (tenants.length === 0 && carriers.length === 0) return;
    const stamp = this.now().toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      // Domains may move between the tenants being saved: clear them first so the unique index holds.
      for (const tenant of tenants) {
        await trx
          .updateTable('tenants')
          .set({ domain: sql<string>`'~' || id` })
          .where('id', '=', tenant.id)
          .execute();
      }
      for (const tenant of tenants) {
        const values = {
          name: tenant.name,
          domain: tenant.domain,
          settings: tenantSettings(tenant),
          updated_at: stamp,
        };
        const updated = await trx
          .updateTable('tenants')
          .set(values)
          .where('id', '=', tenant.id)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) {
          await trx
            .insertInto('tenants')
            .values({ id: tenant.id, ...values, created_at: stamp })
            .execute();
        }
        const existing = await trx
          .selectFrom('extensions')
          .select(['number', 'name', 'password', 'settings'])
          .where('tenant_id', '=', tenant.id)
          .execute();
        const before = new Map(existing.map((row) => [row.number, row]));
        const wanted = new Set(tenant.extensions.map((e) => e.number));
        const removed = existing.filter((row) => !wanted.has(row.number)).map((row) => row.number);
        if (removed.length > 0) {
          await trx
            .deleteFrom('extensions')
            .where('tenant_id', '=', tenant.id)
            .where('number', 'in', removed)
            .execute();
        }
        for (const extension of tenant.extensions) {
          const row = {
            name: extension.name,
            password: extension.password,
            settings: extensionSettings(extension),
          };
          const old = before.get(extension.number);
          if (!old) {
            await trx
              .insertInto('extensions')
              .values({
                tenant_id: tenant.id,
                number: extension.number,
                ...row,
                created_at: stamp,
                updated_at: stamp,
              })
              .execute();
          } else if (
            old.name !== row.name ||
            old.password !== row.password ||
            old.settings !== row.settings
          ) {
            await trx
              .updateTable('extensions')
              .set({ ...row, updated_at: stamp })
              .where('tenant_id', '=', tenant.id)
              .where('number', '=', extension.number)
              .execute();
          }
        }
      }
      await replaceDidRows(trx, tenants, stamp);
      await saveCarrierRows(trx, carriers, stamp);
      await trx
        .updateTable('config_revision')
        .set({ revision: sql<number>`revision + 1` })
        .where('id', '=', 1)
        .execute();
    });
  }

  async listCarriers(): Promise<CarrierConfig[]> {
    return listCarrierRows(this.store.db);
  }

  async deleteCarrier(id: string): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('carriers').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx
        .updateTable('config_revision')
        .set({ revision: sql<number>`revision + 1` })
        .where('id', '=', 1)
        .execute();
      return true;
    });
  }

  async deleteTenant(id: string): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx
        .updateTable('config_revision')
        .set({ revision: sql<number>`revision + 1` })
        .where('id', '=', 1)
        .execute();
      return true;
    });
  }

  async configRevision(): Promise<number> {
    const row = await this.store.db
      .selectFrom('config_revision')
      .select('revision')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.revision);
  }
}
