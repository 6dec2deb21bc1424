const KEYPAD: Record<string, string> = {
  a: '2',
  b: '2',
  c: '2',
  d: '3',
  e: '3',
  f: '3',
  g: '4',
  h: '4',
  i: '4',
  j: '5',
  k: '5',
  l: '5',
  m: '6',
  n: '6',
  o: '6',
  p: '7',
  q: '7',
  r: '7',
  s: '7',
  t: '8',
  u: '8',
  v: '8',
  w: '9',
  x: '9',
  y: '9',
  z: '9',
};

/** A word spelled on a phone keypad (letters only; accents are stripped first). */
export function keypadDigits(word: string): string {
  let out = '';
  for (const ch of word.normalize('NFD').toLowerCase()) {
    const digit = KEYPAD[ch];
    if (digit) out += digit;
  }
  return out;
}

/**
 * Dial-by-name: the entries whose first or last name starts with the
 * letters the caller typed on the keypad, ordered by name.
 */
export function searchDirectory<T extends { readonly name: string }>(
  entries: readonly T[],
  keys: string,
): T[] {
  if (!/^[2-9]+$/.test(keys)) return [];
  return entries
    .filter((entry) => {
      const words = entry.name.split(/\s+/).filter((w) => w !== '');
      const first = words[0];
      const last = words[words.length - 1];
      return [first, last].some((word) => word !== undefined && keypadDigits(word).startsWith(keys));
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
