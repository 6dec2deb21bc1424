import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from './open-store.js';
import type { ApiTokensTable } from './schema.js';

/**
 * What a token may do. `operator` sees and changes everything, `operator:read`
 * reads everything; `tenant:admin` and `tenant:read` the same within one
 * tenant; `user` acts as its owning account (an extension owner); `commune`
 * acts as its owning member account in the Venture Commune.
 */
export const tokenScopes = [
  'operator',
  'operator:read',
  'tenant:admin',
  'tenant:read',
  'user',
  'commune',
] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Scopes that name a tenant, and scopes that act as an account. */
export const tenantTokenScopes: readonly TokenScope[] = ['tenant:admin', 'tenant:read'];
export const accountTokenScopes: readonly TokenScope[] = ['user', 'commune'];

export interface ApiToken {
  readonly id: string;
  readonly scope: TokenScope;
  readonly tenantId: string | null;
  /** The account a `user` or `commune` token acts as, or that created the token. */
  readonly accountId: string | null;
  readonly label: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
}

export interface TokenOptions {
  readonly accountId?: string | null;
  readonly expiresAt?: Date | null;
}

function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Tokens stored before scopes were refined said `tenant` for a tenant's full access. */
function scopeOf(stored: string): TokenScope {
  if (stored === 'tenant') return 'tenant:admin';
  if ((tokenScopes as readonly string[]).includes(stored)) return stored as TokenScope;
  throw new Error(`corrupt API token: unknown scope ${stored}`);
}

function toToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    scope: scopeOf(row.scope),
    tenantId: row.tenant_id,
    accountId: row.account_id,
    label: row.label,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
  };
}

/** How often `last_used_at` is written for a busy token. */
const lastUsedResolution_ms = 60_000;

/**
 * API tokens: `tk_<id>_<secret>`. Only a SHA-256 of the whole token is kept,
 * so a leaked database does not leak usable tokens.
 */
export class ApiTokenRepository {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a token and returns it once, in full; it cannot be read back later. */
  async create(
    scope: TokenScope | 'tenant',
    label: string,
    tenantId: string | null = null,
    options: TokenOptions = {},
  ): Promise<{ token: string; id: string }> {
    const id = randomBytes(6).toString('hex');
    const token = `tk_${id}_${randomBytes(24).toString('base64url')}`;
    await this.store.db
      .insertInto('api_tokens')
      .values({
        id,
        secret_sha256: sha256(token),
        scope: scopeOf(scope),
        tenant_id: tenantId,
        account_id: options.accountId ?? null,
        label,
        created_at: this.now().toISOString(),
        last_used_at: null,
        expires_at: options.expiresAt ? options.expiresAt.toISOString() : null,
      })
      .execute();
    return { token, id };
  }

  /** The token's grant, or undefined when it is unknown, revoked or expired. */
  async verify(token: string): Promise<ApiToken | undefined> {
    if (!/^tk_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/.test(token)) return undefined;
    const row = await this.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('secret_sha256', '=', sha256(token))
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.now();
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
    const stale = new Date(now.getTime() - lastUsedResolution_ms).toISOString();
    if (row.last_used_at === null || row.last_used_at < stale) {
      await this.store.db
        .updateTable('api_tokens')
        .set({ last_used_at: now.toISOString() })
        .where('id', '=', row.id)
        .execute();
    }
    return toToken(row);
  }

  async get(id: string): Promise<ApiToken | undefined> {
    const row = await this.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toToken(row) : undefined;
  }

  /** Tokens, newest first; narrowed to one tenant or one account when asked. */
  async list(filter: { readonly tenantId?: string; readonly accountId?: string } = {}): Promise<ApiToken[]> {
    let query = this.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id');
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    return (await query.execute()).map(toToken);
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.store.db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
