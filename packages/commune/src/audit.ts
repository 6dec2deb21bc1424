/**
 * The audit (venture-commune.md §2, §12): replay the whole log from nothing,
 * verify its hash chain, decide every command again and compare the events,
 * check every invariant after every command and over the final state, and
 * compare the state and reports re-derived with those claimed (for example a
 * store's projections). Any difference is reported, none is fatal.
 */
import { canonicalJson } from './canonical-json.js';
import { applyEntry, runCommand } from './engine.js';
import { evolve } from './evolve.js';
import { type ChainVerification, commandFingerprint, type LogEntry, verifyChain } from './hash-chain.js';
import { checkCommand, checkInvariants, type Violation } from './invariants.js';
import { allReports } from './reports/index.js';
import { stateDigest } from './snapshot.js';
import { CommuneState, type StateOptions } from './state.js';

export interface AuditDifference {
  readonly seq: number | null;
  readonly what: string;
  readonly detail: string;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly events: number;
  readonly chain: ChainVerification;
  readonly state_digest: string;
  readonly differences: readonly AuditDifference[];
  readonly violations: readonly Violation[];
}

export interface AuditOptions extends StateOptions {
  /** Decide every command again and compare the events (default true). */
  readonly redecide?: boolean;
  /** The digest of the state someone claims the log produces. */
  readonly expected_digest?: string;
  /** Reports someone claims the log produces, as `allReports` shapes them (JSON or bigint). */
  readonly expected_reports?: Readonly<Record<string, unknown>>;
  /** Stop listing differences after this many. */
  readonly max_differences?: number;
}

export function audit(entries: readonly LogEntry[], options: AuditOptions = {}): AuditReport {
  const differences: AuditDifference[] = [];
  const max = options.max_differences ?? 100;
  const differ = (seq: number | null, what: string, detail: string) => {
    if (differences.length < max) differences.push({ seq, what, detail });
  };
  const chain = verifyChain(entries);
  if (!chain.valid && chain.first_invalid)
    differ(chain.first_invalid.seq, 'hash chain', chain.first_invalid.reason);

  const state = new CommuneState(options);
  const redecide = options.redecide ?? true;
  let events = 0;
  for (const entry of entries) {
    events += entry.events.length;
    const command = entry.command;
    const seen = state.keys.get(command.idempotency_key);
    if (seen !== undefined) differ(entry.seq, 'idempotency', `key "${command.idempotency_key}" used again`);
    if (redecide) {
      state.uow.begin();
      const outcome = runCommand(state, command);
      state.uow.rollback();
      const derived =
        'rejection' in outcome
          ? `rejected ${outcome.rejection.code}: ${outcome.rejection.message}`
          : canonicalJson(outcome.events);
      if (derived !== canonicalJson(entry.events)) {
        differ(entry.seq, 'events', `${command.type} decides differently: ${derived.slice(0, 300)}`);
      }
    } else {
      state.uow.begin();
      for (const event of entry.events) evolve(state, event);
      const broken = checkCommand(state, entry.events);
      state.uow.rollback();
      if (broken) differ(entry.seq, 'invariant', `${broken.code}: ${broken.message}`);
    }
    applyEntry(state, entry);
    if (state.keys.get(command.idempotency_key)?.split(' ')[0] !== commandFingerprint(command)) {
      differ(entry.seq, 'idempotency', 'fingerprint mismatch');
    }
  }
  const violations = checkInvariants(state);
  const digest = stateDigest(state);
  if (options.expected_digest !== undefined && options.expected_digest !== digest) {
    differ(null, 'state', `the log re-derives state ${digest}, not the claimed ${options.expected_digest}`);
  }
  if (options.expected_reports) {
    const derived = allReports(state) as Record<string, unknown>;
    for (const [name, claimed] of Object.entries(options.expected_reports)) {
      if (!(name in derived)) {
        differ(null, 'report', `no report named ${name}`);
      } else if (canonicalJson(claimed) !== canonicalJson(derived[name])) {
        differ(null, 'report', `${name} differs from what the log re-derives`);
      }
    }
  }
  return {
    ok: differences.length === 0 && violations.length === 0 && chain.valid,
    entries: entries.length,
    events,
    chain,
    state_digest: digest,
    differences,
    violations,
  };
}
