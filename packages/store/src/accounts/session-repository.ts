import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from '../open-store.js';
import type { SessionsTable } from './schema-accounts.js';

export interface Session {
  readonly id: string;
  readonly accountId: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly sourceAddress: string;
  readonly userAgent: string;
}

export interface NewSession {
  readonly accountId: string;
  readonly expiresAt: Date;
  readonly sourceAddress: string;
  readonly userAgent: string;
}

function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    accountId: row.account_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    sourceAddress: row.source_address,
    userAgent: row.user_agent,
  };
}

/** The shape of a session secret as issued; anything else is refused before a query. */
const secretPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Browser sessions. The cookie carries a random secret; only its SHA-256 is
 * stored, so a leaked database does not leak usable sessions.
 */
export class SqlSessionRepository {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a session and returns its secret once, for the cookie. */
  async create(input: NewSession): Promise<{ secret: string; session: Session }> {
    const secret = randomBytes(32).toString('base64url');
    const stamp = this.now().toISOString();
    const row: Selectable<SessionsTable> = {
      id: randomBytes(8).toString('hex'),
      secret_sha256: sha256(secret),
      account_id: input.accountId,
      csrf_token: randomBytes(24).toString('base64url'),
      created_at: stamp,
      last_seen_at: stamp,
      expires_at: input.expiresAt.toISOString(),
      source_address: input.sourceAddress.slice(0, 64),
      user_agent: input.userAgent.slice(0, 255),
    };
    await this.store.db.insertInto('sessions').values(row).execute();
    return { secret, session: toSession(row) };
  }

  /** The live session for a cookie secret; expired and unknown secrets give undefined. */
  async findBySecret(secret: string): Promise<Session | undefined> {
    if (!secretPattern.test(secret)) return undefined;
    const row = await this.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('secret_sha256', '=', sha256(secret))
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at <= this.now().toISOString()) return undefined;
    return toSession(row);
  }

  /** Records activity and slides the expiry (never past `notAfter`). */
  async touch(id: string, expiresAt: Date): Promise<void> {
    await this.store.db
      .updateTable('sessions')
      .set({ last_seen_at: this.now().toISOString(), expires_at: expiresAt.toISOString() })
      .where('id', '=', id)
      .execute();
  }

  async listForAccount(accountId: string): Promise<Session[]> {
    const now = this.now().toISOString();
    const rows = await this.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map(toSession);
  }

  /** Ends one of an account's sessions; false when it has no such session. */
  async delete(accountId: string, id: string): Promise<boolean> {
    const result = await this.store.db
      .deleteFrom('sessions')
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Ends every session of an account, except `keepId` when given; returns how many ended. */
  async deleteForAccount(accountId: string, keepId?: string): Promise<number> {
    let query = this.store.db.deleteFrom('sessions').where('account_id', '=', accountId);
    if (keepId !== undefined) query = query.where('id', '!=', keepId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes expired sessions; returns how many. */
  async deleteExpired(): Promise<number> {
    const result = await this.store.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', this.now().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
