import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyDecoy, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery ')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await verifyDecoy('anything')).toBe(false);
  });

  it('judges new passwords', () => {
    expect(passwordProblem('short', 'a')).toBe('expected at least 10 characters');
    expect(passwordProblem('x'.repeat(257), 'a')).toBe('expected at most 256 characters');
    expect(passwordProblem('AliceAlice', 'alicealice')).toBe('the password must differ from the user name');
    expect(passwordProblem('aaaaaaaaaaaa', 'bob')).toBe('the password must not repeat one character');
    expect(passwordProblem('a fine passphrase', 'bob')).toBeUndefined();
  });

  it('generates unambiguous random passwords', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{20}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});
