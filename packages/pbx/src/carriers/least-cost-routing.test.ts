import { describe, expect, it } from 'vitest';
import { parseRateDeck } from '../rating/rate-deck-csv.js';
import type { RateIndex } from '../rating/rate-index.js';
import { type CarrierConfig, carrierConfigSchema } from './carrier-config.js';
import { CarrierStatusBoard } from './carrier-status.js';
import { emergencyRoutes, leastCostRoutes } from './least-cost-routing.js';
import { RouteAttempts } from './route-attempts.js';

const carrier = (id: string, extra: object = {}): CarrierConfig =>
  carrierConfigSchema.parse({
    id,
    name: id,
    host: `${id}.example`,
    auth: { mode: 'ip', allow: ['192.0.2.1'] },
    ...extra,
  });

/**
 * Three carriers' decks. The table below was worked out by hand from them:
 * for each number, each carrier's longest matching prefix and its rate,
 * then the carriers ordered by rate, connect fee and id.
 */
const decks: Record<string, string> = {
  alpha: `prefix,destination,rate_per_minute,connect_fee
49,Germany,0.0100,0
4915,Germany Mobile,0.0600,0
44,UK,0.0080,0
1,NANP,0.0050,0
`,
  beta: `prefix,destination,rate_per_minute,connect_fee
49,Germany,0.0120,0
491,Germany Mobile,0.0400,0
4930,Berlin,0.0050,0.0100
44,UK,0.0080,0.0050
`,
  gamma: `prefix,destination,rate_per_minute,connect_fee,effective_from
4930,Berlin,0.0050,0,2025-01-01
44207,London,0.0070,0,2025-01-01
1212,New York,0.0040,0,2025-07-01
`,
};

const handComputed: [string, string[]][] = [
  // Berlin: beta 4930 @0.0050+0.0100, gamma 4930 @0.0050+0, alpha 49 @0.0100 -> gamma, beta, alpha.
  ['+49301234567', ['gamma', 'beta', 'alpha']],
  // Munich: alpha 49 @0.0100, beta 49 @0.0120; gamma has no 49 prefix.
  ['+49891234567', ['alpha', 'beta']],
  // German mobile: beta 491 @0.0400, alpha 4915 @0.0600.
  ['+4915112345678', ['beta', 'alpha']],
  // London: gamma 44207 @0.0070, then alpha and beta tie at 0.0080, alpha's connect fee 0 beats beta's 0.0050.
  ['+442079460958', ['gamma', 'alpha', 'beta']],
  // UK mobile: alpha 44 @0.0080+0, beta 44 @0.0080+0.0050.
  ['+447911123456', ['alpha', 'beta']],
  // New York on 2025-03-01: gamma's 1212 is not effective until July, so only alpha.
  ['+12125550123', ['alpha']],
  // Paris: nobody.
  ['+33142685300', []],
];

async function loadDecks(): Promise<Map<string, RateIndex>> {
  const out = new Map<string, RateIndex>();
  for (const [id, csv] of Object.entries(decks)) {
    const parsed = await parseRateDeck(csv);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    out.set(id, parsed.index);
  }
  return out;
}

const at = new Date('2025-03-01T12:00:00Z');

describe('leastCostRoutes', () => {
  it.each(handComputed)(
    'orders carriers for %s as the hand-computed table says',
    async (number, expected) => {
      const indexes = await loadDecks();
      const carriers = [carrier('alpha'), carrier('beta'), carrier('gamma')];
      const routes = leastCostRoutes(number, carriers, (id) => indexes.get(id), new CarrierStatusBoard(), at);
      expect(routes.candidates.map((c) => c.carrier.id)).toEqual(expected);
    },
  );

  it('uses the dated rate once it is effective', async () => {
    const indexes = await loadDecks();
    const carriers = [carrier('alpha'), carrier('gamma')];
    const july = new Date('2025-07-01T00:00:00Z');
    const routes = leastCostRoutes(
      '+12125550123',
      carriers,
      (id) => indexes.get(id),
      new CarrierStatusBoard(),
      july,
    );
    expect(routes.candidates.map((c) => [c.carrier.id, c.rate.prefix])).toEqual([
      ['gamma', '1212'],
      ['alpha', '1'],
    ]);
  });

  it('skips disabled, unhealthy and full carriers and says why', async () => {
    const indexes = await loadDecks();
    const board = new CarrierStatusBoard();
    board.setHealth('beta', false, 'OPTIONS timed out');
    const full = carrier('gamma', { maxCalls: 1 });
    board.tryAcquire('gamma', 1);
    const carriers = [carrier('alpha', { enabled: false }), carrier('beta'), full, carrier('delta')];
    const routes = leastCostRoutes('+49301234567', carriers, (id) => indexes.get(id), board, at);
    expect(routes.candidates).toEqual([]);
    expect(routes.skipped).toEqual([
      { carrierId: 'alpha', reason: 'disabled' },
      { carrierId: 'beta', reason: 'unhealthy' },
      { carrierId: 'gamma', reason: 'at-capacity' },
      { carrierId: 'delta', reason: 'no-rate' },
    ]);
    board.setHealth('beta', true, 'OPTIONS answered');
    board.release('gamma');
    const back = leastCostRoutes('+49301234567', carriers, (id) => indexes.get(id), board, at);
    expect(back.candidates.map((c) => c.carrier.id)).toEqual(['gamma', 'beta']);
  });

  it("writes the number in each carrier's format", async () => {
    const indexes = await loadDecks();
    const carriers = [
      carrier('alpha', { numberFormat: 'e164' }),
      carrier('beta', { numberFormat: 'national', country: 'DE', techPrefix: '7788#' }),
      carrier('gamma', { numberFormat: 'international-00' }),
    ];
    const routes = leastCostRoutes(
      '+49301234567',
      carriers,
      (id) => indexes.get(id),
      new CarrierStatusBoard(),
      at,
    );
    expect(routes.candidates.map((c) => c.dialString)).toEqual([
      '0049301234567',
      '7788#0301234567',
      '49301234567',
    ]);
    const london = leastCostRoutes(
      '+442079460958',
      carriers,
      (id) => indexes.get(id),
      new CarrierStatusBoard(),
      at,
    );
    expect(london.candidates.find((c) => c.carrier.id === 'beta')?.dialString).toBe('7788#00442079460958');
  });
});

describe('RouteAttempts', () => {
  async function routesFor(number: string, board: CarrierStatusBoard) {
    const indexes = await loadDecks();
    const carriers = [carrier('alpha'), carrier('beta'), carrier('gamma', { maxCalls: 2 })];
    return leastCostRoutes(number, carriers, (id) => indexes.get(id), board, at).candidates;
  }

  it('fails over on 503, 408 and timeouts, and holds the answering slot until the call ends', async () => {
    const board = new CarrierStatusBoard();
    const attempts = new RouteAttempts(await routesFor('+49301234567', board), board);
    expect(attempts.next()?.carrier.id).toBe('gamma');
    expect(board.activeCalls('gamma')).toBe(1);
    expect(attempts.failed({ kind: 'response', status: 503 })).toBe(true);
    expect(board.activeCalls('gamma')).toBe(0);
    expect(attempts.next()?.carrier.id).toBe('beta');
    expect(attempts.failed({ kind: 'timeout' })).toBe(true);
    expect(attempts.next()?.carrier.id).toBe('alpha');
    attempts.answered();
    expect(board.activeCalls('alpha')).toBe(1);
    attempts.ended();
    expect(board.activeCalls('alpha')).toBe(0);
    expect(attempts.tried.map((t) => t.carrierId)).toEqual(['gamma', 'beta', 'alpha']);
  });

  it("stops on the callee's answers (busy, not found, decline)", async () => {
    for (const status of [404, 486, 603]) {
      const board = new CarrierStatusBoard();
      const attempts = new RouteAttempts(await routesFor('+49301234567', board), board);
      attempts.next();
      expect(attempts.failed({ kind: 'response', status })).toBe(false);
      expect(attempts.next()).toBeUndefined();
    }
  });

  it('bounds the attempts and passes over carriers that filled up or went down meanwhile', async () => {
    const board = new CarrierStatusBoard();
    const candidates = await routesFor('+49301234567', board);
    board.tryAcquire('gamma', 2);
    board.tryAcquire('gamma', 2);
    board.setHealth('beta', false, 'down');
    const attempts = new RouteAttempts(candidates, board, 1);
    expect(attempts.next()?.carrier.id).toBe('alpha');
    expect(attempts.failed({ kind: 'response', status: 500 })).toBe(false);
    expect(attempts.next()).toBeUndefined();
  });
});

describe('emergencyRoutes', () => {
  it('uses every enabled emergency carrier, healthy ones first, regardless of rates', () => {
    const board = new CarrierStatusBoard();
    const carriers = [
      carrier('alpha', { emergency: false }),
      carrier('beta'),
      carrier('gamma', { enabled: false }),
      carrier('delta'),
    ];
    expect(emergencyRoutes('112', carriers, board).map((r) => [r.carrier.id, r.dialString])).toEqual([
      ['beta', '112'],
      ['delta', '112'],
    ]);
    board.setHealth('beta', false, 'down');
    board.setHealth('delta', false, 'down');
    expect(emergencyRoutes('112', carriers, board).map((r) => r.carrier.id)).toEqual(['beta', 'delta']);
  });
});
