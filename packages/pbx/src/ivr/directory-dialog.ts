import type { DtmfDigit, PlayInput, SayLanguage } from '@telekommune/media';
import type { CollectOptions } from '../apps/call-media.js';
import { searchDirectory } from './directory-search.js';

/** The caller's side of the dialogue (CallMedia in a call, a script in tests). */
export interface DirectoryCaller {
  readonly active: boolean;
  /** Plays prompts, skipped or cut short by a key. */
  play(items: readonly PlayInput[]): Promise<unknown>;
  collect(prompts: readonly PlayInput[], options: CollectOptions): Promise<string>;
  nextDigit(timeout_ms: number): Promise<DtmfDigit | undefined>;
  clearDigits(): void;
}

export interface DirectoryEntry {
  readonly number: string;
  readonly name: string;
}

export interface DirectoryLimits {
  /** Letters asked for (the intro says "the first three letters"). */
  readonly letters: number;
  /** Most letters taken when the caller spells on past `letters`. */
  readonly maxLetters: number;
  /** Wait for a letter past `letters` before the names are read. */
  readonly moreLetters_ms: number;
  /** Names read out per page (keys 1 to this). */
  readonly pageSize: number;
  /** Spellings that match nobody, and wrong or missing keys at a page, before the caller goes back to the menu. */
  readonly attempts: number;
  readonly firstLetter_ms: number;
  readonly nextLetter_ms: number;
  /** Wait for a key after a page is read. */
  readonly choice_ms: number;
}

export const DIRECTORY_LIMITS: DirectoryLimits = {
  letters: 3,
  maxLetters: 12,
  moreLetters_ms: 1500,
  pageSize: 8,
  attempts: 3,
  firstLetter_ms: 8000,
  nextLetter_ms: 4000,
  choice_ms: 8000,
};

/**
 * Dial-by-name (docs/ivr.md): asks for the first letters of a first or
 * last name (more narrow the search), reads the matches a page at a time
 * (each one's name, its extension and its key), and returns the
 * extension the caller picked, or undefined to go back to the menu
 * (silence at the letters, or `attempts` spellings that match nobody, or
 * `attempts` wrong keys or silences at a page).
 */
export class DirectoryDialog {
  constructor(
    private readonly caller: DirectoryCaller,
    private readonly say: SayLanguage,
    /** The person's name as audio (a recording, speech), empty when there is none. */
    private readonly spokenName: (entry: DirectoryEntry) => Promise<PlayInput[]>,
    private readonly limits: DirectoryLimits = DIRECTORY_LIMITS,
  ) {}

  async run(entries: readonly DirectoryEntry[]): Promise<string | undefined> {
    let notice: PlayInput[] = [];
    for (let attempt = 0; attempt < this.limits.attempts && this.caller.active; attempt++) {
      const keys = await this.letters(notice);
      if (keys === '') return undefined;
      const matches = searchDirectory(entries, keys);
      if (matches.length > 0) return this.choose(matches);
      notice = ['ivr-directory-no-match'];
    }
    await this.caller.play(notice);
    return undefined;
  }

  /**
   * The letters: `letters` of them (fewer when the caller pauses or
   * presses `#`), then more while they keep coming within
   * `moreLetters_ms` (a caller who spells the whole name narrows the
   * search instead of having a letter taken as the choice of a name).
   * A key that is no letter ends the spelling and is dropped.
   */
  private async letters(notice: readonly PlayInput[]): Promise<string> {
    let keys = await this.caller.collect([...notice, 'ivr-directory-intro'], {
      max: this.limits.letters,
      firstTimeout_ms: this.limits.firstLetter_ms,
      interDigit_ms: this.limits.nextLetter_ms,
    });
    if (keys.length === this.limits.letters) {
      while (keys.length < this.limits.maxLetters && this.caller.active) {
        const key = await this.caller.nextDigit(this.limits.moreLetters_ms);
        if (key === undefined || !/^[2-9]$/.test(key)) break;
        keys += key;
      }
    }
    // Keys typed past the spelling, before any name is read, choose nothing.
    this.caller.clearDigits();
    return keys;
  }

  /** Reads the matches a page at a time; `*` turns the page; a wrong key or silence reads the page again. */
  private async choose(matches: readonly DirectoryEntry[]): Promise<string | undefined> {
    const size = this.limits.pageSize;
    let page = 0;
    let failures = 0;
    let notice: PlayInput[] = [];
    while (this.caller.active) {
      const entries = matches.slice(page * size, (page + 1) * size);
      const more = (page + 1) * size < matches.length;
      await this.caller.play([
        ...notice,
        ...(await this.readPage(entries)),
        ...(more ? ['ivr-directory-more'] : []),
      ]);
      const key = await this.caller.nextDigit(this.limits.choice_ms);
      const index = key !== undefined && /^[1-9]$/.test(key) ? Number(key) - 1 : -1;
      const chosen = entries[index];
      if (chosen) return chosen.number;
      if (key === '*' && more) {
        page++;
        failures = 0;
        notice = [];
        continue;
      }
      failures++;
      if (failures >= this.limits.attempts) return undefined;
      notice = [key === undefined ? 'ivr-no-input' : 'ivr-invalid-option'];
    }
    return undefined;
  }

  /** "<name> extension 1 0 0 2, press 1" for each entry (names looked up side by side). */
  private async readPage(entries: readonly DirectoryEntry[]): Promise<PlayInput[]> {
    const names = await Promise.all(entries.map((entry) => this.spokenName(entry).catch(() => [])));
    return entries.flatMap((entry, index) => [
      ...(names[index] ?? []),
      'word-extension',
      ...this.say.extension(entry.number),
      'word-press',
      ...this.say.digits(String(index + 1)),
    ]);
  }
}
