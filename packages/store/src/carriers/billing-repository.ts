import type {
  BalanceEntry,
  BalanceEntryKind,
  BillingRepository,
  RatedCall,
  RevenueBooking,
} from '@telekommune/pbx';
import type { Selectable } from 'kysely';
import { int8ToBigInt, int8ToNumber } from '../int8.js';
import type { Store } from '../open-store.js';
import type { CallChargesTable } from './schema-carriers.js';

const balanceKinds: readonly BalanceEntryKind[] = ['topup', 'adjustment', 'payment'];
/** Most charges one query returns (a month of a busy installation fits). */
const maxCharges = 2_000_000;

/** A SUM over bigint: SQLite answers a number, PostgreSQL a numeric string, both null when empty. */
function sumOf(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  return BigInt(String(value));
}

function toRatedCall(row: Selectable<CallChargesTable>): RatedCall {
  return {
    callId: row.call_id,
    tenantId: row.tenant_id,
    extension: row.extension ?? undefined,
    carrierId: row.carrier_id,
    destination: row.destination,
    destinationName: row.destination_name,
    prefix: row.prefix,
    answeredAt_ms: int8ToNumber(row.answered_at_ms),
    duration_s: row.duration_s,
    billable_s: row.billable_s,
    cost_micro: int8ToBigInt(row.cost_micro),
    price_micro: int8ToBigInt(row.price_micro),
    currency: row.currency,
  };
}

/**
 * Call charges and balance entries. A balance is never stored: it is the sum
 * of entries minus the sum of charged prices, so it cannot drift from them.
 */
export class SqlBillingRepository implements BillingRepository {
  constructor(private readonly store: Store) {}

  async recordCharge(call: RatedCall): Promise<boolean> {
    const result = await this.store.db
      .insertInto('call_charges')
      .values({
        call_id: call.callId,
        tenant_id: call.tenantId,
        extension: call.extension ?? null,
        carrier_id: call.carrierId,
        destination: call.destination,
        destination_name: call.destinationName.slice(0, 120),
        prefix: call.prefix,
        answered_at_ms: call.answeredAt_ms,
        duration_s: call.duration_s,
        billable_s: call.billable_s,
        cost_micro: call.cost_micro.toString(),
        price_micro: call.price_micro.toString(),
        currency: call.currency,
      })
      .onConflict((oc) => oc.column('call_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async addBalanceEntry(entry: BalanceEntry): Promise<void> {
    await this.store.db
      .insertInto('balance_entries')
      .values({
        id: entry.id,
        tenant_id: entry.tenantId,
        at_ms: entry.at_ms,
        kind: entry.kind,
        amount_micro: entry.amount_micro.toString(),
        note: entry.note.slice(0, 200),
      })
      .execute();
  }

  async balance(tenantId: string, before_ms?: number): Promise<bigint> {
    let entries = this.store.db
      .selectFrom('balance_entries')
      .select((eb) => eb.fn.sum<string | number | null>('amount_micro').as('total'))
      .where('tenant_id', '=', tenantId);
    let charges = this.store.db
      .selectFrom('call_charges')
      .select((eb) => eb.fn.sum<string | number | null>('price_micro').as('total'))
      .where('tenant_id', '=', tenantId);
    if (before_ms !== undefined) {
      entries = entries.where('at_ms', '<', before_ms);
      charges = charges.where('answered_at_ms', '<', before_ms);
    }
    const [credit, debit] = await Promise.all([entries.executeTakeFirst(), charges.executeTakeFirst()]);
    return sumOf(credit?.total) - sumOf(debit?.total);
  }

  async charges(query: {
    tenantId?: string;
    from_ms: number;
    to_ms: number;
    limit?: number;
  }): Promise<RatedCall[]> {
    let select = this.store.db
      .selectFrom('call_charges')
      .selectAll()
      .where('answered_at_ms', '>=', query.from_ms)
      .where('answered_at_ms', '<', query.to_ms);
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    const rows = await select
      .orderBy('answered_at_ms')
      .orderBy('call_id')
      .limit(Math.min(query.limit ?? maxCharges, maxCharges))
      .execute();
    return rows.map(toRatedCall);
  }

  async balanceEntries(tenantId: string, from_ms: number, to_ms: number): Promise<BalanceEntry[]> {
    const rows = await this.store.db
      .selectFrom('balance_entries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('at_ms', '>=', from_ms)
      .where('at_ms', '<', to_ms)
      .orderBy('at_ms')
      .orderBy('id')
      .execute();
    return rows.map((row) => {
      const kind = row.kind as BalanceEntryKind;
      if (!balanceKinds.includes(kind)) throw new Error(`corrupt balance entry ${row.id}: kind ${row.kind}`);
      return {
        id: row.id,
        tenantId: row.tenant_id,
        at_ms: int8ToNumber(row.at_ms),
        kind,
        amount_micro: int8ToBigInt(row.amount_micro),
        note: row.note,
      };
    });
  }

  async spendSince(since_ms: number) {
    const rows = await this.store.db
      .selectFrom('call_charges')
      .select((eb) => [
        'tenant_id',
        'extension',
        eb.fn.sum<string | number | null>('price_micro').as('total'),
      ])
      .where('answered_at_ms', '>=', since_ms)
      .groupBy(['tenant_id', 'extension'])
      .execute();
    // Sorted here: the back ends order NULL differently.
    const key = (r: { tenant_id: string; extension: string | null }) =>
      `${r.tenant_id}\u0000${r.extension ?? ''}`;
    return rows
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
      .map((row) => ({
        tenantId: row.tenant_id,
        extension: row.extension ?? undefined,
        price_micro: sumOf(row.total),
      }));
  }

  async revenueBooking(period: string): Promise<RevenueBooking | undefined> {
    const row = await this.store.db
      .selectFrom('revenue_bookings')
      .selectAll()
      .where('period', '=', period)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      period: row.period,
      amount_minor: int8ToBigInt(row.amount_minor),
      currency: row.currency,
      bookedAt: row.booked_at,
      reference: row.reference,
    };
  }

  async saveRevenueBooking(booking: RevenueBooking): Promise<void> {
    await this.store.db
      .insertInto('revenue_bookings')
      .values({
        period: booking.period,
        amount_minor: booking.amount_minor.toString(),
        currency: booking.currency,
        booked_at: booking.bookedAt,
        reference: booking.reference.slice(0, 200),
      })
      .execute();
  }
}
