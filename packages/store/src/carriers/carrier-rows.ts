import { type CarrierConfig, carrierConfigSchema, type DidConfig, type TenantConfig } from '@telekommune/pbx';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

/** A DID that a save would take from a tenant it does not touch. */
export class DidConflictError extends Error {
  override readonly name = 'DidConflictError';
  constructor(
    readonly number: string,
    readonly owner: string,
  ) {
    super(`DID ${number} belongs to tenant ${owner}`);
  }
}

export async function listCarrierRows(db: Kysely<Database>): Promise<CarrierConfig[]> {
  const rows = await db.selectFrom('carriers').select(['id', 'config']).orderBy('id').execute();
  return rows.map((row) => {
    const parsed = carrierConfigSchema.safeParse(JSON.parse(row.config));
    if (!parsed.success) throw new Error(`corrupt carrier ${row.id}: ${parsed.error.message}`);
    return parsed.data;
  });
}

export async function saveCarrierRows(
  trx: Transaction<Database>,
  carriers: readonly CarrierConfig[],
  stamp: string,
): Promise<void> {
  for (const carrier of carriers) {
    const values = { name: carrier.name, config: JSON.stringify(carrier), updated_at: stamp };
    const updated = await trx
      .updateTable('carriers')
      .set(values)
      .where('id', '=', carrier.id)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      await trx
        .insertInto('carriers')
        .values({ id: carrier.id, ...values, created_at: stamp })
        .execute();
    }
  }
}

/** Every tenant's DIDs, sorted by number. */
export async function loadDidRows(db: Kysely<Database>): Promise<Map<string, DidConfig[]>> {
  const rows = await db.selectFrom('dids').selectAll().orderBy('number').execute();
  const byTenant = new Map<string, DidConfig[]>();
  for (const row of rows) {
    const list = byTenant.get(row.tenant_id) ?? [];
    list.push({
      number: row.number,
      destination: row.destination,
      ...(row.name !== null ? { name: row.name } : {}),
    });
    byTenant.set(row.tenant_id, list);
  }
  return byTenant;
}

const chunk = 500;

/**
 * Makes the DID rows of these tenants match their configs. A DID held by a
 * tenant outside the save is a `DidConflictError` (the caller's transaction
 * rolls back); the primary key is the final guard.
 */
export async function replaceDidRows(
  trx: Transaction<Database>,
  tenants: readonly TenantConfig[],
  stamp: string,
): Promise<void> {
  const ids = tenants.map((t) => t.id);
  const wanted = tenants.flatMap((t) => (t.dids ?? []).map((did) => ({ tenant: t.id, did })));
  for (let i = 0; i < wanted.length; i += chunk) {
    const numbers = wanted.slice(i, i + chunk).map((w) => w.did.number);
    const taken = await trx
      .selectFrom('dids')
      .select(['number', 'tenant_id'])
      .where('number', 'in', numbers)
      .where('tenant_id', 'not in', ids)
      .executeTakeFirst();
    if (taken) throw new DidConflictError(taken.number, taken.tenant_id);
  }
  const before = new Map<
    string,
    { tenant_id: string; destination: string; name: string | null; created_at: string }
  >();
  for (let i = 0; i < ids.length; i += chunk) {
    const rows = await trx
      .selectFrom('dids')
      .select(['number', 'tenant_id', 'destination', 'name', 'created_at'])
      .where('tenant_id', 'in', ids.slice(i, i + chunk))
      .execute();
    for (const row of rows) before.set(row.number, row);
  }
  if (before.size > 0) {
    for (let i = 0; i < ids.length; i += chunk) {
      await trx
        .deleteFrom('dids')
        .where('tenant_id', 'in', ids.slice(i, i + chunk))
        .execute();
    }
  }
  for (let i = 0; i < wanted.length; i += chunk) {
    await trx
      .insertInto('dids')
      .values(
        wanted.slice(i, i + chunk).map(({ tenant, did }) => {
          const old = before.get(did.number);
          const same =
            old !== undefined &&
            old.tenant_id === tenant &&
            old.destination === did.destination &&
            old.name === (did.name ?? null);
          return {
            number: did.number,
            tenant_id: tenant,
            destination: did.destination,
            name: did.name ?? null,
            created_at: old?.created_at ?? stamp,
            updated_at: same ? (old?.created_at ?? stamp) : stamp,
          };
        }),
      )
      .execute();
  }
}
