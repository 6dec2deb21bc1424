import { conferenceRoomConfigSchema, issuesOf, type TenantConfig } from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenant, saveTenant } from '../../accounts/tenant-changes.js';
import type { AppContext } from '../../context.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

export const conferenceRoomViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  number: z.string().optional(),
  pin: z.string().optional(),
  maxParticipants: z.number().int(),
});

const participantViewSchema = z.object({
  callId: z.string(),
  caller: z.string(),
  joinedAt: z.string(),
  stats: z.object({
    framesIn: z.number().int().describe('20 ms frames of this caller that went into the mix'),
    framesOut: z.number().int().describe('mixed frames sent to this caller'),
    voicedFramesOut: z.number().int().describe('of those, frames carrying the others’ audio'),
    droppedSamples: z.number().int(),
    droppedFrames: z.number().int(),
  }),
});

const tenantParams = z.object({ tenantId: z.string().max(64) });
const itemParams = z.object({ tenantId: z.string().max(64), id: z.string().max(64) });

/**
 * Conference rooms over the API (docs/conferences.md): the rooms, each
 * change an `apply` of the tenant (validated with its references, then
 * stored), and who is in a room now.
 */
export function conferenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function tenantFor(request: FastifyRequest, tenantId: string): Promise<TenantConfig> {
    const tenant = canAccessTenant(request.principal, tenantId) ? await findTenant(ctx, tenantId) : undefined;
    if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    return tenant;
  }

  api.get(
    '/api/tenants/:tenantId/conferences',
    {
      schema: {
        tags: ['conferences'],
        summary: "A tenant's conference rooms",
        params: tenantParams,
        response: { 200: z.array(conferenceRoomViewSchema) },
      },
    },
    async (request) => (await tenantFor(request, request.params.tenantId)).conferences ?? [],
  );

  api.put(
    '/api/tenants/:tenantId/conferences/:id',
    {
      schema: {
        tags: ['conferences'],
        summary: 'Create or replace a conference room',
        description: 'The body is a room as in docs/conferences.md without its id (taken from the path).',
        params: itemParams,
        body: documentedBody(conferenceRoomConfigSchema, ['id']),
        response: { 200: conferenceRoomViewSchema },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new ApiError('VALIDATION_FAILED', 'expected a conference room object');
      const checked = conferenceRoomConfigSchema.safeParse({ ...(body as object), id: request.params.id });
      if (!checked.success)
        throw new ApiError('VALIDATION_FAILED', 'the conference room is invalid', issuesOf(checked.error));
      const room = checked.data;
      const others = (tenant.conferences ?? []).filter((r) => r.id !== room.id);
      const saved = await saveTenant(ctx, { ...tenant, conferences: [...others, room] });
      await ctx.reloadConfiguration();
      return saved.conferences?.find((r) => r.id === room.id) ?? room;
    },
  );

  api.delete(
    '/api/tenants/:tenantId/conferences/:id',
    {
      schema: {
        tags: ['conferences'],
        summary: 'Delete a conference room (refused while something still sends calls to it)',
        params: itemParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      const others = (tenant.conferences ?? []).filter((r) => r.id !== request.params.id);
      if (others.length === (tenant.conferences ?? []).length)
        throw new ApiError('NOT_FOUND', `no conference room ${request.params.id}`);
      await saveTenant(ctx, { ...tenant, conferences: others });
      await ctx.reloadConfiguration();
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/tenants/:tenantId/conferences/:id/participants',
    {
      schema: {
        tags: ['conferences'],
        summary: 'Who is in a room now, with the mixer’s counters per caller',
        params: itemParams,
        response: { 200: z.array(participantViewSchema) },
      },
    },
    async (request) => {
      const tenant = await tenantFor(request, request.params.tenantId);
      if (!(tenant.conferences ?? []).some((r) => r.id === request.params.id))
        throw new ApiError('NOT_FOUND', `no conference room ${request.params.id}`);
      const live = ctx.voice.applications.conferences
        .list(tenant.id)
        .find((r) => r.room === request.params.id);
      return [...(live?.participants ?? [])];
    },
  );
}
