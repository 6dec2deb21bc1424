import {
  didConfigSchema,
  formatDestination,
  issuesOf,
  normaliseNumber,
  type TenantConfig,
} from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenant, saveTenant } from '../../accounts/tenant-changes.js';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

const tenantParams = z.object({ tenantId: z.string().max(64) });
const didParams = z.object({ tenantId: z.string().max(64), number: z.string().max(64) });
const didSchema = z.object({ number: z.string(), destination: z.string(), name: z.string().optional() });

/** DIDs: a tenant's numbers and where they ring; the operator's lookup of any number in any form. */
export function didRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function tenantFor(request: FastifyRequest, tenantId: string): Promise<TenantConfig> {
    const tenant = canAccessTenant(request.principal, tenantId) ? await findTenant(ctx, tenantId) : undefined;
    if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    return tenant;
  }

  function e164Of(tenant: TenantConfig, text: string): string {
    const parsed = normaliseNumber(text, { country: tenant.country });
    if (!parsed.ok)
      throw new ApiError('VALIDATION_FAILED', parsed.message, [{ path: 'number', message: parsed.message }]);
    return parsed.e164;
  }

  api.get(
    '/api/dids/lookup',
    {
      schema: {
        tags: ['dids'],
        summary: 'Which tenant a number belongs to, in any form a carrier sends (operator)',
        querystring: z.object({ number: z.string().min(1).max(256), carrier: z.string().max(64).optional() }),
        response: { 200: z.object({ tenantId: z.string(), number: z.string(), destination: z.string() }) },
      },
    },
    async (request) => {
      requireOperator(request);
      const carrier =
        request.query.carrier === undefined ? undefined : ctx.carriers.carrier(request.query.carrier);
      if (request.query.carrier !== undefined && !carrier)
        throw new ApiError('NOT_FOUND', `no carrier ${request.query.carrier}`);
      const match = ctx.carriers.dids().lookup(request.query.number, carrier);
      if (!match) throw new ApiError('NOT_FOUND', `no DID matches ${request.query.number}`);
      return {
        tenantId: match.tenantId,
        number: match.e164,
        destination: formatDestination(match.destination),
      };
    },
  );

  api.get(
    '/api/tenants/:tenantId/dids',
    {
      schema: {
        tags: ['dids'],
        summary: "A tenant's DIDs",
        params: tenantParams,
        response: { 200: z.array(didSchema) },
      },
    },
    async (request) => (await tenantFor(request, request.params.tenantId)).dids ?? [],
  );

  api.put(
    '/api/tenants/:tenantId/dids/:number',
    {
      schema: {
        tags: ['dids'],
        summary: 'Map a DID to a destination (operator: numbers are bought from carriers)',
        description:
          'The number may be written in any form; it is stored in E.164. Body: {destination, name?}.',
        params: didParams,
        body: documentedBody(didConfigSchema, ['number']),
        response: { 200: didSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const tenant = await tenantFor(request, request.params.tenantId);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ApiError('VALIDATION_FAILED', 'expected {destination, name?}');
      }
      const number = e164Of(tenant, request.params.number);
      const checked = didConfigSchema.safeParse({ ...body, number });
      if (!checked.success)
        throw new ApiError('VALIDATION_FAILED', 'the DID is invalid', issuesOf(checked.error));
      const others = (tenant.dids ?? []).filter((d) => d.number !== number);
      await saveTenant(ctx, { ...tenant, dids: [...others, checked.data] });
      await ctx.carriers.reload();
      return checked.data;
    },
  );

  api.delete(
    '/api/tenants/:tenantId/dids/:number',
    { schema: { tags: ['dids'], summary: 'Release a DID (operator)', params: didParams } },
    async (request, reply) => {
      requireOperator(request);
      const tenant = await tenantFor(request, request.params.tenantId);
      const number = e164Of(tenant, request.params.number);
      const others = (tenant.dids ?? []).filter((d) => d.number !== number);
      if (others.length === (tenant.dids ?? []).length)
        throw new ApiError('NOT_FOUND', `no DID ${number} in this tenant`);
      await saveTenant(ctx, { ...tenant, dids: others });
      await ctx.carriers.reload();
      return reply.code(204).send();
    },
  );
}
