/**
 * Calls per second through the PBX: SIPp as callers (INVITE, 407, ACK,
 * INVITE with credentials, 200, ACK, hold, BYE) to an extension registered
 * by a SIPp `uas`, through Telekommune's B2BUA with media anchored at its RTP
 * relay; the same load through Kamailio as a stateful proxy with digest
 * authentication (bench/kamailio-registrar-auth.cfg; it relays no media).
 * Rising rates, interleaved steps; prints the highest rate with zero failed
 * calls for each and the ratio. Target (issue 4): >= 500 calls/s through the
 * B2BUA with zero failures.
 *
 *   npx tsx bench/pbx-calls.ts [--rates 100,200,...] [--seconds 6] [--hold-ms 1000] [--media anchored|direct]
 */
import { join } from 'node:path';
import { freePort } from '../e2e/support/ports.js';
import {
  bestCleanRate,
  groupCpuSeconds,
  injectionFile,
  requireTools,
  type SippStep,
  scenarios,
  sippStep,
  startKamailio,
  startProcess,
  startTelekommune,
} from './support/peers.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
};
const RATES = option('rates', '100,200,300,400,500,600,700').split(',').map(Number);
const SECONDS = Number(option('seconds', '6'));
const HOLD_MS = Number(option('hold-ms', '1000'));
const MEDIA = option('media', 'anchored');

requireTools({ sipp: 'sip-tester', kamailio: 'kamailio' });

const callers = Array.from({ length: 1000 }, (_, i) => String(100_000 + i));
const callee = '199999';
const yaml = [
  'tenants:',
  '  - id: bench',
  '    name: Bench',
  '    domain: bench.test',
  '    extensions:',
  ...[...callers, callee].flatMap((n) => [
    `      - number: "${n}"`,
    `        name: User ${n}`,
    `        password: pw${n}`,
  ]),
  '',
].join('\n');
const callerRows = injectionFile(
  callers.map((n) => [n, 'bench.test', `[authentication username=${n} password=pw${n}]`, callee]),
);

console.log(
  `starting Telekommune (media ${MEDIA}) and Kamailio, each with a SIPp uas registered as ${callee} ...`,
);
const pbx = await startTelekommune(yaml, { TK_MEDIA_MODE: MEDIA, TK_RTP_PORTS: '20000-40000' });
const kamailio = await startKamailio();

async function uasFor(port: number): Promise<void> {
  const uasPort = await freePort();
  startProcess('sipp', [
    '-sn',
    'uas',
    '-i',
    '127.0.0.1',
    '-p',
    String(uasPort),
    '-mp',
    String(await freePort()),
    '-nostdin',
    '-bg',
  ]);
  const registered = await sippStep({
    target: `127.0.0.1:${port}`,
    scenario: join(scenarios, 'register.xml'),
    injection: injectionFile([
      [
        callee,
        'bench.test',
        `[authentication username=${callee} password=pw${callee}]`,
        String(uasPort),
        '3600',
      ],
    ]),
    rate: 1,
    calls: 1,
    extra: ['-auth_uri', 'bench.test'],
    timeout_s: 10,
  });
  if (registered.successful !== 1) throw new Error(`the uas could not register at port ${port}`);
}
await uasFor(pbx.port);
await uasFor(kamailio.port);

const peers = [
  { name: 'telekommune', port: pbx.port, pgid: pbx.pgid, steps: [] as SippStep[] },
  { name: 'kamailio', port: kamailio.port, pgid: kamailio.pgid, steps: [] as SippStep[] },
];
console.log('\nrate/s   peer          ok      failed   cpu s   wall s');
for (const rate of RATES) {
  for (const peer of peers) {
    const cpu = groupCpuSeconds(peer.pgid);
    const step = await sippStep({
      target: `127.0.0.1:${peer.port}`,
      scenario: join(scenarios, 'call.xml'),
      injection: callerRows,
      rate,
      calls: rate * SECONDS,
      extra: ['-auth_uri', `${callee}@bench.test`, '-d', String(HOLD_MS)],
      timeout_s: SECONDS * 3 + 20,
    });
    peer.steps.push(step);
    const used = groupCpuSeconds(peer.pgid) - cpu;
    console.log(
      `${String(rate).padStart(6)}   ${peer.name.padEnd(12)} ${String(step.successful).padStart(7)} ${String(step.failed).padStart(8)} ${used.toFixed(1).padStart(7)} ${step.seconds.toFixed(1).padStart(8)}`,
    );
  }
}
const grace_s = HOLD_MS / 1000 + 1;
const ours = bestCleanRate(peers[0]!.steps, grace_s);
const theirs = bestCleanRate(peers[1]!.steps, grace_s);
console.log(
  `\nhighest rate with zero failures at it and every lower step: Telekommune ${ours}/s (media ${MEDIA}), Kamailio ${theirs}/s (no media)`,
);
console.log(
  `ratio Telekommune / Kamailio: ${theirs > 0 ? (ours / theirs).toFixed(2) : 'n/a'}; target >= 500 calls/s`,
);
process.exit(0);
