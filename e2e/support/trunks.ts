import type { TestPbx } from './pbx.js';
import { freePort, freePortBlock } from './ports.js';
import { injection, type SippResult, type SippRun, scenarioDir, sipp } from './sipp.js';

/** Applies carriers and tenants, then reloads carriers, DIDs and trunk registrations at once. */
export async function provisionCarriers(pbx: TestPbx, document: unknown): Promise<void> {
  await pbx.provision(document);
  await pbx.running.context.carriers.reload();
  pbx.running.context.pbx.trunks.reload();
}

/** Imports a carrier's rate deck from CSV text. */
export async function importDeck(pbx: TestPbx, carrierId: string, csv: string): Promise<void> {
  const outcome = await pbx.running.context.carriers.decks.importCsv(
    { kind: 'carrier', id: carrierId },
    csv,
    {
      currency: 'EUR',
      source: `${carrierId}.csv`,
    },
  );
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
}

/**
 * A SIPp UAS playing a carrier on `address:port` (a loopback address of its
 * own, so the PBX tells carriers apart by source): the built-in `uas`, or a
 * scenario file. `-aa` answers OPTIONS pings.
 */
export function carrier(
  address: string,
  port: number,
  scenario: string | 'uas',
  calls = 1,
  timeout_s = 30,
  extra: string[] = [],
): SippRun {
  const args = scenario === 'uas' ? ['-sn', 'uas'] : ['-sf', `${scenarioDir}${scenario}`];
  return sipp([...args, '-i', address, '-p', String(port), '-m', String(calls), '-aa', ...extra], {
    timeout_s,
  });
}

export interface CallsFromOptions {
  /** The source address: a carrier's own loopback address, or 127.0.0.1 for a stranger. */
  readonly address: string;
  /** The source port (default: a free one on `address`). */
  readonly port?: number;
  /** Calls per second (SIPp's -r; default SIPp's). */
  readonly rate?: number;
  /** How long an answered call is held (SIPp's -d; default SIPp's). */
  readonly hold_ms?: number;
  /** Whether SIPp gets a media port of its own (-mp). */
  readonly media?: boolean;
  readonly timeout_s: number;
}

/**
 * SIPp sending the PBX one call per injection row with `scenario` (a file in
 * e2e/sipp) from `address`, without credentials: calls from a carrier, or
 * from someone who is none.
 */
export async function callsFrom(
  pbx: TestPbx,
  scenario: string,
  rows: readonly (readonly string[])[],
  options: CallsFromOptions,
): Promise<SippResult> {
  return sipp(
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf',
      `${scenarioDir}${scenario}`,
      '-inf',
      'calls.csv',
      '-m',
      String(rows.length),
      ...(options.rate === undefined ? [] : ['-r', String(options.rate)]),
      '-i',
      options.address,
      '-p',
      String(options.port ?? (await freePort(options.address))),
      ...(options.media ? ['-mp', String(await freePortBlock(4))] : []),
      ...(options.hold_ms === undefined ? [] : ['-d', String(options.hold_ms)]),
    ],
    { files: { 'calls.csv': injection(rows) }, timeout_s: options.timeout_s },
  ).done;
}

/** The SIP requests of a method in a SIPp message log, each as its text. */
export function requestsIn(messages: string, method: string): string[] {
  return messages
    .split(/-{10,}[^\n]*\n/)
    .map((block) => block.replace(/^[^\n]*(sent|received)[^\n]*\n\s*\n?/, '').trim())
    .filter((block) => block.startsWith(`${method} `));
}
