import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './open-store.js';

export type TokenScope = 'operator' | 'tenant';

export interface ApiToken {
  readonly id: string;
  readonly scope: TokenScope;
  readonly tenantId: string | null;
  readonly label: string;
}

function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

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
    scope: TokenScope,
    label: string,
    tenantId: string | null = null,
  ): Promise<{ token: string; id: string }> {
    const id = randomBytes(6).toString('hex');
    const token = `tk_${id}_${randomBytes(24).toString('base64url')}`;
    await this.store.db
      .insertInto('api_tokens')
      .values({
        id,
        secret_sha256: sha256(token),
        scope,
        tenant_id: tenantId,
        label,
        created_at: this.now().toISOString(),
        last_used_at: null,
      })
      .execute();
    return { token, id };
  }

  /** The token's grant, or undefined when it is unknown or revoked. */
  async verify(token: string): Promise<ApiToken | undefined> {
    if (!/^tk_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/.test(token)) return undefined;
    const row = await this.store.db
      .selectFrom('api_tokens')
      .select(['id', 'scope', 'tenant_id', 'label'])
      .where('secret_sha256', '=', sha256(token))
      .executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, scope: row.scope as TokenScope, tenantId: row.tenant_id, label: row.label };
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.store.db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
