import type { Account } from '@telekommune/store';
import type { z } from 'zod';
import type { accountViewSchema } from './account-schemas.js';

/** The API's view of an account. */
export function accountView(account: Account): z.output<typeof accountViewSchema> {
  return { ...account };
}
