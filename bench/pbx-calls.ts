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
import { option } from './support/options.js';
import {
  benchTenantsYaml,
  bestCleanRate,
  credentials,
  injectionFile,
  interleavedSteps,
  registeredUas,
  requireTools,
  scenarios,
  sippStep,
  startKamailio,
  startTelekommune,
} from './support/peers.js';

const RATES = option('rates', '100,200,300,400,500,600,700').split(',').map(Number);
const SECONDS = Number(option('seconds', '6'));
const HOLD_MS = Number(option('hold-ms', '1000'));
const MEDIA = option('media', 'anchored');

requireTools({ sipp: 'sip-tester', kamailio: 'kamailio' });

const callers = Array.from({ length: 1000 }, (_, i) => String(100_000 + i));
const callee = '199999';
const yaml = benchTenantsYaml([...callers, callee]);
const callerRows = injectionFile(callers.map((n) => [n, 'bench.test', credentials(n), callee]));

console.log(
  `starting Telekommune (media ${MEDIA}) and Kamailio, each with a SIPp uas registered as ${callee} ...`,
);
const pbx = await startTelekommune(yaml, { TK_MEDIA_MODE: MEDIA, TK_RTP_PORTS: '20000-40000' });
const kamailio = await startKamailio();
await registeredUas(pbx.port, callee);
await registeredUas(kamailio.port, callee);

const peers = [
  { name: 'telekommune', port: pbx.port, pgid: pbx.pgid },
  { name: 'kamailio', port: kamailio.port, pgid: kamailio.pgid },
];
const [ourSteps, theirSteps] = await interleavedSteps(RATES, peers, (peer, rate) =>
  sippStep({
    target: `127.0.0.1:${peer.port}`,
    scenario: join(scenarios, 'call.xml'),
    injection: callerRows,
    rate,
    calls: rate * SECONDS,
    extra: ['-auth_uri', `${callee}@bench.test`, '-d', String(HOLD_MS)],
    timeout_s: SECONDS * 3 + 20,
  }),
);
const grace_s = HOLD_MS / 1000 + 1;
const ours = bestCleanRate(ourSteps!, grace_s);
const theirs = bestCleanRate(theirSteps!, grace_s);
console.log(
  `\nhighest rate with zero failures at it and every lower step: Telekommune ${ours}/s (media ${MEDIA}), Kamailio ${theirs}/s (no media)`,
);
console.log(
  `ratio Telekommune / Kamailio: ${theirs > 0 ? (ours / theirs).toFixed(2) : 'n/a'}; target >= 500 calls/s`,
);
process.exit(0);
