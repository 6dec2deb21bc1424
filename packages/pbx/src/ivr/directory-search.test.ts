import { describe, expect, it } from 'vitest';
import { keypadDigits, searchDirectory } from './directory-search.js';

const people = [
  { number: '1001', name: 'Alice Walker' },
  { number: '1002', name: 'Bob Smith' },
  { number: '1003', name: 'Carol  Ann Jones' },
  { number: '1004', name: 'Émile Zola' },
  { number: '1005', name: 'Dave' },
  { number: '1006', name: 'Bob Adams' },
];

describe('dial by name (docs/ivr.md)', () => {
  it('spells words on the ITU E.161 keypad, accents stripped, other characters skipped', () => {
    expect(keypadDigits('Alice')).toBe('25423');
    expect(keypadDigits('QUIZ')).toBe('7849');
    expect(keypadDigits('Émile')).toBe('36453');
    expect(keypadDigits("O'Brien-Smith")).toBe('62743676484');
    expect(keypadDigits('')).toBe('');
  });

  it('matches the first or the last name by its first letters, sorted by name', () => {
    // 7-6-4 = S-M-I (Smith)
    expect(searchDirectory(people, '764').map((p) => p.number)).toEqual(['1002']);
    // 2-5-4 = A-L-I (Alice)
    expect(searchDirectory(people, '254').map((p) => p.number)).toEqual(['1001']);
    // 9-2-5 = W-A-L (Walker, the last name)
    expect(searchDirectory(people, '925').map((p) => p.number)).toEqual(['1001']);
    // 2-6-2 = B-O-B: both Bobs, Adams before Smith
    expect(searchDirectory(people, '262').map((p) => p.number)).toEqual(['1006', '1002']);
    // Z-O-L with the accent of Émile's first name irrelevant
    expect(searchDirectory(people, '965').map((p) => p.number)).toEqual(['1004']);
    // 3-6-4 = É-M-I
    expect(searchDirectory(people, '364').map((p) => p.number)).toEqual(['1004']);
    // A one-word name is both first and last.
    expect(searchDirectory(people, '328').map((p) => p.number)).toEqual(['1005']);
  });

  it('does not match middle names, and finds nothing for keys that spell no name', () => {
    expect(searchDirectory(people, '266')).toEqual([]); // "Ann" is a middle name
    expect(searchDirectory(people, '999')).toEqual([]);
  });

  it('takes only the letter keys 2 to 9', () => {
    for (const keys of ['', '1', '0', '*', '#', '2*', '25a']) {
      expect(searchDirectory(people, keys), keys).toEqual([]);
    }
  });

  it('does not change the list it searches', () => {
    const before = people.map((p) => p.number);
    searchDirectory(people, '2');
    expect(people.map((p) => p.number)).toEqual(before);
  });
});
