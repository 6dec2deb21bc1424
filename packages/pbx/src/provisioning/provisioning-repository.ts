import type { CarrierConfig } from '../carriers/carrier-config.js';
import type { TenantConfig } from './tenant-config.js';

/**
 * The storage port provisioning needs; packages/store implements it for
 * SQLite and PostgreSQL.
 */
export interface ProvisioningRepository {
  /** Every tenant, each with its extensions sorted by number. */
  listTenants(): Promise<TenantConfig[]>;
  /**
   * Creates or replaces these tenants in one transaction: each tenant's row
   * and its extension set are made to match the given config exactly
   * (extensions and DIDs not listed are removed). Tenants not given are
   * untouched. The given carriers are created or replaced in the same
   * transaction. A DID held by another tenant fails the whole save.
   */
  saveTenants(tenants: readonly TenantConfig[], carriers?: readonly CarrierConfig[]): Promise<void>;
  /** Every carrier, sorted by id. */
  listCarriers(): Promise<CarrierConfig[]>;
  /** Removes a carrier; false when there was none. */
  deleteCarrier(id: string): Promise<boolean>;
  /** Removes a tenant and everything that belongs to it. */
  deleteTenant(id: string): Promise<boolean>;
  /** A number that grows with every configuration change, for cache invalidation across processes. */
  configRevision(): Promise<number>;
}
