/**
 * Outside call setup through least-cost routing: SIPp callers (INVITE, 407,
 * ACK, INVITE with credentials, 200, ACK, hold, BYE) dial a national number;
 * the PBX reads it with the tenant's dial plan, checks the permission class,
 * the fraud guard and the credit, picks the cheapest of three carriers by
 * longest-prefix match over their decks, and sends the call to a SIPp `uas`
 * playing that carrier; at hang-up it rates and charges the call. The peer,
 * interleaved step by step in the same process, is the same load between
 * two extensions of the same PBX (no trunk path), so the ratio is what
 * outside calling costs over a plain B2BUA call. Rising rates; prints
 * calls/s with zero failed calls for each, and the ratio.
 *
 *   npx tsx bench/carrier-calls.ts [--rates 50,100,...] [--seconds 6] [--hold-ms 1000] [--media anchored|direct]
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../e2e/support/ports.js';
import { option } from './support/options.js';
import {
  benchTenantsYaml,
  bestCleanRate,
  credentials,
  injectionFile,
  interleavedSteps,
  type MeasuredStep,
  registeredUas,
  requireTools,
  scenarios,
  scratchDir,
  serveTelekommune,
  sippStep,
  startProcess,
  telekommuneCli,
} from './support/peers.js';

const RATES = option('rates', '50,100,150,200,300,400').split(',').map(Number);
const SECONDS = Number(option('seconds', '6'));
const HOLD_MS = Number(option('hold-ms', '1000'));
const MEDIA = option('media', 'anchored');

requireTools({ sipp: 'sip-tester' });

const callers = Array.from({ length: 1000 }, (_, i) => String(100_000 + i));
const callee = '199999';
const carrierAddress = '127.0.0.2';
const carrierPorts = [
  await freePort(carrierAddress),
  await freePort(carrierAddress),
  await freePort(carrierAddress),
];
const carriers = carrierPorts.map((port, i) => ({ id: `carrier-${i}`, port }));

const yaml = [
  'carriers:',
  ...carriers.flatMap((c) => [
    `  - id: ${c.id}`,
    `    name: Bench ${c.id}`,
    `    host: ${carrierAddress}`,
    `    port: ${c.port}`,
    `    auth: { mode: ip, allow: ["${carrierAddress}"] }`,
    '    maxCalls: 100000',
  ]),
  benchTenantsYaml(
    [...callers, callee],
    [
      '    country: DE',
      '    dialPlan: { areaCode: "30" }',
      '    dids: [{ number: "+49 30 1234567", destination: "hangup" }]',
      '    fraud:',
      '      maxConcurrentCalls: 10000',
      '      maxSpendPerDay: "1000000.00"',
      '      perExtension: { maxConcurrentCalls: 10000, maxSpendPerDay: "1000000.00" }',
    ],
  ),
].join('\n');

/** Each carrier's deck: the same German prefixes, one carrier cheapest for Berlin. */
function deck(index: number): string {
  const rows = ['prefix,destination,rate_per_minute,connect_fee,billing_increment'];
  rows.push(`49,Germany,0.0${2 + index}00,0,60/60`);
  rows.push(`4930,Germany Berlin,0.00${5 - index}0,0,1/1`);
  for (let p = 0; p < 5000; p++) rows.push(`49${String(100 + p)},Germany ${p},0.0${3 + index}00,0,60/60`);
  return `${rows.join('\n')}\n`;
}

const dir = scratchDir('tk-bench-carrier-');
writeFileSync(join(dir, 'bench.yaml'), yaml);
console.log('applying 3 carriers with 5,002-row decks and 1,001 extensions ...');
telekommuneCli(dir, ['apply', '-f', join(dir, 'bench.yaml')]);
carriers.forEach((c, i) => {
  writeFileSync(join(dir, `${c.id}.csv`), deck(i));
  telekommuneCli(dir, ['rates', 'import', '--carrier', c.id, '-f', join(dir, `${c.id}.csv`)]);
});

const server = await serveTelekommune(dir, { TK_MEDIA_MODE: MEDIA, TK_RTP_PORTS: '20000-40000' });
const sipPort = server.port;
const pgid = server.pgid;

// The carriers: SIPp uas on their own loopback address (-aa answers OPTIONS pings).
for (const c of carriers) {
  startProcess('sipp', [
    '-sn',
    'uas',
    '-aa',
    '-i',
    carrierAddress,
    '-p',
    String(c.port),
    '-mp',
    String(await freePort()),
    '-nostdin',
    '-bg',
  ]);
}
// The peer's callee: a SIPp uas registered as an extension.
await registeredUas(sipPort, callee);

// A Berlin number: carrier-2 is cheapest for 4930 (0.0030/min).
const outside = '0301234567';
const rows = (target: string) => injectionFile(callers.map((n) => [n, 'bench.test', credentials(n), target]));
const paths = [
  { name: 'outside (LCR)', target: outside, injection: rows(outside), pgid },
  { name: 'extension', target: callee, injection: rows(callee), pgid },
];

const [lcrSteps, internalSteps] = await interleavedSteps(
  RATES,
  paths,
  (path, rate) =>
    sippStep({
      target: `127.0.0.1:${sipPort}`,
      scenario: join(scenarios, 'call.xml'),
      injection: path.injection,
      rate,
      calls: rate * SECONDS,
      extra: ['-auth_uri', `${path.target}@bench.test`, '-d', String(HOLD_MS)],
      timeout_s: SECONDS * 3 + 20,
    }),
  'path',
  14,
);
const lcr = bestCleanRate(lcrSteps!, HOLD_MS / 1000 + 1);
const internal = bestCleanRate(internalSteps!, HOLD_MS / 1000 + 1);
console.log(
  `\nhighest call setup rate with zero failures: outside through LCR ${lcr}/s, extension to extension ${internal}/s (media ${MEDIA})`,
);
console.log(`ratio outside / extension: ${internal > 0 ? (lcr / internal).toFixed(2) : 'n/a'}`);
// CPU per call of the PBX process is steadier than rates on a shared machine.
const cpuPerCall_ms = (steps: readonly MeasuredStep[]) =>
  steps.map((s) => (s.successful > 0 ? (s.cpu_s * 1000) / s.successful : Number.NaN));
// NOTE: the upper of the two middle values for an even count, not their mean (support/stats.ts median).
const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor(sorted.length / 2)] as number);
};
const cpuLcr = median(cpuPerCall_ms(lcrSteps!));
const cpuInternal = median(cpuPerCall_ms(internalSteps!));
console.log(
  `PBX CPU per call (median over the steps): outside ${cpuLcr.toFixed(2)} ms, extension ${cpuInternal.toFixed(2)} ms, ratio ${(cpuLcr / cpuInternal).toFixed(2)}`,
);
console.log(
  `machine load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (2 cores)`,
);
process.exit(0);
