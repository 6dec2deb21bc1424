import type { Int8 } from '../schema.js';

/** Tables of carriers, numbers, rating and the fraud guard (migration 0200). */
export interface CarriersTable {
  id: string;
  name: string;
  /** The carrier's configuration (JSON), validated by the pbx carrier schema. */
  config: string;
  created_at: string;
  updated_at: string;
}

export interface DidsTable {
  number: string;
  tenant_id: string;
  destination: string;
  name: string | null;
  created_at: string;
  updated_at: string;
}

export interface RateDecksTable {
  id: string;
  owner: string;
  currency: string;
  row_count: number;
  sha256: string;
  source: string;
  imported_at: string;
}

export interface RateDeckChunksTable {
  deck_id: string;
  seq: number;
  row_count: number;
  data: Uint8Array;
}

export interface CallChargesTable {
  call_id: string;
  tenant_id: string;
  extension: string | null;
  carrier_id: string;
  destination: string;
  destination_name: string;
  prefix: string;
  answered_at_ms: Int8;
  duration_s: number;
  billable_s: number;
  cost_micro: Int8;
  price_micro: Int8;
  currency: string;
}

export interface BalanceEntriesTable {
  id: string;
  tenant_id: string;
  at_ms: Int8;
  kind: string;
  amount_micro: Int8;
  note: string;
}

export interface RevenueBookingsTable {
  period: string;
  amount_minor: Int8;
  currency: string;
  booked_at: string;
  reference: string;
}

export interface FraudDestinationsTable {
  tenant_id: string;
  destination_key: string;
  first_called_ms: Int8;
}

export interface FraudSuspensionsTable {
  tenant_id: string;
  extension: string;
  reason: string;
  since_ms: Int8;
}

export interface CarriersDatabase {
  carriers: CarriersTable;
  dids: DidsTable;
  rate_decks: RateDecksTable;
  rate_deck_chunks: RateDeckChunksTable;
  call_charges: CallChargesTable;
  balance_entries: BalanceEntriesTable;
  revenue_bookings: RevenueBookingsTable;
  fraud_destinations: FraudDestinationsTable;
  fraud_suspensions: FraudSuspensionsTable;
}
