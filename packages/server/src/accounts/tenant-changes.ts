import { applyProvisioning, issuesOf, type TenantConfig, tenantConfigSchema } from '@telekommune/pbx';
import type { AppContext } from '../context.js';
import { ApiError } from '../http/errors.js';

/** One tenant by id, or undefined. */
export async function findTenant(ctx: AppContext, tenantId: string): Promise<TenantConfig | undefined> {
  return (await ctx.provisioning.listTenants()).find((t) => t.id === tenantId);
}

/**
 * Validates a changed tenant (schema and references) and stores it through
 * provisioning, so a console edit is exactly an `apply` of the tenant.
 */
export async function saveTenant(ctx: AppContext, tenant: TenantConfig): Promise<TenantConfig> {
  const checked = tenantConfigSchema.safeParse(tenant);
  if (!checked.success)
    throw new ApiError('VALIDATION_FAILED', 'the change is invalid', issuesOf(checked.error));
  const outcome = await applyProvisioning({ tenants: [checked.data] }, ctx.provisioning);
  if (!outcome.ok) throw new ApiError('CONFLICT', 'the change conflicts with another tenant', outcome.issues);
  return checked.data;
}
