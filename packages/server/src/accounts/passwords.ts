import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id with the parameters OWASP's Password Storage Cheat Sheet gives as
 * its first choice (19 MiB, 2 iterations, 1 lane). The PHC string records
 * them, so raising them later still verifies old hashes.
 */
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const passwordLimits = { minLength: 10, maxLength: 256 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

/** False for a wrong password and for a hash that cannot be read. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the time a real verification takes, for an unknown user name, so
 * response times do not tell which accounts exist.
 */
export async function verifyDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await decoyHash, password);
  return false;
}

/** Why a new password is not acceptable, or undefined when it is. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < passwordLimits.minLength)
    return `expected at least ${passwordLimits.minLength} characters`;
  if (password.length > passwordLimits.maxLength)
    return `expected at most ${passwordLimits.maxLength} characters`;
  if (password.toLowerCase() === username.toLowerCase()) return 'the password must differ from the user name';
  if (/^(.)\1*$/.test(password)) return 'the password must not repeat one character';
  return undefined;
}

/** A random password a person can type: 20 characters from an unambiguous alphabet (about 115 bits). */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  // 256 is not a multiple of the alphabet size: reject bytes past the last full cycle (no modulo bias).
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
