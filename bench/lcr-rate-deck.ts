/**
 * Rate decks and least-cost routing (issue 7): imports a generated
 * 1,000,000-prefix deck (CSV parse and validation, index build, SQLite
 * write) and measures longest-prefix lookups per second, against a peer: the
 * usual hash-map longest-prefix match (try every prefix length, longest
 * first) over the same deck, run in the same process.
 *
 *   npx tsx bench/lcr-rate-deck.ts [prefixes] [lookups]
 *
 * Targets: import under 10 s; at least 1,000,000 lookups per second.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateDeckCache, type RateRow } from '@telekommune/pbx';
import { migrateToLatest, openStore, SqlRateDeckRepository } from '@telekommune/store';

const generateOnly = process.argv[2] === '--generate';
const prefixCount = Number((generateOnly ? process.argv[4] : process.argv[2]) ?? 1_000_000);
const lookupCount = Number((generateOnly ? undefined : process.argv[3]) ?? 2_000_000);
if (!(prefixCount >= 1000 && prefixCount <= 5_000_000 && lookupCount >= 1000 && lookupCount <= 50_000_000)) {
  throw new Error('usage: lcr-rate-deck.ts [prefixes 1e3..5e6] [lookups 1e3..5e7]');
}

/** A deterministic generator, so every run measures the same deck. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const countryCodes = [
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
  '212',
  '213',
  '216',
  '218',
  '220',
  '234',
  '254',
  '255',
  '256',
  '351',
  '352',
  '353',
  '354',
  '355',
  '358',
  '359',
  '370',
  '371',
  '372',
  '380',
  '381',
  '385',
  '386',
  '420',
  '421',
  '852',
  '880',
  '886',
  '960',
  '961',
  '962',
  '963',
  '964',
  '965',
  '966',
  '971',
  '972',
  '973',
  '974',
  '975',
  '976',
  '977',
];

function generateDeck(path: string): void {
  const next = random(42);
  const seen = new Set<string>();
  const lines: string[] = ['prefix,destination,rate_per_minute,connect_fee,billing_increment,effective_from'];
  for (const cc of countryCodes) {
    seen.add(cc);
    lines.push(`${cc},Country ${cc},0.${String(Math.floor(next() * 9000) + 1000)},0,60/60,2020-01-01`);
  }
  while (seen.size < prefixCount) {
    const cc = countryCodes[Math.floor(next() * countryCodes.length)] as string;
    const extra = 2 + Math.floor(next() * 7);
    let prefix = cc;
    for (let i = 0; i < extra; i++) prefix += String(Math.floor(next() * 10));
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    const increment = next() < 0.5 ? '60/60' : next() < 0.5 ? '1/1' : '30/6';
    lines.push(
      `${prefix},Dest ${cc} ${prefix.length},0.${String(Math.floor(next() * 900_000) + 100_000)},0,${increment},2020-01-01`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function numbers(count: number): string[] {
  const next = random(7);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const cc = countryCodes[Math.floor(next() * countryCodes.length)] as string;
    let n = `+${cc}`;
    while (n.length < 13) n += String(Math.floor(next() * 10));
    out.push(n);
  }
  return out;
}

/** The peer: a Map from prefix to row, probing every length from the longest down. */
class MapLongestPrefix {
  private readonly byPrefix = new Map<string, number>();
  constructor(prefixes: readonly string[]) {
    for (const [i, p] of prefixes.entries()) this.byPrefix.set(p, i);
  }
  lookupRow(number: string): number {
    const digits = number.startsWith('+') ? number.slice(1) : number;
    for (let length = Math.min(15, digits.length); length > 0; length--) {
      const row = this.byPrefix.get(digits.slice(0, length));
      if (row !== undefined) return row;
    }
    return -1;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-lcr-'));
  try {
    const csv = join(dir, 'deck.csv');
    // Generated in a child process, so its garbage does not count in this process's peak memory.
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--generate', csv, String(prefixCount)],
      { stdio: 'inherit', timeout: 300_000 },
    );
    if (child.status !== 0) throw new Error('generating the deck failed');
    const store = openStore({ url: join(dir, 'bench.db') });
    await migrateToLatest(store);
    const cache = new RateDeckCache(new SqlRateDeckRepository(store));
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const outcome = await cache.importCsv({ kind: 'carrier', id: 'bench' }, createReadStream(csv), {
      currency: 'EUR',
      source: 'deck.csv',
    });
    const import_s = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (!outcome.ok) throw new Error(`import failed: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
    const index = cache.get({ kind: 'carrier', id: 'bench' });
    if (!index) throw new Error('deck not loaded');
    const heapAfterImport = process.memoryUsage().heapUsed;

    const reloadStarted = performance.now();
    const reloaded = new RateDeckCache(new SqlRateDeckRepository(store));
    await reloaded.refresh();
    const reload_s = (performance.now() - reloadStarted) / 1000;
    await store.close();

    console.log(
      `deck: ${outcome.info.rows.toLocaleString('en')} prefixes (machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)}; figures scale with load)`,
    );
    console.log(
      `import: ${import_s.toFixed(2)} s (parse + validate + index ${(outcome.parse_ms / 1000).toFixed(2)} s, SQLite write ${(outcome.write_ms / 1000).toFixed(2)} s), peak RSS ${mb(peakRss)}; target < 10 s: ${import_s < 10 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `reload from SQLite and rebuild the index: ${reload_s.toFixed(2)} s; heap in use after import ${mb(heapAfterImport)}`,
    );

    const probes = numbers(100_000);
    const peer = new MapLongestPrefix(index.table.prefixes);
    const now = Date.now();
    for (const n of probes) {
      const ours = index.lookupRow(n, now);
      const theirs = peer.lookupRow(n);
      if (ours !== theirs) throw new Error(`index and peer disagree on ${n}: ${ours} vs ${theirs}`);
    }
    const measure = (lookup: (n: string) => number) => {
      let found = 0;
      const t0 = performance.now();
      for (let i = 0; i < lookupCount; i++) if (lookup(probes[i % probes.length] as string) >= 0) found++;
      const seconds = (performance.now() - t0) / 1000;
      return { perSecond: lookupCount / seconds, found };
    };
    measure((n) => index.lookupRow(n, now));
    const ours = measure((n) => index.lookupRow(n, now));
    measure((n) => peer.lookupRow(n));
    const theirs = measure((n) => peer.lookupRow(n));
    const f = (x: number) => Math.round(x).toLocaleString('en');
    console.log(
      `lookups: ${f(ours.perSecond)}/s (sorted-array index, effective dates honoured); peer Map probe ${f(theirs.perSecond)}/s; ratio ${(ours.perSecond / theirs.perSecond).toFixed(2)}x; target >= 1,000,000/s: ${ours.perSecond >= 1_000_000 ? 'met' : 'MISSED'}`,
    );
    const sample: RateRow | undefined = index.lookup(probes[0] as string, now);
    console.log(`e.g. ${probes[0]} -> prefix ${sample?.prefix} (${sample?.destination})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (generateOnly) generateDeck(process.argv[3] as string);
else await main();
