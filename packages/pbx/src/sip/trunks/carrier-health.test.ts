import { createResponse, type SipRequest, sipUri } from '@telekommune/sip';
import { describe, expect, it } from 'vitest';
import { carrierConfigSchema } from '../../carriers/carrier-config.js';
import { CarrierStatusBoard } from '../../carriers/carrier-status.js';
import { CarrierResolver } from './carrier-address.js';
import { answersAlive, CarrierHealthChecker } from './carrier-health.js';
import type { RegistrationTransport } from './carrier-registration.js';

const carrier = carrierConfigSchema.parse({
  id: 'c',
  name: 'C',
  host: '192.0.2.1',
  auth: { mode: 'ip', allow: ['192.0.2.1'] },
});
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A carrier that answers OPTIONS with `status`, or never (undefined). */
function setup(answer: { status: number | undefined }) {
  const seen: SipRequest[] = [];
  const transport: RegistrationTransport = {
    request(request) {
      seen.push(request);
      const status = answer.status;
      return status === undefined ? new Promise(() => {}) : Promise.resolve(createResponse(request, status));
    },
    contactUri: () => sipUri({ host: '203.0.113.5', port: 5060 }),
  };
  const board = new CarrierStatusBoard();
  const checker = new CarrierHealthChecker({
    transport: () => transport,
    resolver: new CarrierResolver(),
    board,
    carriers: () => [carrier],
    logger: silent,
    limits: { interval_ms: 1000, timeout_ms: 20, failuresToDown: 2 },
  });
  return { seen, board, checker };
}

describe('CarrierHealthChecker', () => {
  it('counts any answer but 408 and 5xx as alive', () => {
    expect([200, 404, 405, 401, 481].every(answersAlive)).toBe(true);
    expect([408, 500, 503].some(answersAlive)).toBe(false);
  });

  it('takes a carrier out after failed pings in a row and back at the first answer', async () => {
    const answer: { status: number | undefined } = { status: undefined };
    const { seen, board, checker } = setup(answer);
    await checker.checkAll();
    expect(board.isHealthy('c')).toBe(true);
    await checker.checkAll();
    expect(board.isHealthy('c')).toBe(false);
    expect(board.snapshot()[0]?.reason).toBe('no answer to OPTIONS within 20 ms');
    answer.status = 503;
    await checker.checkAll();
    expect(board.isHealthy('c')).toBe(false);
    answer.status = 200;
    await checker.checkAll();
    expect(board.isHealthy('c')).toBe(true);
    expect(seen[0]?.method).toBe('OPTIONS');
    expect(seen[0]?.uriText).toBe('sip:192.0.2.1:5060');
  });
});
