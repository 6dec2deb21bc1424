/**
 * Journals: lists of commands, one JSON object a line (JSONL), as
 * `telekommune commune import` reads them and `export` writes them.
 */
import { canonicalJson, fromJsonValue, toJsonValue } from './canonical-json.js';
import type { Command } from './commands.js';
import type { IsoDate } from './dates.js';
import type { LogEntry } from './hash-chain.js';

type Draft = Command extends infer C
  ? C extends Command
    ? Omit<C, 'idempotency_key' | 'effective_date'>
    : never
  : never;

/** Builds a journal with dates and readable, unique idempotency keys. */
export class JournalBuilder {
  readonly #commands: Command[] = [];
  #date: IsoDate;
  #n = 0;

  constructor(
    private readonly prefix: string,
    start: IsoDate,
  ) {
    this.#date = start;
  }

  /** Commands added from now on take this effective date. */
  on(date: IsoDate): this {
    this.#date = date;
    return this;
  }

  add(...drafts: Draft[]): this {
    for (const draft of drafts) {
      this.#n += 1;
      this.#commands.push({
        ...draft,
        idempotency_key: `${this.prefix}-${String(this.#n).padStart(4, '0')}`,
        effective_date: this.#date,
      } as Command);
    }
    return this;
  }

  build(): Command[] {
    return [...this.#commands];
  }
}

/** One command per line, amounts as decimal strings. */
export function toJsonl(commands: Iterable<Command>): string {
  let out = '';
  for (const command of commands) out += `${canonicalJson(command)}\n`;
  return out;
}

/** The log written back as a journal of the commands that were accepted. */
export function exportJournal(entries: Iterable<LogEntry>): string {
  const commands: Command[] = [];
  for (const entry of entries) commands.push(entry.command);
  return toJsonl(commands);
}

export interface JournalLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly value: unknown;
}

/** Lines of a JSONL text: blank lines and `#` comments skipped; a line that is not JSON yields an error value. */
export function* readJsonl(text: string): Generator<JournalLine | { line: number; error: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    try {
      yield { line: i + 1, value: JSON.parse(raw) as unknown };
    } catch (error) {
      yield { line: i + 1, error: `not JSON: ${(error as Error).message}` };
    }
  }
}

export { fromJsonValue, toJsonValue };
