import { createResponse, sipUri } from '@telekommune/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { carrierConfigSchema } from '../../carriers/carrier-config.js';
import { CarrierSources } from '../../carriers/carrier-source.js';
import { CarrierStatusBoard } from '../../carriers/carrier-status.js';
import type { Cdr } from '../../cdr/cdr.js';
import { TenantDirectory } from '../../directory/tenant-directory.js';
import { type FraudCall, FraudGuard } from '../../fraud/fraud-guard.js';
import { fraudPolicyOf } from '../../fraud/fraud-policy.js';
import { DidDirectory } from '../../numbering/did-directory.js';
import { tenantConfigSchema } from '../../provisioning/tenant-config.js';
import type { RateDeckInfo, RateDeckRepository } from '../../rating/billing-repository.js';
import type { BillingService } from '../../rating/billing-service.js';
import { RateDeckCache } from '../../rating/rate-deck-cache.js';
import type { B2buaCall } from '../b2bua-call.js';
import type { CarrierServices } from './carrier-services.js';
import { SipTrunks } from './sip-trunks.js';

const tenant = tenantConfigSchema.parse({
  id: 'acme',
  name: 'ACME',
  domain: 'acme.test',
  country: 'DE',
  extensions: [{ number: '1001', name: 'A', password: 'secret-1001', outbound: { class: 'international' } }],
  fraud: { maxSpendPerDay: '1.00' },
});
const carrier = carrierConfigSchema.parse({
  id: 'dear',
  name: 'Dear',
  host: '192.0.2.1',
  auth: { mode: 'ip', allow: ['192.0.2.1'] },
});
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Rate decks held in memory only. */
const memoryDecks: RateDeckRepository = {
  async replaceDeck(info, table) {
    return { ...info, id: 'd1', rows: table.size } as RateDeckInfo;
  },
  loadDeck: async () => undefined,
  listDecks: async () => [],
  deleteDeck: async () => false,
};

async function setup() {
  const decks = new RateDeckCache(memoryDecks);
  // 6.00 a minute, by the second: 0.10 a second.
  const imported = await decks.importCsv(
    { kind: 'carrier', id: 'dear' },
    'prefix,destination,rate_per_minute,connect_fee,billing_increment\n44,United Kingdom,6.00,0,1/1\n',
    { currency: 'EUR', source: 'dear.csv' },
  );
  if (!imported.ok) throw new Error('deck did not import');
  const cutListeners: ((ids: readonly string[], reason: string) => void)[] = [];
  const fraud = new FraudGuard(() => fraudPolicyOf(tenant), {
    alerts: { alert() {} },
    cut: (ids, reason) => {
      for (const listener of cutListeners) listener(ids, reason);
    },
  });
  const charged: unknown[] = [];
  const billing = {
    currencyOf: () => 'EUR',
    async chargeCall(call: unknown) {
      charged.push(call);
      return {
        kind: 'charged',
        rated: { cost_micro: 1_000_004n, price_micro: 1_200_005n, currency: 'EUR' },
      };
    },
  } as unknown as BillingService;
  const board = new CarrierStatusBoard();
  const services: CarrierServices = {
    board,
    decks,
    billing,
    fraud,
    carriers: () => [carrier],
    sources: () => new CarrierSources([carrier]),
    dids: () => new DidDirectory([tenant]),
    onCut: (listener) => cutListeners.push(listener),
  };
  const hungUp: string[] = [];
  const call = {
    id: 'call-1',
    tenant,
    hangup: (side: string) => hungUp.push(side),
  } as unknown as B2buaCall;
  const trunks = new SipTrunks({
    services,
    transport: () => ({
      request: async (request) => createResponse(request, 200),
      contactUri: () => sipUri({ host: '203.0.113.5', port: 5060 }),
    }),
    directory: () => new TenantDirectory([tenant]),
    calls: () => [call],
    logger: silent,
    accrual_ms: 5_000,
  });
  return { trunks, fraud, board, hungUp, charged };
}

/** An outside call the trunks answered at `answeredAt_ms`, as OutsideCalls leaves it. */
function answered(trunks: SipTrunks, fraud: FraudGuard, board: CarrierStatusBoard, answeredAt_ms: number) {
  const fraudCall: FraudCall = {
    callId: 'call-1',
    tenantId: 'acme',
    extension: '1001',
    e164: '+442079460958',
    numberClass: 'international',
  };
  fraud.callStarted(fraudCall);
  board.tryAcquire('dear', carrier.maxCalls);
  trunks.book.of('call-1').outbound = {
    tenant,
    number: '+442079460958',
    emergency: false,
    extension: '1001',
    carrierId: 'dear',
    fraudCall,
    answeredAt_ms,
    accrued_micro: 0n,
    releaseSlot: () => board.release('dear'),
    limitTimer: undefined,
  };
}

describe('SipTrunks while an outside call lasts', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('reports cost as the call goes, and the fraud guard cuts it at the spend limit', async () => {
    const { trunks, fraud, board, hungUp } = await setup();
    trunks.start();
    answered(trunks, fraud, board, Date.now());
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fraud.usage('acme').spentToday_micro).toBe(500_000n);
    expect(hungUp).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    // 15 s at 0.10 = 1.50 > 1.00 a day: the tenant is suspended and its call hung up by the PBX.
    expect(hungUp).toEqual(['system']);
    expect(fraud.listSuspensions('acme')).toHaveLength(1);
    await trunks.close();
  });

  it('closes the record of a call that vanished without a CDR, giving its slot back', async () => {
    const { trunks, board } = await setup();
    trunks.start();
    board.tryAcquire('dear', carrier.maxCalls);
    trunks.book.of('ghost').inbound = {
      carrierId: 'dear',
      did: '+49301234567',
      release: () => board.release('dear'),
    };
    await vi.advanceTimersByTimeAsync(5_000);
    expect(board.activeCalls('dear')).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(board.activeCalls('dear')).toBe(0);
    expect(trunks.book.get('ghost')).toBeUndefined();
    await trunks.close();
  });

  it('completes the CDR: slot back, call closed at the guard, charged once, cost and price in minor units', async () => {
    const { trunks, fraud, board, charged } = await setup();
    const start = Date.now();
    answered(trunks, fraud, board, start);
    const cdr = {
      id: 'call-1',
      tenantId: 'acme',
      callId: 'sip-call-id',
      direction: 'internal',
      caller: '1001',
      callee: '0044 20 7946 0958',
      startedAt_ms: start - 3_000,
      answeredAt_ms: start,
      endedAt_ms: start + 8_000,
      disposition: 'answered',
      sipStatus: 200,
      forwardingPath: ['number:00442079460958'],
    } satisfies Cdr;
    const done = await trunks.completeCdr(cdr);
    expect(done).toMatchObject({
      direction: 'outbound',
      carrierId: 'dear',
      cost_minor: 100n,
      price_minor: 120n,
      currency: 'EUR',
    });
    expect(charged).toEqual([
      {
        callId: 'call-1',
        tenantId: 'acme',
        extension: '1001',
        carrierId: 'dear',
        e164: '+442079460958',
        answeredAt_ms: start,
        endedAt_ms: start + 8_000,
      },
    ]);
    expect(board.activeCalls('dear')).toBe(0);
    expect(fraud.usage('acme')).toEqual({ concurrentCalls: 0, spentToday_micro: 800_000n });
    // A CDR of a call the trunks never saw passes unchanged.
    expect(await trunks.completeCdr({ ...cdr, id: 'other' })).toEqual({ ...cdr, id: 'other' });
  });
});
