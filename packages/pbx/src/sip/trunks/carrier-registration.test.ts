import { createResponse, type SipRequest, type SipResponse, sipUri } from '@telekommune/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { carrierConfigSchema } from '../../carriers/carrier-config.js';
import { CarrierResolver } from './carrier-address.js';
import {
  CarrierRegistration,
  defaultRegistrationLimits,
  isRegistering,
  type RegistrationTransport,
} from './carrier-registration.js';

const carrier = carrierConfigSchema.parse({
  id: 'sipgate',
  name: 'Trunk',
  host: '192.0.2.10',
  auth: {
    mode: 'register',
    username: 'trunk',
    password: 'secret',
    registrar: '192.0.2.11:5070',
    expiry_s: 600,
  },
});
if (!isRegistering(carrier)) throw new Error('test carrier must register');

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const challenge = 'Digest realm="carrier.test", nonce="n1", algorithm=MD5, qop="auth"';

/** A registrar played by a function of each REGISTER; records what it got. */
function registrar(answer: (request: SipRequest, index: number) => SipResponse) {
  const seen: SipRequest[] = [];
  const transport: RegistrationTransport = {
    async request(request) {
      seen.push(request);
      return answer(request, seen.length - 1);
    },
    contactUri: (_protocol, user) => sipUri({ user, host: '203.0.113.5', port: 5060 }),
  };
  return { seen, transport };
}

/** Challenges every REGISTER without credentials; grants `expires` to those with them. */
const digestRegistrar = (expires: (index: number) => number | SipResponse) =>
  registrar((request, index) => {
    if (!request.has('authorization'))
      return createResponse(request, 401, { headers: [['WWW-Authenticate', challenge]] });
    const granted = expires(index);
    if (typeof granted !== 'number') return granted;
    const contact = request.header('contact') ?? '';
    return createResponse(request, 200, { headers: [['Contact', `${contact};expires=${granted}`]] });
  });

function start(transport: RegistrationTransport, now: () => number) {
  const registration = new CarrierRegistration(carrier as never, {
    transport: () => transport,
    resolver: new CarrierResolver(),
    logger: silent,
    limits: defaultRegistrationLimits,
    now,
  });
  registration.start();
  return registration;
}

describe('CarrierRegistration', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers the challenge, keeps one Call-ID with rising CSeq, and refreshes before expiry', async () => {
    const { seen, transport } = digestRegistrar(() => 600);
    const registration = start(transport, () => Date.now());
    await vi.advanceTimersByTimeAsync(10);
    expect(registration.status()).toMatchObject({ state: 'registered', lastStatus: 200, failures: 0 });
    expect(seen).toHaveLength(2);
    const [first, second] = seen as [SipRequest, SipRequest];
    expect(first.uriText).toBe('sip:192.0.2.11:5070');
    expect(first.header('expires')).toBe('600');
    expect(first.header('contact')).toBe('<sip:trunk@203.0.113.5:5060>');
    expect(second.header('authorization')).toMatch(/username="trunk", realm="carrier.test"/);
    expect(second.callId).toBe(first.callId);
    expect(second.cseq.seq).toBe(first.cseq.seq + 1);
    // 600 s granted: the refresh goes out 60 s before expiry, not earlier.
    await vi.advanceTimersByTimeAsync(539_000);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen).toHaveLength(4);
    expect(seen[3]?.callId).toBe(first.callId);
    expect(seen[3]?.cseq.seq).toBe(first.cseq.seq + 3);
  });

  it('keeps to a shorter lifetime the registrar grants', async () => {
    const { seen, transport } = digestRegistrar(() => 30);
    start(transport, () => Date.now());
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(seen).toHaveLength(4);
  });

  it('asks again with Min-Expires after 423', async () => {
    const { seen, transport } = registrar((request, index) =>
      index === 0
        ? createResponse(request, 423, { headers: [['Min-Expires', '3600']] })
        : createResponse(request, 200, { headers: [['Expires', '3600']] }),
    );
    const registration = start(transport, () => Date.now());
    await vi.advanceTimersByTimeAsync(10);
    expect(seen.map((r) => r.header('expires'))).toEqual(['600', '3600']);
    expect(registration.status().state).toBe('registered');
  });

  it('backs off after failures: 5 s, 10 s, 20 s, and says why', async () => {
    const { seen, transport } = registrar((request) =>
      createResponse(request, 503, { reason: 'Overloaded' }),
    );
    const registration = start(transport, () => Date.now());
    await vi.advanceTimersByTimeAsync(10);
    expect(registration.status()).toMatchObject({
      state: 'failed',
      lastStatus: 503,
      reason: '503 Overloaded',
      failures: 1,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(seen).toHaveLength(4);
    expect(registration.status().failures).toBe(4);
  });

  it('does not loop on wrong credentials', async () => {
    const { seen, transport } = registrar((request) =>
      createResponse(request, 401, { headers: [['WWW-Authenticate', challenge]] }),
    );
    const registration = start(transport, () => Date.now());
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toHaveLength(2);
    expect(registration.status()).toMatchObject({
      state: 'failed',
      reason: 'the registrar refused the credentials',
    });
  });

  it('unregisters with Expires: 0 when stopped, and stays stopped', async () => {
    const { seen, transport } = digestRegistrar(() => 600);
    const registration = start(transport, () => Date.now());
    await vi.advanceTimersByTimeAsync(10);
    await registration.stop();
    expect(seen.map((r) => r.header('expires'))).toEqual(['600', '600', '0', '0']);
    expect(registration.status().state).toBe('stopped');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(seen).toHaveLength(4);
  });
});
