import type { CarrierConfig } from '../carriers/carrier-config.js';
import { type CarrierPlan, planCarriers } from '../carriers/carrier-plan.js';
import { didOwnershipIssues } from '../numbering/did-ownership.js';
import { canonicalJson } from './canonical.js';
import type { ProvisioningRepository } from './provisioning-repository.js';
import type { ProvisioningDocument, TenantConfig } from './tenant-config.js';
import type { ConfigIssue } from './validate.js';

export type TenantAction = 'create' | 'update' | 'unchanged';

export interface TenantPlan {
  readonly tenantId: string;
  readonly action: TenantAction;
  /** Human-readable differences, e.g. `extension 1002 added`. */
  readonly changes: readonly string[];
}

export type ApplyOutcome =
  | {
      readonly ok: true;
      readonly plan: readonly TenantPlan[];
      readonly carriers: readonly CarrierPlan[];
      readonly dryRun: boolean;
    }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Sorts what has no meaningful order so equal configs compare equal. */
export function normaliseTenant(tenant: TenantConfig): TenantConfig {
  const { dids, ...rest } = tenant;
  return {
    ...rest,
    extensions: [...tenant.extensions].sort((a, b) => a.number.localeCompare(b.number)),
    // An empty DID list and none are the same configuration.
    ...(dids && dids.length > 0 ? { dids: [...dids].sort((a, b) => (a.number < b.number ? -1 : 1)) } : {}),
  };
}

function describeChanges(current: TenantConfig, desired: TenantConfig): string[] {
  const changes: string[] = [];
  for (const key of ['name', 'domain'] as const) {
    if (current[key] !== desired[key]) changes.push(`${key} changed`);
  }
  const before = new Map(current.extensions.map((e) => [e.number, canonicalJson(e)]));
  const after = new Map(desired.extensions.map((e) => [e.number, canonicalJson(e)]));
  for (const [number, text] of after) {
    const old = before.get(number);
    if (old === undefined) changes.push(`extension ${number} added`);
    else if (old !== text) changes.push(`extension ${number} changed`);
  }
  for (const number of before.keys()) if (!after.has(number)) changes.push(`extension ${number} removed`);
  const { extensions: _a, name: _n1, domain: _d1, id: _i1, ...settingsBefore } = current;
  const { extensions: _b, name: _n2, domain: _d2, id: _i2, ...settingsAfter } = desired;
  if (canonicalJson(settingsBefore) !== canonicalJson(settingsAfter)) changes.push('tenant settings changed');
  return changes;
}

/**
 * Compares a validated document with what is stored: which tenants it
 * creates, changes or leaves as they are, and any conflict with tenants the
 * document does not mention (a domain already taken).
 */
export function planApply(
  document: ProvisioningDocument,
  stored: readonly TenantConfig[],
): { plan: TenantPlan[]; issues: ConfigIssue[] } {
  const byId = new Map(stored.map((tenant) => [tenant.id, normaliseTenant(tenant)]));
  const domainOwner = new Map(stored.map((tenant) => [tenant.domain, tenant.id]));
  const plan: TenantPlan[] = [];
  const issues: ConfigIssue[] = [];
  const movingIds = new Set(document.tenants.map((t) => t.id));
  document.tenants.forEach((raw, index) => {
    const desired = normaliseTenant(raw);
    const owner = domainOwner.get(desired.domain);
    // A domain may move between tenants of the same document, never onto a tenant left out of it.
    if (owner !== undefined && owner !== desired.id && !movingIds.has(owner)) {
      issues.push({
        path: `tenants[${index}].domain`,
        message: `domain ${desired.domain} belongs to tenant ${owner}`,
      });
      return;
    }
    const current = byId.get(desired.id);
    if (!current) {
      plan.push({
        tenantId: desired.id,
        action: 'create',
        changes: [`${desired.extensions.length} extensions`],
      });
    } else if (canonicalJson(current) === canonicalJson(desired)) {
      plan.push({ tenantId: desired.id, action: 'unchanged', changes: [] });
    } else {
      plan.push({ tenantId: desired.id, action: 'update', changes: describeChanges(current, desired) });
    }
  });
  issues.push(...didOwnershipIssues(document, stored));
  return { plan, issues };
}

/**
 * Applies a validated document: all of it in one transaction, or nothing.
 * Applying the same document twice changes nothing the second time.
 */
export async function applyProvisioning(
  document: ProvisioningDocument,
  repository: ProvisioningRepository,
  options: { dryRun?: boolean } = {},
): Promise<ApplyOutcome> {
  const stored = await repository.listTenants();
  const { plan, issues } = planApply(document, stored);
  if (issues.length > 0) return { ok: false, issues };
  const dryRun = options.dryRun ?? false;
  const desiredCarriers = document.carriers ?? [];
  const carriers = planCarriers(
    desiredCarriers,
    desiredCarriers.length > 0 ? await repository.listCarriers() : [],
  );
  const changed = new Set(plan.filter((p) => p.action !== 'unchanged').map((p) => p.tenantId));
  const changedCarriers = new Set(carriers.filter((p) => p.action !== 'unchanged').map((p) => p.carrierId));
  if (!dryRun && (changed.size > 0 || changedCarriers.size > 0)) {
    await repository.saveTenants(
      document.tenants.filter((t) => changed.has(t.id)).map(normaliseTenant),
      desiredCarriers.filter((c) => changedCarriers.has(c.id)),
    );
  }
  return { ok: true, plan, carriers, dryRun };
}

/** The document `export` writes: the stored tenants (or one of them), in the apply format. */
export async function exportProvisioning(
  repository: ProvisioningRepository,
  tenantId?: string,
): Promise<ProvisioningDocument | undefined> {
  const tenants = (await repository.listTenants()).map(normaliseTenant);
  if (tenantId === undefined) {
    const carriers: CarrierConfig[] = await repository.listCarriers();
    return carriers.length > 0 ? { tenants, carriers } : { tenants };
  }
  const tenant = tenants.find((t) => t.id === tenantId);
  return tenant ? { tenants: [tenant] } : undefined;
}
