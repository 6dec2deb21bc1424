import type { Generated } from 'kysely';

/**
 * The tables of the one schema both back ends share. Times are ISO-8601 UTC
 * text (portable and sortable on SQLite and PostgreSQL alike); settings
 * objects are JSON text validated by the owning package's schema.
 */
export interface TenantsTable {
  id: string;
  name: string;
  domain: string;
  /** Tenant-level configuration beyond id/name/domain (JSON). */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface ExtensionsTable {
  tenant_id: string;
  number: string;
  name: string;
  password: string;
  /** Extension-level configuration beyond number/name/password (JSON). */
  settings: string;
  created_at: string;
  updated_at: string;
}

export interface ConfigRevisionTable {
  id: number;
  revision: number;
}

export interface ApiTokensTable {
  id: string;
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  secret_sha256: string;
  scope: string;
  tenant_id: string | null;
  label: string;
  created_at: string;
  last_used_at: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  meta: MetaTable;
  tenants: TenantsTable;
  extensions: ExtensionsTable;
  config_revision: ConfigRevisionTable;
  api_tokens: ApiTokensTable;
}

export type { Generated };
