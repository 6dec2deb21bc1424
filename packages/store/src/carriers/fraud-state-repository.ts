import type { FraudStateRepository, KnownDestination, Suspension } from '@telekommune/pbx';
import { int8ToNumber } from '../int8.js';
import type { Store } from '../open-store.js';

/** Fraud-guard suspensions and first-called destinations, kept across restarts. */
export class SqlFraudStateRepository implements FraudStateRepository {
  constructor(private readonly store: Store) {}

  async loadSuspensions(): Promise<Suspension[]> {
    const rows = await this.store.db
      .selectFrom('fraud_suspensions')
      .selectAll()
      .orderBy('tenant_id')
      .orderBy('extension')
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      extension: row.extension === '' ? undefined : row.extension,
      reason: row.reason,
      since_ms: int8ToNumber(row.since_ms),
    }));
  }

  async saveSuspension(suspension: Suspension): Promise<void> {
    await this.store.db
      .insertInto('fraud_suspensions')
      .values({
        tenant_id: suspension.tenantId,
        extension: suspension.extension ?? '',
        reason: suspension.reason.slice(0, 400),
        since_ms: suspension.since_ms,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'extension']).doNothing())
      .execute();
  }

  async deleteSuspension(tenantId: string, extension: string | undefined): Promise<void> {
    await this.store.db
      .deleteFrom('fraud_suspensions')
      .where('tenant_id', '=', tenantId)
      .where('extension', '=', extension ?? '')
      .execute();
  }

  async loadKnownDestinations(): Promise<KnownDestination[]> {
    const rows = await this.store.db
      .selectFrom('fraud_destinations')
      .selectAll()
      .orderBy('tenant_id')
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      key: row.destination_key,
      firstCalled_ms: int8ToNumber(row.first_called_ms),
    }));
  }

  async addKnownDestination(destination: KnownDestination): Promise<void> {
    await this.store.db
      .insertInto('fraud_destinations')
      .values({
        tenant_id: destination.tenantId,
        destination_key: destination.key,
        first_called_ms: destination.firstCalled_ms,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'destination_key']).doNothing())
      .execute();
  }
}
