import type { Kysely } from 'kysely';
import * as m0001 from './0001-tenants.js';
import * as m0002 from './0002-meta.js';
import * as m0003 from './0003-registrations.js';
import * as m0004 from './0004-cdrs.js';
import * as m0100 from './0100-commune.js';
import * as m0101 from './0101-commune-fingerprint.js';
import * as m0200 from './0200-carriers.js';
import * as m0300 from './0300-voice.js';
import * as m0400 from './0400-accounts.js';

export interface SchemaMigration {
  up(db: Kysely<unknown>): Promise<void>;
}

/**
 * Every migration, in order. A migration is never edited once it has landed
 * on main; a change to the schema is a new file here. Names sort by their
 * number, and both back ends run the same list.
 */
export const migrations: Record<string, SchemaMigration> = {
  '0001-tenants': m0001,
  '0002-meta': m0002,
  '0400-accounts': m0400,
  '0003-registrations': m0003,
  '0004-cdrs': m0004,
  '0200-carriers': m0200,
  '0100-commune': m0100,
  '0101-commune-fingerprint': m0101,
  '0300-voice': m0300,
};
