import type { Cdr } from '@telekommune/pbx';
import type { TestPbx } from './pbx.js';
import { freePort } from './ports.js';
import { credentials, injection, type SippResult, type SippRun, scenarioDir, sipp } from './sipp.js';

/** A SIP password for an extension in these tests. */
export const password = (number: string) => `pw-${number}-secret`;

export function extension(number: string, extra: Record<string, unknown> = {}) {
  return { number, name: `User ${number}`, password: password(number), ...extra };
}

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

/** Registers `number@domain` with its Contact at `contactPort` on 127.0.0.1. */
export async function register(pbx: TestPbx, number: string, domain: string, contactPort: number) {
  return sipp(
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf',
      `${scenarioDir}register.xml`,
      '-inf',
      'users.csv',
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-auth_uri',
      domain,
    ],
    {
      files: {
        'users.csv': injection([
          [number, domain, credentials(number, password(number)), String(contactPort), '600'],
        ]),
      },
      timeout_s: 10,
    },
  ).done;
}

/** A SIPp UAS phone on 127.0.0.1, registered as `number@domain`, answering `calls` calls. */
export async function phone(pbx: TestPbx, number: string, domain: string, calls = 1): Promise<SippRun> {
  const port = await freePort();
  const run = sipp(
    [
      '-sn',
      'uas',
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mp',
      String(await freePort()),
      '-m',
      String(calls),
    ],
    { timeout_s: 40 },
  );
  const registered = await register(pbx, number, domain, port);
  if (registered.successful !== 1) throw new Error(`could not register ${number}: ${registered.output}`);
  return run;
}

/** An extension dials `callee` (any form) with digest credentials; `calls` calls at `rate` per second. */
export async function dial(
  pbx: TestPbx,
  caller: string,
  domain: string,
  callee: string,
  options: { scenario?: string; calls?: number; rate?: number; hold_ms?: number; timeout_s?: number } = {},
): Promise<SippResult> {
  const first = await dialOnce(pbx, caller, domain, callee, options);
  if (first.successful + first.failed > 0) return first;
  // SIPp that placed no call at all did not start (a port taken meanwhile by a parallel test): once more.
  process.stderr.write(`SIPp placed no call, trying again: ${first.output.slice(-2000)}\n`);
  return dialOnce(pbx, caller, domain, callee, options);
}

async function dialOnce(
  pbx: TestPbx,
  caller: string,
  domain: string,
  callee: string,
  options: { scenario?: string; calls?: number; rate?: number; hold_ms?: number; timeout_s?: number },
): Promise<SippResult> {
  return sipp(
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf',
      `${scenarioDir}${options.scenario ?? 'call.xml'}`,
      '-inf',
      'calls.csv',
      '-m',
      String(options.calls ?? 1),
      '-r',
      String(options.rate ?? 10),
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-mp',
      String(await freePort()),
      '-auth_uri',
      `${callee}@${domain}`,
      '-d',
      String(options.hold_ms ?? 300),
    ],
    {
      files: {
        'calls.csv': injection([[caller, domain, credentials(caller, password(caller)), callee]]),
      },
      timeout_s: options.timeout_s ?? 30,
    },
  ).done;
}

/** CDRs of a tenant matching `filter`, waiting (bounded) until `count` of them are stored. */
export async function cdrsWhere(
  pbx: TestPbx,
  tenantId: string,
  filter: (cdr: Cdr) => boolean,
  count: number,
): Promise<Cdr[]> {
  let found: Cdr[] = [];
  for (let i = 0; i < 60; i++) {
    const cdrs = await pbx.running.context.cdrs.query({ tenantId, limit: 1000 });
    found = cdrs.filter(filter);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

/** The SIP requests of a method in a SIPp message log, each as its text. */
export function requestsIn(messages: string, method: string): string[] {
  return messages
    .split(/-{10,}[^\n]*\n/)
    .map((block) => block.replace(/^[^\n]*(sent|received)[^\n]*\n\s*\n?/, '').trim())
    .filter((block) => block.startsWith(`${method} `));
}
