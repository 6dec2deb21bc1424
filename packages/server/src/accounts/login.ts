import type { Account } from '@telekommune/store';
import type { AccessServices } from './access-services.js';
import { verifyDecoy, verifyPassword } from './passwords.js';

export type LoginOutcome =
  | { ok: true; account: Account }
  | { ok: false; code: 'UNAUTHENTICATED' }
  | { ok: false; code: 'RATE_LIMITED'; retryAfter_s: number };

/** The longest user name and password a login looks at; longer ones fail without hashing. */
const maxUsername = 64;
const maxPassword = 256;

/**
 * Checks a user name and password. Unknown names, wrong passwords and
 * over-long input all fail the same way and count against the limits; a
 * refused attempt (rate limited) does not even reach the hash.
 */
export async function checkLogin(
  access: AccessServices,
  username: string,
  password: string,
  sourceAddress: string,
): Promise<LoginOutcome> {
  const name = username.trim().toLowerCase();
  const permission = access.limiter.check(name, sourceAddress);
  if (!permission.ok) return { ok: false, code: 'RATE_LIMITED', retryAfter_s: permission.retryAfter_s };
  const account =
    name.length <= maxUsername && password.length <= maxPassword
      ? await access.accounts.findByUsername(name)
      : undefined;
  const stored = account ? await access.accounts.passwordHash(account.id) : undefined;
  const ok =
    account && stored
      ? await verifyPassword(stored, password)
      : await verifyDecoy(password.slice(0, maxPassword));
  if (!ok || !account) {
    access.limiter.failed(name, sourceAddress);
    return { ok: false, code: 'UNAUTHENTICATED' };
  }
  access.limiter.succeeded(name);
  return { ok: true, account };
}
