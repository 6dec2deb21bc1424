/**
 * The audit (venture-commune.md §2, §12): replay the whole log from nothing,
 * verify its hash chain, decide every command again and compare the events,
 * check every invariant after every command and over the final state, and
 * compare the state and reports re-derived with those claimed (for example a
 * store's projections). Any difference is reported, none is fatal.
 */
import { canonicalJson } from './canonical-json.js';
import { recordEntry, runCommand } from './engine.js';
import { evolve } from './evolve.js';
import {
  type ChainVerification,
  commandJsonOf,
  EncodedEntry,
  effectiveDateOf,
  entryFingerprint,
  entryHashOf,
  fingerprintOf,
  genesisHash,
  idempotencyKeyOf,
  type LogEntry,
} from './hash-chain.js';
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

/** Audit a whole log (see `Auditor` to feed a long one page by page). */
export function audit(entries: Iterable<LogEntry>, options: AuditOptions = {}): AuditReport {
  const auditor = new Auditor(options);
  for (const entry of entries) auditor.add(entry);
  return auditor.finish();
}

/**
 * The audit fed one entry at a time, in log order, so a log of any length is
 * audited without holding it in memory. Each command is encoded once and each
 * entry hashed once: the chain, the comparison of the events and the
 * fingerprint share the encodings. A command that decides the events it
 * recorded keeps the state its decision built, as the engine does when it
 * accepts a command; any other entry is undone and its recorded events applied.
 */
export class Auditor {
  readonly #options: AuditOptions;
  readonly #state: CommuneState;
  readonly #redecide: boolean;
  readonly #max: number;
  readonly #differences: AuditDifference[] = [];
  #entries = 0;
  #events = 0;
  #finished = false;
  /** The hash chain: the last verified hash, how many entries it covers, and the first break. */
  #head = genesisHash;
  #linked = 0;
  #broken: { readonly seq: number; readonly reason: string } | null = null;

  constructor(options: AuditOptions = {}) {
    this.#options = options;
    this.#state = new CommuneState(options);
    this.#redecide = options.redecide ?? true;
    this.#max = options.max_differences ?? 100;
  }

  #differ(seq: number | null, what: string, detail: string): void {
    if (this.#differences.length < this.#max) this.#differences.push({ seq, what, detail });
  }

  /** The next entry of the log. */
  add(entry: LogEntry): void {
    if (this.#finished) throw new Error('the audit is finished');
    const state = this.#state;
    this.#entries += 1;
    this.#events += entry.events.length;
    const command = entry.command;
    if (state.keys.get(command.idempotency_key) !== undefined)
      this.#differ(entry.seq, 'idempotency', `key "${command.idempotency_key}" used again`);
    const commandJson = canonicalJson(command);
    /** The canonical JSON of the recorded events, once something needed it. */
    let eventsJson: string | undefined;
    let applied: boolean;
    if (this.#redecide) {
      state.uow.begin();
      let outcome: ReturnType<typeof runCommand>;
      try {
        outcome = runCommand(state, command);
      } catch (fault) {
        state.uow.rollback();
        throw fault;
      }
      let derived: string;
      if ('rejection' in outcome) {
        derived = `rejected ${outcome.rejection.code}: ${outcome.rejection.message}`;
        eventsJson = canonicalJson(entry.events);
      } else {
        derived = canonicalJson(outcome.events);
        // Stored text equal to a canonical encoding is canonical itself, so it
        // is the encoding of the entry's events (which were parsed from it).
        eventsJson =
          entry instanceof EncodedEntry && entry.eventsJson === derived
            ? derived
            : canonicalJson(entry.events);
      }
      applied = derived === eventsJson;
      if (applied) {
        state.uow.commit();
      } else {
        state.uow.rollback();
        this.#differ(entry.seq, 'events', `${command.type} decides differently: ${derived.slice(0, 300)}`);
      }
    } else {
      // Apply the recorded events and check what they did; they stay applied either way.
      state.uow.begin();
      try {
        for (const event of entry.events) evolve(state, event);
      } catch (fault) {
        state.uow.rollback();
        throw fault;
      }
      const broken = checkCommand(state, entry.events);
      state.uow.commit();
      applied = true;
      if (broken) this.#differ(entry.seq, 'invariant', `${broken.code}: ${broken.message}`);
    }
    this.#link(entry, commandJson, eventsJson);
    if (!applied) for (const event of entry.events) evolve(state, event);
    const storedJson = commandJsonOf(entry);
    const fingerprint = fingerprintOf(storedJson);
    recordEntry(state, entry.seq, command.idempotency_key, command.effective_date, fingerprint);
    if (storedJson !== commandJson && fingerprintOf(commandJson) !== fingerprint)
      this.#differ(entry.seq, 'idempotency', 'fingerprint mismatch');
    // Replay takes the key, the date and the fingerprint from beside the stored command (EncodedEntry): they must agree.
    if (
      idempotencyKeyOf(entry) !== command.idempotency_key ||
      effectiveDateOf(entry) !== command.effective_date ||
      entryFingerprint(entry) !== fingerprint
    )
      this.#differ(
        entry.seq,
        'entry',
        'the key, date or fingerprint stored beside the command differs from the command',
      );
  }

  /** The hash chain (venture-commune.md §12), verified up to its first break as `verifyChain` does. */
  #link(entry: LogEntry, commandJson: string, eventsJson: string | undefined): void {
    if (this.#broken !== null) return;
    let reason: string | null = null;
    if (entry.seq !== this.#linked + 1) reason = `expected entry ${this.#linked + 1}, found ${entry.seq}`;
    else if (entry.prev_hash !== this.#head) reason = 'previous hash does not match the entry before it';
    else if (
      entryHashOf(entry.seq, entry.prev_hash, commandJson, eventsJson ?? canonicalJson(entry.events)) !==
      entry.hash
    )
      reason = 'hash does not match the entry content';
    if (reason !== null) {
      this.#broken = { seq: entry.seq, reason };
      return;
    }
    this.#head = entry.hash;
    this.#linked += 1;
  }

  /** The report, once every entry is in. */
  finish(): AuditReport {
    if (this.#finished) throw new Error('the audit is finished');
    this.#finished = true;
    const options = this.#options;
    const state = this.#state;
    const violations = checkInvariants(state);
    const digest = stateDigest(state);
    if (options.expected_digest !== undefined && options.expected_digest !== digest) {
      this.#differ(
        null,
        'state',
        `the log re-derives state ${digest}, not the claimed ${options.expected_digest}`,
      );
    }
    if (options.expected_reports) {
      const derived = allReports(state) as Record<string, unknown>;
      for (const [name, claimed] of Object.entries(options.expected_reports)) {
        if (!(name in derived)) {
          this.#differ(null, 'report', `no report named ${name}`);
        } else if (canonicalJson(claimed) !== canonicalJson(derived[name])) {
          this.#differ(null, 'report', `${name} differs from what the log re-derives`);
        }
      }
    }
    const chain: ChainVerification = {
      valid: this.#broken === null,
      entries: this.#linked,
      head: this.#head,
      first_invalid: this.#broken,
    };
    // A broken chain is the first difference, as if the chain were verified before the replay.
    const differences =
      this.#broken === null
        ? this.#differences
        : [
            { seq: this.#broken.seq, what: 'hash chain', detail: this.#broken.reason },
            ...this.#differences,
          ].slice(0, this.#max);
    return {
      ok: differences.length === 0 && violations.length === 0 && chain.valid,
      entries: this.#entries,
      events: this.#events,
      chain,
      state_digest: digest,
      differences,
      violations,
    };
  }
}
