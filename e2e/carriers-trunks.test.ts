import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { scenarioDir, sipp } from './support/sipp.js';
import { dial, extension, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';
import { callsFrom, carrier, importDeck, provisionCarriers, requestsIn } from './support/trunks.js';

const haveSipp = hasTool('sipp', 'sip-tester');

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, timeout_ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeout_ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/**
 * Trunk upkeep against SIPp: the PBX registers to a carrier's registrar
 * with digest credentials, refreshes before expiry and unregisters when the
 * trunk is disabled; calls arriving from the registrar's address are the
 * carrier's; OPTIONS pings take a dead carrier out of routing and bring it
 * back when it answers. Pings every second here (TK_CARRIER_PING_S=1).
 */
describe.runIf(haveSipp)('carrier registrations and health, SIPp as the carriers', () => {
  let pbx: TestPbx;
  let token: string;
  const registrar = { address: '127.0.0.5', port: 0 };
  /** The registering carrier's own address, where nothing listens: its OPTIONS go unanswered. */
  const quiet = { address: '127.0.0.6', port: 0 };
  const dead = { address: '127.0.0.7', port: 0 };
  const live = { address: '127.0.0.8', port: 0 };

  const document = (registering: boolean) => ({
    carriers: [
      {
        id: 'reg',
        name: 'Registering trunk',
        host: quiet.address,
        port: quiet.port,
        auth: {
          mode: 'register',
          username: 'trunkuser',
          password: 'trunk-secret',
          registrar: `${registrar.address}:${registrar.port}`,
          expiry_s: 600,
        },
        numberFormat: 'e164',
        enabled: registering,
      },
      {
        id: 'dead',
        name: 'Cheap but dead',
        host: dead.address,
        port: dead.port,
        auth: { mode: 'ip', allow: [dead.address] },
      },
      {
        id: 'live',
        name: 'Dearer and alive',
        host: live.address,
        port: live.port,
        auth: { mode: 'ip', allow: [live.address] },
      },
    ],
    tenants: [
      {
        id: 'acme',
        name: 'ACME',
        domain: 'acme.test',
        country: 'DE',
        extensions: [extension('1001', { outbound: { class: 'international' } })],
        dids: [{ number: '+49 40 7654321', destination: '1001' }],
      },
    ],
  });

  interface CarrierStatus {
    readonly healthy: boolean;
    readonly healthReason?: string;
    readonly registration: {
      readonly state: string;
      readonly expiresAt?: string;
      readonly lastStatus?: number;
      readonly failures: number;
    } | null;
  }

  const api = <T>(path: string) => pbx.get<T>(path, token);

  /** A carrier's live status as GET /api/carriers/:id shows it. */
  const status = async (id: string) => (await api<{ status: CarrierStatus }>(`/api/carriers/${id}`)).status;

  beforeAll(async () => {
    pbx = await startTestPbx({ env: { TK_CARRIER_PING_S: '1' } });
    token = (await pbx.running.context.tokens.create('operator', 'trunks test')).token;
    registrar.port = await freePort(registrar.address);
    quiet.port = await freePort(quiet.address);
    dead.port = await freePort(dead.address);
    live.port = await freePort(live.address);
  });

  afterAll(async () => {
    await pbx?.close();
  });

  it('registers to the carrier with digest, refreshes before expiry, takes its calls, unregisters', async () => {
    const registrarRun = sipp(
      [
        '-sf',
        `${scenarioDir}carrier-registrar.xml`,
        '-i',
        registrar.address,
        '-p',
        String(registrar.port),
        '-m',
        '1',
        '-key',
        'user',
        'trunkuser',
        '-key',
        'password',
        'trunk-secret',
      ],
      { timeout_s: 30 },
    );
    await provisionCarriers(pbx, document(true));
    // Registered (first grant 3 s), then refreshed and granted 300 s.
    expect(
      await until(async () => {
        const { registration } = await status('reg');
        return (
          registration?.state === 'registered' &&
          registration.expiresAt !== undefined &&
          Date.parse(registration.expiresAt) - Date.now() > 60_000
        );
      }),
    ).toBe(true);
    expect((await status('reg')).registration).toMatchObject({
      state: 'registered',
      lastStatus: 200,
      failures: 0,
    });

    // A call from the registrar's address to a DID is the carrier's: no challenge, routed to the DID.
    const callee = await phone(pbx, '1001', 'acme.test');
    const inbound = await callsFrom(
      pbx,
      'carrier-call.xml',
      [['trunkuser', 'sip:49407654321@carrier.test', '4930111222']],
      { address: registrar.address, hold_ms: 200, timeout_s: 15 },
    );
    expect(inbound.failed, inbound.output).toBe(0);
    expect((await callee.done).successful).toBe(1);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1, (c) => c.direction === 'inbound');
    expect(cdr).toMatchObject({ carrierId: 'reg', did: '+49407654321', caller: '+4930111222' });

    // Disabling the trunk removes the binding (REGISTER with Expires: 0), which the scenario checks.
    await provisionCarriers(pbx, document(false));
    const run = await registrarRun.done;
    expect(run.failed, run.output).toBe(0);
    expect(run.successful).toBe(1);
    const registers = requestsIn(run.messages, 'REGISTER');
    expect(registers).toHaveLength(6);
    expect(new Set(registers.map((r) => /^Call-ID: (.*)$/m.exec(r)?.[1])).size).toBe(1);
    expect(registers[0]).toMatch(/^REGISTER sip:127\.0\.0\.5:\d+ SIP\/2\.0/);
    expect(registers[0]).toMatch(/^From: <sip:trunkuser@127\.0\.0\.6>;tag=/m);
    expect(registers[0]).toMatch(/^Contact: <sip:trunkuser@127\.0\.0\.1:\d+>/m);
    expect((await status('reg')).registration).toBeNull();
  }, 60_000);

  it('takes a dead carrier out of routing by OPTIONS, and back in when it answers', async () => {
    await provisionCarriers(pbx, document(false));
    await importDeck(pbx, 'dead', 'prefix,destination,rate_per_minute\n44,United Kingdom,0.0010\n');
    await importDeck(pbx, 'live', 'prefix,destination,rate_per_minute\n44,United Kingdom,0.0090\n');
    // Every OPTIONS ping counts as a call in SIPp: these carriers take many, and are stopped at the end.
    const liveRun = carrier(live.address, live.port, 'uas', 100_000, 40);
    expect(await until(async () => (await status('dead')).healthy === false)).toBe(true);
    const down = await status('dead');
    expect(down.healthReason).toMatch(/no answer to OPTIONS/);
    const route = await api<{ skipped: unknown[] }>(
      '/api/carriers/routes?tenant=acme&extension=1001&number=%2B442079460958',
    );
    expect(route.skipped).toContainEqual({ carrierId: 'dead', reason: 'unhealthy' });
    expect(await until(async () => (await status('live')).healthy === true)).toBe(true);

    const call = await dial(pbx, '1001', 'acme.test', '+442079460958');
    expect(call.failed, call.output).toBe(0);
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1, (c) => c.callee === '+442079460958');
    expect(cdr).toMatchObject({ direction: 'outbound', carrierId: 'live', disposition: 'answered' });
    liveRun.stop();
    expect(requestsIn((await liveRun.done).messages, 'INVITE')).toHaveLength(1);

    // The dead carrier comes back: it answers OPTIONS, it is in routing again and takes the next call.
    const revived = carrier(dead.address, dead.port, 'uas', 100_000, 40);
    expect(await until(async () => (await status('dead')).healthy === true)).toBe(true);
    const again = await dial(pbx, '1001', 'acme.test', '+442079460959');
    expect(again.failed, again.output).toBe(0);
    revived.stop();
    const revivedRun = await revived.done;
    expect(requestsIn(revivedRun.messages, 'INVITE')).toHaveLength(1);
    expect(requestsIn(revivedRun.messages, 'OPTIONS').length).toBeGreaterThan(0);
  }, 60_000);
});
