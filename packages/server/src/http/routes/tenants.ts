import {
  applyProvisioning,
  extensionConfigSchema,
  issuesOf,
  type TenantConfig,
  tenantConfigSchema,
} from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

const tenantSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string(),
  extensions: z.number().int(),
});

const tenantParams = z.object({ tenantId: z.string() });
const extensionParams = z.object({ tenantId: z.string(), number: z.string() });

/** Tenants and their extensions, one resource at a time (the console's view of provisioning). */
export function tenantRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function loadTenant(request: FastifyRequest, tenantId: string): Promise<TenantConfig> {
    // A tenant the caller may not see answers exactly like one that does not exist.
    const tenant = canAccessTenant(request.principal, tenantId)
      ? (await ctx.provisioning.listTenants()).find((t) => t.id === tenantId)
      : undefined;
    if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    return tenant;
  }

  async function save(tenant: TenantConfig): Promise<TenantConfig> {
    const checked = tenantConfigSchema.safeParse(tenant);
    if (!checked.success)
      throw new ApiError('VALIDATION_FAILED', 'the tenant is invalid', issuesOf(checked.error));
    const outcome = await applyProvisioning({ tenants: [checked.data] }, ctx.provisioning);
    if (!outcome.ok)
      throw new ApiError('CONFLICT', 'the change conflicts with another tenant', outcome.issues);
    return checked.data;
  }

  api.get(
    '/api/tenants',
    {
      schema: { tags: ['tenants'], summary: 'List tenants', response: { 200: z.array(tenantSummarySchema) } },
    },
    async (request) => {
      const tenants = await ctx.provisioning.listTenants();
      return tenants
        .filter((t) => canAccessTenant(request.principal, t.id))
        .map((t) => ({ id: t.id, name: t.name, domain: t.domain, extensions: t.extensions.length }));
    },
  );

  api.get(
    '/api/tenants/:tenantId',
    {
      schema: {
        tags: ['tenants'],
        summary: 'One tenant with its configuration',
        params: tenantParams,
        response: { 200: tenantConfigSchema },
      },
    },
    async (request) => loadTenant(request, request.params.tenantId),
  );

  api.put(
    '/api/tenants/:tenantId',
    {
      schema: {
        tags: ['tenants'],
        summary: 'Create or replace a tenant (operator)',
        params: tenantParams,
        body: documentedBody(tenantConfigSchema, ['id']),
        response: { 200: tenantConfigSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ApiError('VALIDATION_FAILED', 'expected a tenant object');
      }
      return save({ ...(body as TenantConfig), id: request.params.tenantId });
    },
  );

  api.delete(
    '/api/tenants/:tenantId',
    {
      schema: {
        tags: ['tenants'],
        summary: 'Delete a tenant and everything it owns (operator)',
        params: tenantParams,
      },
    },
    async (request, reply) => {
      requireOperator(request);
      if (!(await ctx.provisioning.deleteTenant(request.params.tenantId))) {
        throw new ApiError('NOT_FOUND', `no tenant ${request.params.tenantId}`);
      }
      return reply.code(204).send();
    },
  );

  api.get(
    '/api/tenants/:tenantId/extensions',
    {
      schema: {
        tags: ['extensions'],
        summary: "A tenant's extensions",
        params: tenantParams,
        response: { 200: z.array(extensionConfigSchema) },
      },
    },
    async (request) => (await loadTenant(request, request.params.tenantId)).extensions,
  );

  api.get(
    '/api/tenants/:tenantId/extensions/:number',
    {
      schema: {
        tags: ['extensions'],
        summary: 'One extension',
        params: extensionParams,
        response: { 200: extensionConfigSchema },
      },
    },
    async (request) => {
      const tenant = await loadTenant(request, request.params.tenantId);
      const extension = tenant.extensions.find((e) => e.number === request.params.number);
      if (!extension) throw new ApiError('NOT_FOUND', `no extension ${request.params.number}`);
      return extension;
    },
  );

  api.put(
    '/api/tenants/:tenantId/extensions/:number',
    {
      schema: {
        tags: ['extensions'],
        summary: 'Create or replace an extension',
        params: extensionParams,
        body: documentedBody(extensionConfigSchema, ['number']),
        response: { 200: extensionConfigSchema },
      },
    },
    async (request) => {
      const tenant = await loadTenant(request, request.params.tenantId);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ApiError('VALIDATION_FAILED', 'expected an extension object');
      }
      const extension = { ...(body as object), number: request.params.number };
      const checked = extensionConfigSchema.safeParse(extension);
      if (!checked.success) {
        throw new ApiError('VALIDATION_FAILED', 'the extension is invalid', issuesOf(checked.error));
      }
      const others = tenant.extensions.filter((e) => e.number !== request.params.number);
      await save({ ...tenant, extensions: [...others, checked.data] });
      return checked.data;
    },
  );

  api.delete(
    '/api/tenants/:tenantId/extensions/:number',
    { schema: { tags: ['extensions'], summary: 'Delete an extension', params: extensionParams } },
    async (request, reply) => {
      const tenant = await loadTenant(request, request.params.tenantId);
      const others = tenant.extensions.filter((e) => e.number !== request.params.number);
      if (others.length === tenant.extensions.length) {
        throw new ApiError('NOT_FOUND', `no extension ${request.params.number}`);
      }
      await save({ ...tenant, extensions: others });
      return reply.code(204).send();
    },
  );
}
