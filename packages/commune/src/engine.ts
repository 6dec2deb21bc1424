/**
 * The engine around the pure core: idempotency, the unit of work, the
 * follow-ups every command gets (admitting applicants who now qualify, §3.4),
 * the invariant net, and the hash-chained log.
 *
 * A command is decided and its events applied inside a unit of work; if any
 * invariant fails, the unit is rolled back and the command is rejected with
 * the invariant's code, so the state is untouched (venture-commune.md §3).
 */

import type { Command } from './commands.js';
import { decideCommand } from './decide.js';
import { Ids } from './deciders/context.js';
import { pendingAdmissions } from './deciders/membership.js';
import type { CommuneEvent } from './events.js';
import { evolve } from './evolve.js';
import {
  commandFingerprint,
  EncodedEntry,
  effectiveDateOf,
  entryFingerprint,
  genesisHash,
  idempotencyKeyOf,
  type LogEntry,
} from './hash-chain.js';
import { checkCommand } from './invariants.js';
import { parseCommand } from './parse-command.js';
import type { Rejection } from './rejection.js';
import { CommuneState, type StateOptions } from './state.js';

export type Outcome =
  | { readonly status: 'accepted'; readonly entry: LogEntry }
  /** The same command with the same key was accepted before; nothing new happened. */
  | { readonly status: 'duplicate'; readonly seq: number | null }
  | { readonly status: 'rejected'; readonly rejection: Rejection };

/** An accepted command whose events are applied but not yet committed (for a store to persist first). */
export interface Prepared {
  readonly entry: LogEntry;
  commit(): void;
  rollback(): void;
}

/** Several commands decided and applied, waiting to be stored. */
export interface PreparedMany {
  /** One per input, in order. */
  readonly outcomes: readonly Outcome[];
  /** The accepted ones' entries, in order, following the engine's head. */
  readonly entries: readonly LogEntry[];
  commit(): void;
  rollback(): void;
}

export type Preparation =
  | { readonly status: 'prepared'; readonly prepared: Prepared }
  | { readonly status: 'duplicate'; readonly seq: number | null }
  | { readonly status: 'rejected'; readonly rejection: Rejection };

/**
 * Apply a stored entry: its key, its date and its events. No checks; `audit`
 * is the checker. A stored command is not decoded (see `EncodedEntry`).
 */
export function applyEntry(state: CommuneState, entry: LogEntry): void {
  for (const event of entry.events) evolve(state, event);
  recordEntry(state, entry.seq, idempotencyKeyOf(entry), effectiveDateOf(entry), entryFingerprint(entry));
}

/**
 * What an entry adds to the state besides its events: its idempotency key
 * with the command's fingerprint, the entry count and the latest date.
 */
export function recordEntry(
  state: CommuneState,
  seq: number,
  idempotency_key: string,
  effective_date: string,
  fingerprint: string,
): void {
  state.keys.set(idempotency_key, `${fingerprint} ${seq}`);
  state.next('entries');
  const last = state.meta.value.last_date;
  if (last === null || effective_date > last) state.updateMeta({ last_date: effective_date });
}

/**
 * Decide a command and apply its events, with follow-ups and invariant
 * checks, inside a unit of work the caller has opened and will commit or
 * roll back.
 */
export function runCommand(
  state: CommuneState,
  command: Command,
): { events: CommuneEvent[] } | { rejection: Rejection } {
  const decision = decideCommand(command, state);
  if ('rejection' in decision) return decision;
  const events = [...decision.events];
  for (const event of events) evolve(state, event);
  const admitted = pendingAdmissions({
    state,
    date: command.effective_date,
    ids: new Ids(state),
    proposal: null,
  });
  for (const event of admitted) evolve(state, event);
  events.push(...admitted);
  const broken = checkCommand(state, events);
  if (broken) return { rejection: broken };
  return { events };
}

/**
 * `decide(command, state) → events | rejection` (venture-commune.md §11): the
 * events a command causes, its follow-ups and the invariant checks included,
 * leaving the state exactly as it was. (It works inside a unit of work it
 * rolls back; it cannot run while another unit of work is open.)
 */
export function decide(
  input: unknown,
  state: CommuneState,
): { readonly events: readonly CommuneEvent[] } | { readonly rejection: Rejection } {
  const parsed = parseCommand(input);
  if ('rejection' in parsed) return parsed;
  const known = knownKey(state, parsed.command);
  if (known !== undefined) return 'rejection' in known ? known : { events: [] };
  state.uow.begin();
  try {
    return runCommand(state, parsed.command);
  } finally {
    state.uow.rollback();
  }
}

/** A key already in the log: the same command (a retry, nothing new) or a different one (DUPLICATE). */
function knownKey(
  state: CommuneState,
  command: Command,
): { seq: number | null } | { rejection: Rejection } | undefined {
  const seen = state.keys.get(command.idempotency_key);
  if (seen === undefined) return undefined;
  const [fingerprint, seq] = seen.split(' ');
  if (fingerprint === commandFingerprint(command)) return { seq: seq === undefined ? null : Number(seq) };
  return {
    rejection: {
      code: 'DUPLICATE',
      message: `idempotency key "${command.idempotency_key}" was already used for a different command`,
    },
  };
}

export interface EngineOptions extends StateOptions {}

export class CommuneEngine {
  readonly state: CommuneState;
  #head = genesisHash;
  #seq = 0;
  #pending = false;

  constructor(options: EngineOptions = {}) {
    this.state = new CommuneState(options);
  }

  /** Rebuild an engine from a stored log (trusted: use `audit` to verify one). */
  static fromLog(entries: Iterable<LogEntry>, options: EngineOptions = {}): CommuneEngine {
    const engine = new CommuneEngine(options);
    for (const entry of entries) engine.load(entry);
    return engine;
  }

  get head(): string {
    return this.#head;
  }

  get seq(): number {
    return this.#seq;
  }

  /** Apply an entry already in the log. */
  load(entry: LogEntry): void {
    if (entry.seq !== this.#seq + 1 || entry.prev_hash !== this.#head) {
      throw new Error(`log entry ${entry.seq} does not follow entry ${this.#seq}`);
    }
    applyEntry(this.state, entry);
    this.#seq = entry.seq;
    this.#head = entry.hash;
  }

  /** What a command would do, without doing it (a pure preview). */
  decide(input: unknown): { readonly events: readonly CommuneEvent[] } | { readonly rejection: Rejection } {
    if (this.#pending) throw new Error('a prepared command is still waiting to be committed or rolled back');
    return decide(input, this.state);
  }

  /**
   * Decide and apply several commands in order inside one unit of work: each
   * sees the ones before it; a refused one is undone alone. The accepted
   * entries are committed (or all rolled back) together, once stored.
   */
  prepareMany(inputs: Iterable<unknown>): PreparedMany {
    this.#begin();
    let seq = this.#seq;
    let head = this.#head;
    const outcomes: Outcome[] = [];
    const entries: LogEntry[] = [];
    try {
      for (const input of inputs) {
        const parsed = parseCommand(input);
        if ('rejection' in parsed) {
          outcomes.push({ status: 'rejected', rejection: parsed.rejection });
          continue;
        }
        const command = parsed.command;
        const known = knownKey(this.state, command);
        if (known !== undefined) {
          outcomes.push(
            'rejection' in known
              ? { status: 'rejected', rejection: known.rejection }
              : { status: 'duplicate', seq: known.seq },
          );
          continue;
        }
        const mark = this.state.uow.mark();
        const outcome = runCommand(this.state, command);
        if ('rejection' in outcome) {
          this.state.uow.rollbackTo(mark);
          outcomes.push({ status: 'rejected', rejection: outcome.rejection });
          continue;
        }
        seq += 1;
        const entry = EncodedEntry.seal(seq, head, command, outcome.events);
        head = entry.hash;
        this.state.keys.set(command.idempotency_key, `${entry.fingerprint} ${seq}`);
        this.state.next('entries');
        if (this.state.meta.value.last_date !== command.effective_date)
          this.state.updateMeta({ last_date: command.effective_date });
        entries.push(entry);
        outcomes.push({ status: 'accepted', entry });
      }
    } catch (fault) {
      this.#end(false);
      throw fault;
    }
    let settled = false;
    return {
      outcomes,
      entries,
      commit: () => {
        if (settled) return;
        settled = true;
        this.#end(true);
        this.#seq = seq;
        this.#head = head;
      },
      rollback: () => {
        if (settled) return;
        settled = true;
        this.#end(false);
      },
    };
  }

  /** Decide and apply one command, leaving the result to be committed once the log entry is stored. */
  prepare(input: unknown): Preparation {
    const many = this.prepareMany([input]);
    const outcome = many.outcomes[0]!;
    if (outcome.status !== 'accepted') {
      many.rollback();
      return outcome;
    }
    return {
      status: 'prepared',
      prepared: { entry: outcome.entry, commit: many.commit, rollback: many.rollback },
    };
  }

  /** Decide, apply and commit. */
  execute(input: unknown): Outcome {
    const preparation = this.prepare(input);
    if (preparation.status !== 'prepared') return preparation;
    preparation.prepared.commit();
    return { status: 'accepted', entry: preparation.prepared.entry };
  }

  #begin(): void {
    if (this.#pending) throw new Error('a prepared command is still waiting to be committed or rolled back');
    this.#pending = true;
    this.state.uow.begin();
  }

  #end(commit: boolean): void {
    this.#pending = false;
    if (commit) this.state.uow.commit();
    else this.state.uow.rollback();
  }
}
