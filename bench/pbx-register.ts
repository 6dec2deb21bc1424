/**
 * Registrations with digest authentication (REGISTER, 401, REGISTER with
 * credentials, 200) against Telekommune's registrar and against Kamailio
 * (Debian's package, bench/kamailio-registrar-auth.cfg: the same work, contacts
 * in memory), both loaded by SIPp over UDP loopback at rising rates, steps
 * interleaved so the machine's drift hits both alike. Prints each step, the
 * highest rate with zero failures for each, and the ratio. Target (issue 4):
 * >= 0.5 of Kamailio.
 *
 *   npx tsx bench/pbx-register.ts [--rates 1000,2000,...] [--seconds 5] [--users 20000]
 *
 * SIPp, Telekommune (one Node.js process) and Kamailio (two workers) share
 * this machine's cores; SIPp is part of the limit.
 */
import { join } from 'node:path';
import { option } from './support/options.js';
import {
  benchTenantsYaml,
  bestCleanRate,
  credentials,
  injectionFile,
  interleavedSteps,
  requireTools,
  scenarios,
  sippStep,
  startKamailio,
  startTelekommune,
} from './support/peers.js';

const RATES = option('rates', '1000,2000,3000,4000,4500,5000,6000,7000,8000,10000').split(',').map(Number);
const SECONDS = Number(option('seconds', '5'));
const USERS = Number(option('users', '20000'));

requireTools({ sipp: 'sip-tester', kamailio: 'kamailio' });

const numbers = Array.from({ length: USERS }, (_, i) => String(100_000 + i));
const yaml = benchTenantsYaml(numbers);
const injection = injectionFile(
  numbers.map((n) => [n, 'bench.test', credentials(n), String(40000 + (Number(n) % 1000)), '3600']),
);

console.log(`provisioning ${USERS} extensions and starting Telekommune and Kamailio ...`);
const pbx = await startTelekommune(yaml);
const kamailio = await startKamailio();
const peers = [
  { name: 'telekommune', port: pbx.port, pgid: pbx.pgid },
  { name: 'kamailio', port: kamailio.port, pgid: kamailio.pgid },
];
const [ourSteps, theirSteps] = await interleavedSteps(RATES, peers, (peer, rate) =>
  sippStep({
    target: `127.0.0.1:${peer.port}`,
    scenario: join(scenarios, 'register.xml'),
    injection,
    rate,
    calls: rate * SECONDS,
    extra: ['-auth_uri', 'bench.test'],
    timeout_s: SECONDS * 3 + 10,
  }),
);
const ours = bestCleanRate(ourSteps!);
const theirs = bestCleanRate(theirSteps!);
console.log(
  `\nhighest rate with zero failures at it and every lower step: Telekommune ${ours}/s, Kamailio ${theirs}/s`,
);
console.log(
  `ratio Telekommune / Kamailio: ${theirs > 0 ? (ours / theirs).toFixed(2) : 'n/a'} (target >= 0.5)`,
);
process.exit(0);
