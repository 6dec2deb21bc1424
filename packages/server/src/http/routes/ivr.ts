import {
  defaultFeatureCodes,
  featureCodesConfigSchema,
  featureNames,
  issuesOf,
  ivrMenuConfigSchema,
  scheduleConfigSchema,
  type TenantConfig,
  weekdays,
} from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenant, saveTenant } from '../../accounts/tenant-changes.js';
import type { AppContext } from '../../context.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

// Plain response shapes (the config schemas transform destinations, which OpenAPI cannot show).
const greetingView = z.union([
  z.object({ prompt: z.string() }),
  z.object({ text: z.string() }),
  z.object({ say: z.array(z.string()) }),
]);
export const ivrMenuViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  number: z.string().optional(),
  greeting: greetingView.optional(),
  options: z.record(z.string(), z.string()).describe('key (0-9, *, #) -> destination, repeat or directory'),
  dialExtensions: z.boolean(),
  timeout_s: z.number().int(),
  interDigit_ms: z.number().int(),
  maxAttempts: z.number().int(),
  invalidGreeting: greetingView.optional(),
  timeoutGreeting: greetingView.optional(),
  failover: z.string(),
  hours: z.object({ schedule: z.string(), closed: z.string(), holiday: z.string().optional() }).optional(),
});
export const scheduleViewSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  timeZone: z.string().optional(),
  weekly: z.array(z.object({ days: z.array(z.enum(weekdays)), from: z.string(), to: z.string() })),
  holidays: z.array(
    z.object({ date: z.string(), until: z.string().optional(), name: z.string().optional() }),
  ),
});
const featureCodesView = z.object(
  Object.fromEntries(featureNames.map((name) => [name, z.string()])) as Record<
    (typeof featureNames)[number],
    z.ZodString
  >,
);

type FeatureCodesView = z.output<typeof featureCodesView>;

function codesInEffect(tenant: TenantConfig): FeatureCodesView {
  return Object.fromEntries(
    featureNames.map((n) => [n, tenant.featureCodes?.[n] ?? defaultFeatureCodes[n]]),
  ) as FeatureCodesView;
}

const tenantParams = z.object({ tenantId: z.string().max(64) });
const itemParams = z.object({ tenantId: z.string().max(64), id: z.string().max(64) });

/**
 * The auto attendant over the API (docs/ivr.md): menus, schedules (business
 * hours and holidays), the tenant's time zone and feature codes. Each change
 * is an `apply` of the tenant: validated with its references, then stored.
 */
export function ivrRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function tenantFor(request: FastifyRequest, tenantId: string): Promise<TenantConfig> {
    const tenant = canAccessTenant(request.principal, tenantId) ? await findTenant(ctx, tenantId) : undefined;
    if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    return tenant;
  }

  function parsed<T>(schema: z.ZodType<T>, body: unknown, id: string, what: string): T {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError('VALIDATION_FAILED', `expected ${what} object`);
    }
    const checked = schema.safeParse({ ...(body as object), id });
    if (!checked.success)
      throw new ApiError('VALIDATION_FAILED', `the ${what} is invalid`, issuesOf(checked.error));
    return checked.data;
  }

  async function store(tenant: TenantConfig): Promise<TenantConfig> {
    const saved = await saveTenant(ctx, tenant);
    await ctx.reloadConfiguration();
    return saved;
  }

  api.get(
    '/api/tenants/:tenantId/ivrs',
    {
      schema: {
        tags: ['ivr'],
        summary: "A tenant's auto-attendant menus",
        params: tenantParams,
        response: { 200: z.array(ivrMenuViewSchema) },
      },
    },
    async (request) => (await tenantFor(request, request.params.tenantId)).ivrs ?? [],
  );

  api.get(
    '/api/tenants/:tenantId/ivrs/:id',
    {
      schema: {
        tags: ['ivr'],
        summary: 'One menu',
        params: itemParams,
        response: { 200: ivrMenuViewSchema },
      },
    },
    async (request) => {
      const menu = (await tenantFor(request, request.params.tenantId)).ivrs?.find(
        (m) => m.id === request.params.id,
      );
      if (!menu) throw new ApiError('NOT_FOUND', `no IVR menu ${request.params.id}`);
      return menu;
    },
  );

  api.put(
    '/api/tenants/:tenantId/ivrs/:id',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Create or replace a menu',
        description:
          'The body is a menu as in docs/ivr.md without its id (taken from the path). Destinations must exist.',
        params: itemParams,
        body: documentedBody(ivrMenuConfigSchema, ['id']),
        response: { 200: ivrMenuViewSchema },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const menu = parsed(ivrMenuConfigSchema, request.body, request.params.id, 'IVR menu');
      const others = (tenant.ivrs ?? []).filter((m) => m.id !== menu.id);
      const saved = await store({ ...tenant, ivrs: [...others, menu] });
      return saved.ivrs?.find((m) => m.id === menu.id) ?? menu;
    },
  );

  api.delete(
    '/api/tenants/:tenantId/ivrs/:id',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Delete a menu (refused while something still sends calls to it)',
        params: itemParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const others = (tenant.ivrs ?? []).filter((m) => m.id !== request.params.id);
      if (others.length === (tenant.ivrs ?? []).length)
        throw new ApiError('NOT_FOUND', `no IVR menu ${request.params.id}`);
      await store({ ...tenant, ivrs: others });
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/tenants/:tenantId/schedules',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Business hours and holidays',
        params: tenantParams,
        response: { 200: z.array(scheduleViewSchema) },
      },
    },
    async (request) => (await tenantFor(request, request.params.tenantId)).schedules ?? [],
  );

  api.put(
    '/api/tenants/:tenantId/schedules/:id',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Create or replace a schedule',
        params: itemParams,
        body: documentedBody(scheduleConfigSchema, ['id']),
        response: { 200: scheduleViewSchema },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const schedule = parsed(scheduleConfigSchema, request.body, request.params.id, 'schedule');
      const others = (tenant.schedules ?? []).filter((s) => s.id !== schedule.id);
      await store({ ...tenant, schedules: [...others, schedule] });
      return schedule;
    },
  );

  api.delete(
    '/api/tenants/:tenantId/schedules/:id',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Delete a schedule (refused while a menu uses it)',
        params: itemParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const others = (tenant.schedules ?? []).filter((s) => s.id !== request.params.id);
      if (others.length === (tenant.schedules ?? []).length)
        throw new ApiError('NOT_FOUND', `no schedule ${request.params.id}`);
      await store({ ...tenant, schedules: others });
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/tenants/:tenantId/feature-codes',
    {
      schema: {
        tags: ['ivr'],
        summary:
          'The feature codes in effect (the tenant\'s own, else the defaults; "off" when switched off)',
        params: tenantParams,
        response: { 200: featureCodesView },
      },
    },
    async (request) => {
      return codesInEffect(await tenantFor(request, request.params.tenantId));
    },
  );

  api.put(
    '/api/tenants/:tenantId/feature-codes',
    {
      schema: {
        tags: ['ivr'],
        summary: "Set the tenant's own feature codes (those left out use the defaults)",
        params: tenantParams,
        body: featureCodesConfigSchema,
        response: { 200: featureCodesView },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const saved = await store({ ...tenant, featureCodes: request.body });
      return codesInEffect(saved);
    },
  );

  api.put(
    '/api/tenants/:tenantId/time-zone',
    {
      schema: {
        tags: ['ivr'],
        summary: "Set the tenant's time zone (business hours, voicemail dates)",
        params: tenantParams,
        body: z.strictObject({ timeZone: z.string().max(64) }),
        response: { 200: z.object({ timeZone: z.string() }) },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const saved = await store({ ...tenant, timeZone: request.body.timeZone });
      return { timeZone: saved.timeZone ?? 'UTC' };
    },
  );
}
