import type { Generated } from 'kysely';
import type { AccountsDatabase } from './accounts/schema-accounts.js';
import type { CarriersDatabase } from './carriers/schema-carriers.js';
import type { CommuneDatabase } from './commune/schema-commune.js';
import type { VoiceDatabase } from './voice/schema-voice.js';

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
  /** Migration 0400: the account a token acts as (user, commune scopes) or was made by. */
  account_id: string | null;
  expires_at: string | null;
}

/** Integers stored as bigint come back as number (SQLite) or string (PostgreSQL int8). */
export type Int8 = number | string | bigint;

export interface RegistrationsTable {
  tenant_id: string;
  aor: string;
  contact: string;
  instance_id: string | null;
  call_id: string;
  cseq: Int8;
  expires_at_ms: Int8;
  registered_at_ms: Int8;
  q: number | null;
  user_agent: string | null;
  /** The transport flow (JSON). */
  flow: string;
}

export interface CdrsTable {
  id: string;
  tenant_id: string;
  call_id: string;
  direction: string;
  caller: string;
  caller_name: string | null;
  callee: string;
  answered_by: string | null;
  did: string | null;
  carrier_id: string | null;
  started_at_ms: Int8;
  answered_at_ms: Int8 | null;
  ended_at_ms: Int8;
  disposition: string;
  hangup_side: string | null;
  sip_status: number;
  /** JSON array of destination strings. */
  forwarding_path: string;
  cost_minor: Int8 | null;
  price_minor: Int8 | null;
  currency: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database extends AccountsDatabase, CarriersDatabase, CommuneDatabase, VoiceDatabase {
  registrations: RegistrationsTable;
  cdrs: CdrsTable;
  meta: MetaTable;
  tenants: TenantsTable;
  extensions: ExtensionsTable;
  config_revision: ConfigRevisionTable;
  api_tokens: ApiTokensTable;
}

export type { Generated };
