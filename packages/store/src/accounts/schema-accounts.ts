/**
 * Tables of the accounts area (migrations 0400-0499). Times are ISO-8601 UTC
 * text like every other table.
 */
export interface AccountsTable {
  id: string;
  /** Lowercase; unique across the installation. */
  username: string;
  /** An argon2id PHC string; never sent anywhere. */
  password_hash: string;
  /** One of `AccountRole`. */
  role: string;
  tenant_id: string | null;
  extension: string | null;
  /** The commune person a member account speaks for. */
  person_id: string | null;
  display_name: string;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
}

export interface SessionsTable {
  /** Public id, shown in "my sessions" and used to revoke one. */
  id: string;
  /** SHA-256 of the cookie secret, hex; the secret itself is never stored. */
  secret_sha256: string;
  account_id: string;
  /** The synchronizer token state-changing requests must echo in X-CSRF-Token. */
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  source_address: string;
  user_agent: string;
}

export interface AccountsDatabase {
  accounts: AccountsTable;
  sessions: SessionsTable;
}
