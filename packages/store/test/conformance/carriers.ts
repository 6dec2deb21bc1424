import {
  applyProvisioning,
  exportProvisioning,
  type ProvisioningDocument,
  parseRateDeck,
  type RatedCall,
  type RateTable,
  validateProvisioningDocument,
} from '@telekommune/pbx';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SqlBillingRepository,
  SqlFraudStateRepository,
  SqlProvisioningRepository,
  SqlRateDeckRepository,
} from '../../src/index.js';
import type { StoreFactory } from '../fresh-store.js';

function documentOf(input: unknown): ProvisioningDocument {
  const checked = validateProvisioningDocument(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
}

const berlin = {
  id: 'berlin',
  name: 'Berlin',
  domain: 'berlin.test',
  country: 'DE',
  dialPlan: { areaCode: '30', callerId: '030 1234567' },
  extensions: [
    {
      number: '1001',
      name: 'Alice',
      password: 'secret-1001',
      outbound: { class: 'international', callerId: '+49 30 1234567' },
      fraud: { maxConcurrentCalls: 1 },
    },
  ],
  dids: [
    { number: '+44 20 7946 0958', destination: 'extension:1001', name: 'London' },
    { number: '030 1234567', destination: '1001' },
  ],
  fraud: { maxSpendPerDay: '10.00', blockedPrefixes: ['+53'] },
  billing: { mode: 'prepaid', marginPercent: '20' },
};

const carriers = [
  {
    id: 'alpha',
    name: 'Alpha Telecom',
    host: 'sip.alpha.example',
    auth: { mode: 'register', username: 'acct', password: 'p@ss word' },
    numberFormat: 'national',
    country: 'DE',
  },
  { id: 'beta', name: 'Beta', host: '192.0.2.10', port: 5080, auth: { mode: 'ip', allow: ['192.0.2.0/24'] } },
];

async function deck(csv: string): Promise<RateTable> {
  const parsed = await parseRateDeck(csv);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.table;
}

const charge = (callId: string, extra: Partial<RatedCall> = {}): RatedCall => ({
  callId,
  tenantId: 'berlin',
  extension: '1001',
  carrierId: 'alpha',
  destination: '+442079460958',
  destinationName: 'UK',
  prefix: '44',
  answeredAt_ms: Date.UTC(2025, 0, 10),
  duration_s: 30,
  billable_s: 60,
  cost_micro: 8_000n,
  price_micro: 9_600n,
  currency: 'EUR',
  ...extra,
});

/** Carriers, DIDs, rate decks, charges and fraud state: what every back end must do the same way. */
export function carriersConformance(factory: StoreFactory): void {
  describe(`carriers, numbers and rating on ${factory.name}`, () => {
    afterAll(() => factory.cleanup());

    it('applies carriers and DIDs, exports them in E.164, and the export applies back unchanged', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      const first = await applyProvisioning(documentOf({ tenants: [berlin], carriers }), repo);
      expect(first).toMatchObject({
        ok: true,
        plan: [{ tenantId: 'berlin', action: 'create' }],
        carriers: [
          { carrierId: 'alpha', action: 'create' },
          { carrierId: 'beta', action: 'create' },
        ],
      });
      const exported = await exportProvisioning(repo);
      expect(exported?.tenants[0]?.dids).toEqual([
        { number: '+442079460958', destination: 'extension:1001', name: 'London' },
        { number: '+49301234567', destination: 'extension:1001' },
      ]);
      expect(exported?.tenants[0]?.dialPlan).toEqual({ areaCode: '30', callerId: '+49301234567' });
      expect(exported?.carriers?.map((c) => [c.id, c.port, c.transport])).toEqual([
        ['alpha', 5060, 'udp'],
        ['beta', 5080, 'udp'],
      ]);
      const revision = await repo.configRevision();
      const again = await applyProvisioning(documentOf(JSON.parse(JSON.stringify(exported))), repo);
      expect(again).toMatchObject({
        ok: true,
        plan: [{ action: 'unchanged' }],
        carriers: [{ action: 'unchanged' }, { action: 'unchanged' }],
      });
      expect(await repo.configRevision()).toBe(revision);
    });

    it('updates and deletes carriers; DIDs follow their tenant', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      await applyProvisioning(documentOf({ tenants: [berlin], carriers }), repo);
      const changed = await applyProvisioning(
        documentOf({
          tenants: [{ ...berlin, dids: [berlin.dids[1]] }],
          carriers: [{ ...carriers[1], maxCalls: 5 }],
        }),
        repo,
      );
      expect(changed).toMatchObject({ ok: true, carriers: [{ carrierId: 'beta', action: 'update' }] });
      expect((await repo.listCarriers()).map((c) => [c.id, c.maxCalls])).toEqual([
        ['alpha', 30],
        ['beta', 5],
      ]);
      expect((await repo.listTenants())[0]?.dids?.map((d) => d.number)).toEqual(['+49301234567']);
      expect(await repo.deleteCarrier('alpha')).toBe(true);
      expect(await repo.deleteCarrier('alpha')).toBe(false);
      expect(await repo.deleteTenant('berlin')).toBe(true);
      expect(await repo.listTenants()).toEqual([]);
    });

    it('keeps a DID with one tenant: a clear apply error, and the store refuses it too', async () => {
      const repo = new SqlProvisioningRepository(await factory.open());
      await applyProvisioning(documentOf({ tenants: [berlin] }), repo);
      const thief = {
        id: 'thief',
        name: 'Thief',
        domain: 'thief.test',
        dids: [{ number: '+442079460958', destination: 'hangup' }],
      };
      const outcome = await applyProvisioning(documentOf({ tenants: [thief] }), repo);
      expect(outcome).toEqual({
        ok: false,
        issues: [
          { path: 'tenants[0].dids[0].number', message: 'DID +442079460958 belongs to tenant berlin' },
        ],
      });
      await expect(repo.saveTenants([documentOf({ tenants: [thief] }).tenants[0]!])).rejects.toThrow(
        'DID +442079460958 belongs to tenant berlin',
      );
      expect((await repo.listTenants()).map((t) => t.id)).toEqual(['berlin']);
      // Moving a DID between two tenants of one document is fine.
      const moved = await applyProvisioning(
        documentOf({ tenants: [{ ...berlin, dids: [berlin.dids[1]] }, thief] }),
        repo,
      );
      expect(moved.ok).toBe(true);
      expect((await repo.listTenants()).map((t) => [t.id, t.dids?.map((d) => d.number)])).toEqual([
        ['berlin', ['+49301234567']],
        ['thief', ['+442079460958']],
      ]);
    });

    it('replaces a rate deck atomically and loads it back exactly', async () => {
      const store = await factory.open();
      const decks = new SqlRateDeckRepository(store);
      const owner = { kind: 'carrier', id: 'alpha' } as const;
      const v1 = await deck(
        'prefix,destination,rate_per_minute,connect_fee,billing_increment,effective_from\n49,Germany,0.0100,0.005,30/6,2025-01-01\n44,"UK, all",0.0123,0,1/1,\n',
      );
      const info = await decks.replaceDeck(
        { owner, currency: 'EUR', sha256: 'a'.repeat(64), source: 'v1.csv', importedAt: '' },
        v1,
      );
      expect(info).toMatchObject({ rows: 2, currency: 'EUR', source: 'v1.csv' });
      const loaded = await decks.loadDeck(owner);
      expect([...(loaded?.table.rows() ?? [])]).toEqual([...v1.rows()]);
      const v2 = await deck('prefix,destination,rate_per_minute\n1,USA,0.002\n');
      await decks.replaceDeck(
        { owner, currency: 'EUR', sha256: 'b'.repeat(64), source: 'v2.csv', importedAt: '' },
        v2,
      );
      expect([...((await decks.loadDeck(owner))?.table.rows() ?? [])].map((r) => r.prefix)).toEqual(['1']);
      // A replacement that fails half-way (after its rows are written) leaves v2 in place.
      const v3 = await deck('prefix,destination,rate_per_minute\n33,France,0.01\n');
      await expect(
        decks.replaceDeck(
          { owner, currency: 'EUR', sha256: 'c'.repeat(64), source: 'bad.csv', importedAt: '' },
          v3,
          () => {
            throw new Error('disk full');
          },
        ),
      ).rejects.toThrow('disk full');
      expect((await decks.listDecks()).map((d) => [d.owner.id, d.source, d.rows])).toEqual([
        ['alpha', 'v2.csv', 1],
      ]);
      expect([...((await decks.loadDeck(owner))?.table.rows() ?? [])].map((r) => r.prefix)).toEqual(['1']);
      expect(await decks.deleteDeck(owner)).toBe(true);
      expect(await decks.loadDeck(owner)).toBeUndefined();
    });

    it('loads a deck larger than one read page', async () => {
      const decks = new SqlRateDeckRepository(await factory.open());
      const lines = ['prefix,destination,rate_per_minute'];
      for (let i = 0; i < 60_001; i++)
        lines.push(`${1_000_000 + i},D${i % 7},0.${String(i % 1000).padStart(3, '0')}`);
      const table = await deck(`${lines.join('\n')}\n`);
      const owner = { kind: 'pricelist', id: 'retail' } as const;
      await decks.replaceDeck(
        { owner, currency: 'EUR', sha256: 'd'.repeat(64), source: 'big.csv', importedAt: '' },
        table,
      );
      const loaded = await decks.loadDeck(owner);
      expect(loaded?.table.size).toBe(60_001);
      expect(loaded?.table.row(60_000)).toEqual(table.row(60_000));
    });

    it('records each charge once and derives balances, periods and spend from entries and charges', async () => {
      const billing = new SqlBillingRepository(await factory.open());
      expect(await billing.recordCharge(charge('c1'))).toBe(true);
      expect(await billing.recordCharge(charge('c1'))).toBe(false);
      await billing.recordCharge(
        charge('c2', { answeredAt_ms: Date.UTC(2025, 1, 1), price_micro: 400n, extension: undefined }),
      );
      await billing.recordCharge(charge('c3', { tenantId: 'other', price_micro: 1n }));
      await billing.addBalanceEntry({
        id: 'e1',
        tenantId: 'berlin',
        at_ms: Date.UTC(2025, 0, 1),
        kind: 'topup',
        amount_micro: 10_000_000n,
        note: 'top-up',
      });
      expect(await billing.balance('berlin')).toBe(10_000_000n - 9_600n - 400n);
      expect(await billing.balance('berlin', Date.UTC(2025, 1, 1))).toBe(10_000_000n - 9_600n);
      expect(await billing.balance('nobody')).toBe(0n);
      const january = await billing.charges({
        tenantId: 'berlin',
        from_ms: Date.UTC(2025, 0, 1),
        to_ms: Date.UTC(2025, 1, 1),
      });
      expect(january).toEqual([charge('c1')]);
      expect(
        (await billing.charges({ from_ms: 0, to_ms: Date.UTC(2030, 0, 1) })).map((c) => c.callId),
      ).toEqual(['c1', 'c3', 'c2']);
      expect(await billing.balanceEntries('berlin', 0, Date.UTC(2030, 0, 1))).toEqual([
        {
          id: 'e1',
          tenantId: 'berlin',
          at_ms: Date.UTC(2025, 0, 1),
          kind: 'topup',
          amount_micro: 10_000_000n,
          note: 'top-up',
        },
      ]);
      expect(await billing.spendSince(Date.UTC(2025, 0, 1))).toEqual([
        { tenantId: 'berlin', extension: undefined, price_micro: 400n },
        { tenantId: 'berlin', extension: '1001', price_micro: 9_600n },
        { tenantId: 'other', extension: '1001', price_micro: 1n },
      ]);
      expect(await billing.revenueBooking('2025-01')).toBeUndefined();
      const booking = {
        period: '2025-01',
        amount_minor: 1n,
        currency: 'EUR',
        bookedAt: '2025-02-01T00:00:00.000Z',
        reference: 'tx-1',
      };
      await billing.saveRevenueBooking(booking);
      expect(await billing.revenueBooking('2025-01')).toEqual(booking);
      await expect(billing.saveRevenueBooking(booking)).rejects.toThrow();
    });

    it('keeps fraud suspensions and first-called destinations', async () => {
      const fraud = new SqlFraudStateRepository(await factory.open());
      await fraud.saveSuspension({ tenantId: 'berlin', extension: undefined, reason: 'spend', since_ms: 5 });
      await fraud.saveSuspension({ tenantId: 'berlin', extension: '1001', reason: 'burst', since_ms: 6 });
      await fraud.saveSuspension({ tenantId: 'berlin', extension: '1001', reason: 'again', since_ms: 7 });
      expect(await fraud.loadSuspensions()).toEqual([
        { tenantId: 'berlin', extension: undefined, reason: 'spend', since_ms: 5 },
        { tenantId: 'berlin', extension: '1001', reason: 'burst', since_ms: 6 },
      ]);
      await fraud.deleteSuspension('berlin', undefined);
      expect((await fraud.loadSuspensions()).map((s) => s.extension)).toEqual(['1001']);
      await fraud.addKnownDestination({ tenantId: 'berlin', key: '44', firstCalled_ms: 100 });
      await fraud.addKnownDestination({ tenantId: 'berlin', key: '44', firstCalled_ms: 200 });
      expect(await fraud.loadKnownDestinations()).toEqual([
        { tenantId: 'berlin', key: '44', firstCalled_ms: 100 },
      ]);
    });
  });
}
