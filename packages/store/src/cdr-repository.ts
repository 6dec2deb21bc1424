import type { CallDirection, Cdr, CdrQuery, CdrRepository, Disposition, HangupSide } from '@telekommune/pbx';
import { int8ToBigInt, int8ToNumber } from './int8.js';
import type { Store } from './open-store.js';

/** Call detail records in the `cdrs` table. */
export class SqlCdrRepository implements CdrRepository {
  constructor(private readonly store: Store) {}

  async insert(cdr: Cdr): Promise<void> {
    await this.store.db.insertInto('cdrs').values(toRow(cdr)).execute();
  }

  async insertMany(cdrs: readonly Cdr[]): Promise<void> {
    if (cdrs.length === 0) return;
    await this.store.db.transaction().execute(async (trx) => {
      // 50 rows of 20 columns stay well inside both engines' bind-parameter limits.
      for (let i = 0; i < cdrs.length; i += 50) {
        await trx
          .insertInto('cdrs')
          .values(cdrs.slice(i, i + 50).map(toRow))
          .execute();
      }
    });
  }

  async query(query: CdrQuery): Promise<Cdr[]> {
    return queryCdrs(this.store, query);
  }
}

function toRow(cdr: Cdr) {
  return {
    id: cdr.id,
    tenant_id: cdr.tenantId,
    call_id: cdr.callId,
    direction: cdr.direction,
    caller: cdr.caller,
    caller_name: cdr.callerName ?? null,
    callee: cdr.callee,
    answered_by: cdr.answeredBy ?? null,
    did: cdr.did ?? null,
    carrier_id: cdr.carrierId ?? null,
    started_at_ms: cdr.startedAt_ms,
    answered_at_ms: cdr.answeredAt_ms ?? null,
    ended_at_ms: cdr.endedAt_ms,
    disposition: cdr.disposition,
    hangup_side: cdr.hangupSide ?? null,
    sip_status: cdr.sipStatus,
    forwarding_path: JSON.stringify(cdr.forwardingPath),
    cost_minor: cdr.cost_minor ?? null,
    price_minor: cdr.price_minor ?? null,
    currency: cdr.currency ?? null,
  };
}

async function queryCdrs(store: Store, query: CdrQuery): Promise<Cdr[]> {
  let q = store.db.selectFrom('cdrs').selectAll();
  if (query.tenantId !== undefined) q = q.where('tenant_id', '=', query.tenantId);
  if (query.from_ms !== undefined) q = q.where('started_at_ms', '>=', query.from_ms);
  if (query.to_ms !== undefined) q = q.where('started_at_ms', '<', query.to_ms);
  if (query.before_ms !== undefined) q = q.where('started_at_ms', '<', query.before_ms);
  if (query.disposition !== undefined) q = q.where('disposition', '=', query.disposition);
  if (query.direction !== undefined) q = q.where('direction', '=', query.direction);
  const number = query.number;
  if (number !== undefined)
    q = q.where((eb) => eb.or([eb('caller', '=', number), eb('callee', '=', number)]));
  const rows = await q.orderBy('started_at_ms', 'desc').orderBy('id').limit(query.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    callId: row.call_id,
    direction: row.direction as CallDirection,
    caller: row.caller,
    callerName: row.caller_name ?? undefined,
    callee: row.callee,
    answeredBy: row.answered_by ?? undefined,
    did: row.did ?? undefined,
    carrierId: row.carrier_id ?? undefined,
    startedAt_ms: int8ToNumber(row.started_at_ms),
    answeredAt_ms: row.answered_at_ms === null ? undefined : int8ToNumber(row.answered_at_ms),
    endedAt_ms: int8ToNumber(row.ended_at_ms),
    disposition: row.disposition as Disposition,
    hangupSide: (row.hangup_side ?? undefined) as HangupSide | undefined,
    sipStatus: row.sip_status,
    forwardingPath: JSON.parse(row.forwarding_path) as string[],
    cost_minor: row.cost_minor === null ? undefined : int8ToBigInt(row.cost_minor),
    price_minor: row.price_minor === null ? undefined : int8ToBigInt(row.price_minor),
    currency: row.currency ?? undefined,
  }));
}
