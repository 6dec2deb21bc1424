import { ringGroupConfigSchema, type TenantConfig } from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenant, saveTenant } from '../../accounts/tenant-changes.js';
import type { AppContext } from '../../context.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

const tenantParams = z.object({ tenantId: z.string().max(64) });
const groupParams = z.object({ tenantId: z.string().max(64), groupId: z.string().max(64) });

/** A tenant's ring groups, one at a time (the console's ring group pages). */
export function ringGroupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function tenantFor(request: FastifyRequest, tenantId: string): Promise<TenantConfig> {
    const tenant = canAccessTenant(request.principal, tenantId) ? await findTenant(ctx, tenantId) : undefined;
    if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    return tenant;
  }

  api.get(
    '/api/tenants/:tenantId/ring-groups',
    {
      schema: {
        tags: ['ring groups'],
        summary: "A tenant's ring groups",
        params: tenantParams,
        response: { 200: z.array(ringGroupConfigSchema) },
      },
    },
    async (request) => (await tenantFor(request, request.params.tenantId)).ringGroups,
  );

  api.get(
    '/api/tenants/:tenantId/ring-groups/:groupId',
    {
      schema: {
        tags: ['ring groups'],
        summary: 'One ring group',
        params: groupParams,
        response: { 200: ringGroupConfigSchema },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const group = tenant.ringGroups.find((g) => g.id === request.params.groupId);
      if (!group) throw new ApiError('NOT_FOUND', `no ring group ${request.params.groupId}`);
      return group;
    },
  );

  api.put(
    '/api/tenants/:tenantId/ring-groups/:groupId',
    {
      schema: {
        tags: ['ring groups'],
        summary: 'Create or replace a ring group',
        description:
          'Members are extension numbers (or {extension, ringTime_s}); `finally` is a destination.',
        params: groupParams,
        body: documentedBody(ringGroupConfigSchema, ['id']),
        response: { 200: ringGroupConfigSchema },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ApiError('VALIDATION_FAILED', 'expected a ring group object');
      }
      const group = { ...(body as object), id: request.params.groupId };
      const checked = ringGroupConfigSchema.safeParse(group);
      if (!checked.success) {
        throw new ApiError(
          'VALIDATION_FAILED',
          'the ring group is invalid',
          checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      const others = tenant.ringGroups.filter((g) => g.id !== request.params.groupId);
      const saved = await saveTenant(ctx, { ...tenant, ringGroups: [...others, checked.data] });
      return saved.ringGroups.find((g) => g.id === request.params.groupId) ?? checked.data;
    },
  );

  api.delete(
    '/api/tenants/:tenantId/ring-groups/:groupId',
    {
      schema: {
        tags: ['ring groups'],
        summary: 'Delete a ring group (refused while something still sends calls to it)',
        params: groupParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const others = tenant.ringGroups.filter((g) => g.id !== request.params.groupId);
      if (others.length === tenant.ringGroups.length) {
        throw new ApiError('NOT_FOUND', `no ring group ${request.params.groupId}`);
      }
      await saveTenant(ctx, { ...tenant, ringGroups: others });
      return reply.code(204).send(null);
    },
  );
}
