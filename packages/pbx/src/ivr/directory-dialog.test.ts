import { type DtmfDigit, english, type PlayInput } from '@telekommune/media';
import { describe, expect, it } from 'vitest';
import type { CollectOptions } from '../apps/call-media.js';
import { type DirectoryCaller, DirectoryDialog, type DirectoryEntry } from './directory-dialog.js';

const people: DirectoryEntry[] = [
  { number: '1001', name: 'Alice Walker' },
  { number: '1002', name: 'Bob Smith' },
  { number: '1006', name: 'Bob Adams' },
];

/**
 * A caller following a script: each burst is the keys typed the next time
 * the dialogue waits with nothing typed ahead ('' is silence: the wait
 * times out). Past the script the caller has hung up. Like CallMedia, a
 * play is skipped while keys are waiting.
 */
class ScriptedCaller implements DirectoryCaller {
  /** What was played, batch by batch (skipped batches left out). */
  readonly heard: PlayInput[][] = [];
  private readonly buffer: DtmfDigit[] = [];
  active = true;

  constructor(private readonly bursts: string[]) {}

  async play(items: readonly PlayInput[]): Promise<unknown> {
    if (this.active && this.buffer.length === 0 && items.length > 0) this.heard.push([...items]);
    return undefined;
  }

  async collect(prompts: readonly PlayInput[], options: CollectOptions): Promise<string> {
    await this.play(prompts);
    let text = '';
    let timeout = options.firstTimeout_ms;
    while (text.length < options.max && this.active) {
      const digit = await this.nextDigit(timeout);
      if (digit === undefined || digit === '#') break;
      text += digit;
      timeout = options.interDigit_ms;
    }
    return text;
  }

  async nextDigit(_timeout_ms: number): Promise<DtmfDigit | undefined> {
    if (this.buffer.length === 0) {
      const burst = this.bursts.shift();
      if (burst === undefined) {
        this.active = false;
        return undefined;
      }
      this.buffer.push(...([...burst] as DtmfDigit[]));
    }
    return this.buffer.shift();
  }

  clearDigits(): void {
    this.buffer.length = 0;
  }
}

const spokenName = async (entry: DirectoryEntry): Promise<PlayInput[]> => [`name:${entry.name}`];

/** What one entry sounds like: its name, "extension 1 0 0 2", "press 1". */
const entry = (name: string, number: string, key: number): PlayInput[] => [
  `name:${name}`,
  'word-extension',
  ...english.extension(number),
  'word-press',
  ...english.digits(String(key)),
];

async function dial(bursts: string[], entries: readonly DirectoryEntry[] = people) {
  const caller = new ScriptedCaller(bursts);
  const picked = await new DirectoryDialog(caller, english, spokenName).run(entries);
  return { picked, heard: caller.heard };
}

describe('the dial-by-name dialogue (docs/ivr.md)', () => {
  it('reads the one match by name and extension, and the key it asks for picks it', async () => {
    const { picked, heard } = await dial(['764', '', '1']);
    expect(picked).toBe('1002');
    expect(heard).toEqual([['ivr-directory-intro'], entry('Bob Smith', '1002', 1)]);
  });

  it('reads two people of one name with their own names, in order, each with a key', async () => {
    const { picked, heard } = await dial(['262', '', '2']);
    expect(picked).toBe('1002');
    expect(heard[1]).toEqual([...entry('Bob Adams', '1006', 1), ...entry('Bob Smith', '1002', 2)]);
  });

  it('takes letters spelled on past the third as letters that narrow the search, not as the choice', async () => {
    const smiths = [...people, { number: '1007', name: 'Ivan Smirnov' }];
    // S-M-I matches Smith and Smirnov.
    const both = await dial(['764', '', '2'], smiths);
    expect(both.picked).toBe('1007');
    expect(both.heard[1]).toEqual([...entry('Bob Smith', '1002', 1), ...entry('Ivan Smirnov', '1007', 2)]);
    // S-M-I-T (typed in one go, or the T a moment later) is Smith alone: the T picks no one.
    for (const bursts of [
      ['7648', '', '1'],
      ['764', '8', '', '1'],
    ]) {
      const { picked, heard } = await dial(bursts, smiths);
      expect(picked, bursts.join('|')).toBe('1002');
      expect(heard, bursts.join('|')).toEqual([['ivr-directory-intro'], entry('Bob Smith', '1002', 1)]);
    }
  });

  it('ends the spelling at a key that is no letter, and that key chooses nothing', async () => {
    const { picked, heard } = await dial(['7641', '1']);
    expect(picked).toBe('1002');
    expect(heard).toEqual([['ivr-directory-intro'], entry('Bob Smith', '1002', 1)]);
  });

  it('takes fewer letters when the caller presses # or pauses, and no more than twelve', async () => {
    expect((await dial(['26#', '2'])).picked).toBe('1002'); // B-O: both Bobs, Smith second
    expect((await dial(['26', '', '2'])).picked).toBe('1002');
    // Thirteen keys: twelve letters that spell nobody; the thirteenth is dropped, not taken as a choice.
    const { picked, heard } = await dial(['2622626262626', '']);
    expect(picked).toBeUndefined();
    expect(heard[1]).toEqual(['ivr-directory-no-match', 'ivr-directory-intro']);
  });

  it('says a wrong key is not an option and reads the page again', async () => {
    for (const wrong of ['3', '9', '0', '#', '*']) {
      const { picked, heard } = await dial(['262', '', wrong, '1']);
      expect(picked, wrong).toBe('1006');
      expect(heard[2]?.[0], wrong).toBe('ivr-invalid-option');
      expect(heard[2]?.slice(1), wrong).toEqual(heard[1]);
    }
  });

  it('says nothing was pressed and reads the page again, then gives up after three silences', async () => {
    const { picked, heard } = await dial(['262', '', '', '', '', '1']);
    expect(picked).toBeUndefined();
    expect(heard.map((batch) => batch[0])).toEqual([
      'ivr-directory-intro',
      'name:Bob Adams',
      'ivr-no-input',
      'ivr-no-input',
    ]);
  });

  it('letters that match nobody are told so and asked for again; a second spelling can find someone', async () => {
    const { picked, heard } = await dial(['999', '', '254', '', '1']);
    expect(picked).toBe('1001');
    expect(heard.slice(0, 2)).toEqual([
      ['ivr-directory-intro'],
      ['ivr-directory-no-match', 'ivr-directory-intro'],
    ]);
  });

  it('after three spellings that match nobody, says so and goes back to the menu', async () => {
    const { picked, heard } = await dial(['999', '', '111', '', '88#']);
    expect(picked).toBeUndefined();
    expect(heard).toEqual([
      ['ivr-directory-intro'],
      ['ivr-directory-no-match', 'ivr-directory-intro'],
      ['ivr-directory-no-match', 'ivr-directory-intro'],
      ['ivr-directory-no-match'],
    ]);
  });

  it('goes back to the menu when no letter comes', async () => {
    const { picked, heard } = await dial(['']);
    expect(picked).toBeUndefined();
    expect(heard).toEqual([['ivr-directory-intro']]);
  });

  it('reads eight names a page; star turns the page, whose keys start at 1 again', async () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ number: String(2000 + i), name: `Bob ${i}` }));
    const { picked, heard } = await dial(['262', '', '*', '2'], many);
    expect(picked).toBe('2009');
    expect(heard[1]?.filter((item) => String(item).startsWith('name:'))).toHaveLength(8);
    expect(heard[1]?.at(-1)).toBe('ivr-directory-more');
    expect(heard[2]).toEqual([...entry('Bob 8', '2008', 1), ...entry('Bob 9', '2009', 2)]);
    // On the last page star is not an option.
    const last = await dial(['262', '', '*', '*', '1'], many);
    expect(last.picked).toBe('2008');
    expect(last.heard[3]?.[0]).toBe('ivr-invalid-option');
  });

  it('reads the extension alone when the name cannot be had', async () => {
    const caller = new ScriptedCaller(['764', '', '1']);
    const noName = async () => Promise.reject(new Error('no synthesiser'));
    const picked = await new DirectoryDialog(caller, english, noName).run(people);
    expect(picked).toBe('1002');
    expect(caller.heard[1]).toEqual(entry('Bob Smith', '1002', 1).slice(1));
  });

  it('stops when the caller hangs up', async () => {
    expect((await dial(['262'])).picked).toBeUndefined();
    expect((await dial([])).picked).toBeUndefined();
  });
});
