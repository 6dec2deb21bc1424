import type { RingGroupConfig } from '../calls/call-features-config.js';
import type { ExtensionConfig, TenantConfig } from '../provisioning/tenant-config.js';

/**
 * The in-memory view of every tenant the hot paths read (ARCHITECTURE.md:
 * no database round trip per SIP message). Built from the store and
 * replaced whole when the configuration changes, so readers never see a
 * half-applied change.
 */
export class TenantDirectory {
  private readonly byDomain = new Map<string, TenantConfig>();
  private readonly byId = new Map<string, TenantConfig>();
  private readonly extensions = new Map<string, ExtensionConfig>();
  private readonly groupsById = new Map<string, RingGroupConfig>();
  private readonly groupsByNumber = new Map<string, RingGroupConfig>();

  constructor(tenants: readonly TenantConfig[]) {
    for (const tenant of tenants) {
      this.byDomain.set(tenant.domain.toLowerCase(), tenant);
      this.byId.set(tenant.id, tenant);
      for (const extension of tenant.extensions)
        this.extensions.set(key(tenant.id, extension.number), extension);
      for (const group of tenant.ringGroups) {
        this.groupsById.set(key(tenant.id, group.id), group);
        if (group.number !== undefined) this.groupsByNumber.set(key(tenant.id, group.number), group);
      }
    }
  }

  static readonly empty = new TenantDirectory([]);

  /** The tenant whose SIP domain this is (case-insensitive), if any. */
  tenantByDomain(domain: string): TenantConfig | undefined {
    return this.byDomain.get(domain.toLowerCase());
  }

  tenant(id: string): TenantConfig | undefined {
    return this.byId.get(id);
  }

  tenants(): IterableIterator<TenantConfig> {
    return this.byId.values();
  }

  extension(tenantId: string, number: string): ExtensionConfig | undefined {
    return this.extensions.get(key(tenantId, number));
  }

  ringGroup(tenantId: string, id: string): RingGroupConfig | undefined {
    return this.groupsById.get(key(tenantId, id));
  }

  ringGroupByNumber(tenantId: string, number: string): RingGroupConfig | undefined {
    return this.groupsByNumber.get(key(tenantId, number));
  }
}

function key(tenantId: string, name: string): string {
  return `${tenantId}\u0000${name}`;
}
