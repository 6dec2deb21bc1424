import type { TestPbx } from './pbx.js';
import { freePort, freePortBlock } from './ports.js';
import { credentials, injection, type SippResult, type SippRun, scenarioDir, sipp } from './sipp.js';

/** Where SIPp sends: the test PBX, or a Telekommune process started with a known SIP port. */
export type SipTarget = Pick<TestPbx, 'sipPort'>;

/** A SIP password for an extension in these tests. */
export const password = (number: string) => `pw-${number}-secret`;

/** An extension for a provisioning document, with the password `password(number)`. */
export function extension(number: string, extra: Record<string, unknown> = {}) {
  return { number, name: `User ${number}`, password: password(number), ...extra };
}

/** Registers `number@domain` (password `password(number)`) with its Contact at `contactPort` on 127.0.0.1. */
export async function register(
  pbx: SipTarget,
  number: string,
  domain: string,
  contactPort: number,
): Promise<SippResult> {
  // The port probed free can be taken (by another test file) before SIPp binds it: try another.
  for (let attempt = 1; ; attempt++) {
    const result = await registerOnce(pbx, number, domain, contactPort);
    if (attempt >= 3 || !result.output.includes('Address already in use')) return result;
  }
}

async function registerOnce(
  pbx: SipTarget,
  number: string,
  domain: string,
  contactPort: number,
): Promise<SippResult> {
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

export interface PhoneOptions {
  /** How many calls it answers (default 1). */
  readonly calls?: number;
  /** SIPp's built-in `uas` (the default), or a scenario file in e2e/sipp. */
  readonly scenario?: string;
  /** SIPp's bound on the whole run (default 40 s). */
  readonly timeout_s?: number;
  /** More SIPp arguments (such as `-key name value` for a scenario's `[name]`). */
  readonly extra?: readonly string[];
}

/**
 * A SIPp UAS phone on 127.0.0.1, registered as `number@domain`, answering
 * calls; throws with SIPp's output when the registration fails.
 */
export async function phone(
  pbx: SipTarget,
  number: string,
  domain: string,
  options: PhoneOptions = {},
): Promise<SippRun> {
  const port = await freePort();
  const scenario = options.scenario ?? 'uas';
  const run = sipp(
    [
      ...(scenario === 'uas' ? ['-sn', 'uas'] : ['-sf', `${scenarioDir}${scenario}`]),
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mp',
      String(await freePortBlock(4)),
      '-m',
      String(options.calls ?? 1),
      ...(options.extra ?? []),
    ],
    { timeout_s: options.timeout_s ?? 40 },
  );
  const registered = await register(pbx, number, domain, port);
  if (registered.successful !== 1) throw new Error(`could not register ${number}: ${registered.output}`);
  return run;
}

export interface DialOptions {
  /** A scenario file in e2e/sipp (default call.xml). */
  readonly scenario?: string;
  readonly calls?: number;
  /** Calls per second (default 10). */
  readonly rate?: number;
  /** How long an answered call is held (SIPp's -d, default 300 ms). */
  readonly hold_ms?: number;
  readonly timeout_s?: number;
}

/** An extension dials `callee` (any form) with digest credentials; `calls` calls at `rate` per second. */
export async function dial(
  pbx: SipTarget,
  caller: string,
  domain: string,
  callee: string,
  options: DialOptions = {},
): Promise<SippResult> {
  const first = await dialOnce(pbx, caller, domain, callee, options);
  if (first.successful + first.failed > 0) return first;
  // SIPp that placed no call at all did not start (a port taken meanwhile by a parallel test): once more.
  process.stderr.write(`SIPp placed no call, trying again: ${first.output.slice(-2000)}\n`);
  return dialOnce(pbx, caller, domain, callee, options);
}

async function dialOnce(
  pbx: SipTarget,
  caller: string,
  domain: string,
  callee: string,
  options: DialOptions,
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
      String(await freePortBlock(4)),
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

export interface TransferOptions {
  /** Injection fields after the Refer-To target. */
  readonly fields?: readonly string[];
  /** More SIPp arguments. */
  readonly args?: readonly string[];
  readonly timeout_s?: number;
}

/**
 * `caller` calls `callee` of `domain` with `scenario` (e2e/sipp), whose REFER
 * names `referTo` (user@host): a transferring phone. Injection fields:
 * caller;domain;credentials;callee;referTo, then `options.fields`.
 */
export async function transferCall(
  pbx: SipTarget,
  scenario: string,
  caller: string,
  domain: string,
  callee: string,
  referTo: string,
  options: TransferOptions = {},
): Promise<SippResult> {
  return sipp(
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf',
      `${scenarioDir}${scenario}`,
      '-inf',
      'calls.csv',
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-mp',
      String(await freePortBlock(4)),
      '-auth_uri',
      `${callee}@${domain}`,
      ...(options.args ?? []),
    ],
    {
      files: {
        'calls.csv': injection([
          [caller, domain, credentials(caller, password(caller)), callee, referTo, ...(options.fields ?? [])],
        ]),
      },
      timeout_s: options.timeout_s ?? 20,
    },
  ).done;
}
