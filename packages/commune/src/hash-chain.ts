/**
 * The event log as a hash chain (venture-commune.md §12): each entry's hash
 * is SHA-256 over the canonical JSON of its sequence number, the previous
 * hash, the command and its events. Changing, dropping or reordering any entry
 * breaks every hash after it, so an auditor holding the head hash can verify
 * the whole log.
 */
import { createHash, hash } from 'node:crypto';
import { canonicalJson, parseCanonicalJson } from './canonical-json.js';
import type { Command } from './commands.js';
import type { CommuneEvent } from './events.js';

export const genesisHash = '0'.repeat(64);

export interface LogEntry {
  /** 1-based position in the log. */
  readonly seq: number;
  readonly command: Command;
  readonly events: readonly CommuneEvent[];
  readonly prev_hash: string;
  readonly hash: string;
}

/** SHA-256, hex. `crypto.hash` (one call, no hasher object) where the runtime has it. */
export const sha256Hex: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text).digest('hex');

/**
 * SHA-256 of the canonical JSON of `{ command, events, prev_hash, seq }`,
 * assembled from the command's and events' own canonical JSON (the keys are
 * already in canonical order), so callers that have them encode nothing twice.
 */
export function entryHashOf(seq: number, prev_hash: string, commandJson: string, eventsJson: string): string {
  return sha256Hex(
    `{"command":${commandJson},"events":${eventsJson},"prev_hash":${JSON.stringify(prev_hash)},"seq":${seq}}`,
  );
}

export function entryHash(
  seq: number,
  prev_hash: string,
  command: Command,
  events: readonly CommuneEvent[],
): string {
  return entryHashOf(seq, prev_hash, canonicalJson(command), canonicalJson(events));
}

export function sealEntry(
  seq: number,
  prev_hash: string,
  command: Command,
  events: readonly CommuneEvent[],
): LogEntry {
  return { seq, command, events, prev_hash, hash: entryHash(seq, prev_hash, command, events) };
}

/**
 * What replay needs of a stored command without decoding or hashing it; the
 * store keeps these in columns of their own.
 */
export interface CommandHead {
  readonly idempotency_key: string;
  readonly effective_date: string;
  /** `fingerprintOf` the command's JSON, if the store has it. */
  readonly fingerprint?: string | null;
}

/**
 * A log entry with the canonical JSON of its command and events, so
 * replaying, auditing or storing it encodes nothing again. It is made only
 * from values (encoded here) or from stored text (decoded here), so the texts
 * and the values always say the same. The texts are private fields: encoding,
 * spreading and equality see only the entry, and a copy with a changed
 * command or events is encoded afresh.
 *
 * A stored entry decodes its command on first use: replay needs only its
 * events, its key, its date and its fingerprint (venture-commune.md §11), and
 * decoding a command costs as much as decoding its events. `command` is still
 * an own, enumerable property (an accessor), so spreading or encoding an entry
 * sees it.
 */
export class EncodedEntry implements LogEntry {
  declare readonly command: Command;
  #command: Command | undefined;
  readonly #commandJson: string;
  readonly #eventsJson: string;
  readonly #key: string;
  readonly #date: string;
  #fingerprint: string | undefined;

  /** One accessor for every entry (one shape, no closure per entry). */
  static readonly #commandProperty: PropertyDescriptor = {
    get(this: EncodedEntry): Command {
      this.#command ??= parseCanonicalJson(this.#commandJson) as Command;
      return this.#command;
    },
    enumerable: true,
  };

  private constructor(
    readonly seq: number,
    command: Command | undefined,
    readonly events: readonly CommuneEvent[],
    readonly prev_hash: string,
    readonly hash: string,
    commandJson: string,
    eventsJson: string,
    head: CommandHead,
  ) {
    Object.defineProperty(this, 'command', EncodedEntry.#commandProperty);
    this.#command = command;
    this.#commandJson = commandJson;
    this.#eventsJson = eventsJson;
    this.#key = head.idempotency_key;
    this.#date = head.effective_date;
    this.#fingerprint = head.fingerprint ?? undefined;
  }

  /** A new entry following `prev_hash`: its command and events encoded once, and hashed. */
  static seal(
    seq: number,
    prev_hash: string,
    command: Command,
    events: readonly CommuneEvent[],
  ): EncodedEntry {
    const commandJson = canonicalJson(command);
    const eventsJson = canonicalJson(events);
    const hash = entryHashOf(seq, prev_hash, commandJson, eventsJson);
    return new EncodedEntry(seq, command, events, prev_hash, hash, commandJson, eventsJson, command);
  }

  /**
   * A stored entry, its events decoded from the stored text (amounts as
   * `bigint`). Given the command's key and date (and fingerprint) as stored
   * beside it, the command itself is decoded only when something reads it
   * (the audit checks that they agree); without them it is decoded now.
   */
  static parse(
    seq: number,
    commandJson: string,
    eventsJson: string,
    prev_hash: string,
    hash: string,
    head?: CommandHead,
  ): EncodedEntry {
    const events = parseCanonicalJson(eventsJson) as CommuneEvent[];
    if (head !== undefined)
      return new EncodedEntry(seq, undefined, events, prev_hash, hash, commandJson, eventsJson, head);
    const command = parseCanonicalJson(commandJson) as Command;
    return new EncodedEntry(seq, command, events, prev_hash, hash, commandJson, eventsJson, command);
  }

  /** The command's JSON as encoded or stored (canonical unless the store holds other text). */
  get commandJson(): string {
    return this.#commandJson;
  }

  /** The events' JSON as encoded or stored (canonical unless the store holds other text). */
  get eventsJson(): string {
    return this.#eventsJson;
  }

  /** The command's idempotency key, as stored beside it (or read from it). */
  get idempotencyKey(): string {
    return this.#key;
  }

  /** The command's effective date, as stored beside it (or read from it). */
  get effectiveDate(): string {
    return this.#date;
  }

  /** The command's fingerprint, as stored beside it (or computed once from its JSON). */
  get fingerprint(): string {
    this.#fingerprint ??= fingerprintOf(this.#commandJson);
    return this.#fingerprint;
  }
}

/** An entry's idempotency key, without decoding a stored command. */
export function idempotencyKeyOf(entry: LogEntry): string {
  return entry instanceof EncodedEntry ? entry.idempotencyKey : entry.command.idempotency_key;
}

/** An entry's effective date, without decoding a stored command. */
export function effectiveDateOf(entry: LogEntry): string {
  return entry instanceof EncodedEntry ? entry.effectiveDate : entry.command.effective_date;
}

/** An entry's command fingerprint, stored or computed once (see `fingerprintOf`). */
export function entryFingerprint(entry: LogEntry): string {
  return entry instanceof EncodedEntry ? entry.fingerprint : commandFingerprint(entry.command);
}

/** The canonical JSON of an entry's command (kept, or encoded now). */
export function commandJsonOf(entry: LogEntry): string {
  return entry instanceof EncodedEntry ? entry.commandJson : canonicalJson(entry.command);
}

/** The canonical JSON of an entry's events (kept, or encoded now). */
export function eventsJsonOf(entry: LogEntry): string {
  return entry instanceof EncodedEntry ? entry.eventsJson : canonicalJson(entry.events);
}

/** A command's fingerprint, to tell a retry from a different command reusing its key. */
export function commandFingerprint(command: Command): string {
  return fingerprintOf(canonicalJson(command));
}

export function fingerprintOf(commandJson: string): string {
  return sha256Hex(commandJson).slice(0, 32);
}

export interface ChainVerification {
  readonly valid: boolean;
  readonly entries: number;
  readonly head: string;
  readonly first_invalid: { readonly seq: number; readonly reason: string } | null;
}

export function verifyChain(entries: Iterable<LogEntry>): ChainVerification {
  let prev = genesisHash;
  let expectedSeq = 1;
  let count = 0;
  for (const entry of entries) {
    const fail = (reason: string): ChainVerification => ({
      valid: false,
      entries: count,
      head: prev,
      first_invalid: { seq: entry.seq, reason },
    });
    if (entry.seq !== expectedSeq) return fail(`expected entry ${expectedSeq}, found ${entry.seq}`);
    if (entry.prev_hash !== prev) return fail('previous hash does not match the entry before it');
    if (entryHash(entry.seq, entry.prev_hash, entry.command, entry.events) !== entry.hash) {
      return fail('hash does not match the entry content');
    }
    prev = entry.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { valid: true, entries: count, head: prev, first_invalid: null };
}
