import type { Binding, Flow, RegistrationRepository } from '@telekommune/pbx';
import type { Statement } from 'better-sqlite3';
import { int8ToNumber } from './int8.js';
import type { Store } from './open-store.js';

type RegistrationRow = [
  tenantId: string,
  aor: string,
  contact: string,
  instanceId: string | null,
  callId: string,
  cseq: number,
  expiresAt_ms: number,
  registeredAt_ms: number,
  q: number | null,
  userAgent: string | null,
  flow: string,
];

/** Registrar bindings in the `registrations` table. */
export class SqlRegistrationRepository implements RegistrationRepository {
  #upsert: Statement<RegistrationRow> | undefined;
  #remove: Statement<[string, string, string]> | undefined;

  constructor(private readonly store: Store) {}

  async loadActive(now_ms: number): Promise<Binding[]> {
    const rows = await this.store.db
      .selectFrom('registrations')
      .selectAll()
      .where('expires_at_ms', '>', now_ms)
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      aor: row.aor,
      contact: row.contact,
      instanceId: row.instance_id ?? undefined,
      callId: row.call_id,
      cseq: int8ToNumber(row.cseq),
      expiresAt_ms: int8ToNumber(row.expires_at_ms),
      registeredAt_ms: int8ToNumber(row.registered_at_ms),
      q: row.q ?? undefined,
      userAgent: row.user_agent ?? undefined,
      flow: JSON.parse(row.flow) as Flow,
    }));
  }

  async applyChanges(
    upserts: readonly Binding[],
    removals: readonly Pick<Binding, 'tenantId' | 'aor' | 'contact'>[],
  ): Promise<void> {
    if (upserts.length === 0 && removals.length === 0) return;
    const sqlite = this.store.sqlite;
    if (sqlite !== undefined) {
      // The registrar flushes thousands of bindings a second under load: one
      // prepared single-row statement per change in one transaction is several
      // times cheaper on SQLite than building and preparing multi-row SQL.
      // Through `connection()`, so another writer's transaction is waited for.
      await this.store.db.connection().execute(async () => {
        this.#upsert ??= sqlite.prepare<RegistrationRow>(
          'insert into registrations (tenant_id, aor, contact, instance_id, call_id, cseq, expires_at_ms, registered_at_ms, q, user_agent, flow)' +
            ' values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, aor, contact) do update set' +
            ' instance_id = excluded.instance_id, call_id = excluded.call_id, cseq = excluded.cseq,' +
            ' expires_at_ms = excluded.expires_at_ms, registered_at_ms = excluded.registered_at_ms, q = excluded.q,' +
            ' user_agent = excluded.user_agent, flow = excluded.flow',
        );
        this.#remove ??= sqlite.prepare<[string, string, string]>(
          'delete from registrations where tenant_id = ? and aor = ? and contact = ?',
        );
        const upsert = this.#upsert;
        const remove = this.#remove;
        sqlite.transaction(() => {
          for (const r of removals) remove.run(r.tenantId, r.aor, r.contact);
          for (const b of upserts) {
            upsert.run(
              b.tenantId,
              b.aor,
              b.contact,
              b.instanceId ?? null,
              b.callId,
              b.cseq,
              b.expiresAt_ms,
              b.registeredAt_ms,
              b.q ?? null,
              b.userAgent ?? null,
              JSON.stringify(b.flow),
            );
          }
        })();
      });
      return;
    }
    await this.store.db.transaction().execute(async (trx) => {
      for (const r of removals) {
        await trx
          .deleteFrom('registrations')
          .where('tenant_id', '=', r.tenantId)
          .where('aor', '=', r.aor)
          .where('contact', '=', r.contact)
          .execute();
      }
      // Batches keep each statement's bind parameters within both engines' limits.
      for (let i = 0; i < upserts.length; i += 200) {
        const values = upserts.slice(i, i + 200).map((b) => ({
          tenant_id: b.tenantId,
          aor: b.aor,
          contact: b.contact,
          instance_id: b.instanceId ?? null,
          call_id: b.callId,
          cseq: b.cseq,
          expires_at_ms: b.expiresAt_ms,
          registered_at_ms: b.registeredAt_ms,
          q: b.q ?? null,
          user_agent: b.userAgent ?? null,
          flow: JSON.stringify(b.flow),
        }));
        await trx
          .insertInto('registrations')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'aor', 'contact']).doUpdateSet((eb) => ({
              instance_id: eb.ref('excluded.instance_id'),
              call_id: eb.ref('excluded.call_id'),
              cseq: eb.ref('excluded.cseq'),
              expires_at_ms: eb.ref('excluded.expires_at_ms'),
              registered_at_ms: eb.ref('excluded.registered_at_ms'),
              q: eb.ref('excluded.q'),
              user_agent: eb.ref('excluded.user_agent'),
              flow: eb.ref('excluded.flow'),
            })),
          )
          .execute();
      }
    });
  }

  async purgeExpired(now_ms: number): Promise<number> {
    const result = await this.store.db
      .deleteFrom('registrations')
      .where('expires_at_ms', '<=', now_ms)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
