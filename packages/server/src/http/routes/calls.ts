import { cdrJson, cdrsToCsv, dispositions } from '@telekommune/pbx';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { ApiError } from '../errors.js';
import type { canAccessTenant } from '../principal.js';

const registrationSchema = z.object({
  tenantId: z.string(),
  extension: z.string(),
  contact: z.string(),
  transport: z.string(),
  source: z.string().describe('the observed source address:port the device registered from'),
  userAgent: z.string().optional(),
  expiresAt: z.string(),
  expires_s: z.number().int(),
  registeredAt: z.string(),
});

const cdrSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  callId: z.string(),
  direction: z.enum(['internal', 'inbound', 'outbound']),
  caller: z.string(),
  callerName: z.string().optional(),
  callee: z.string(),
  answeredBy: z.string().optional(),
  did: z.string().optional(),
  carrierId: z.string().optional(),
  start: z.string(),
  answer: z.string().optional(),
  end: z.string(),
  duration_s: z.number().int(),
  billable_s: z.number().int(),
  disposition: z.enum(dispositions),
  hangupSide: z.enum(['caller', 'callee', 'system']).optional(),
  sipStatus: z.number().int(),
  forwardingPath: z.array(z.string()),
  cost_minor: z.string().optional().describe('decimal string of minor units'),
  price_minor: z.string().optional().describe('decimal string of minor units'),
  currency: z.string().optional(),
});

const isoInstant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

/** Registrations (the location service) and call detail records. */
export function callRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** The tenant a request may look at: its own for tenant tokens, any or all for operators. */
  function scope(
    principal: Parameters<typeof canAccessTenant>[0],
    tenant: string | undefined,
  ): string | undefined {
    if (principal?.kind === 'tenant') {
      if (tenant !== undefined && tenant !== principal.tenantId)
        throw new ApiError('NOT_FOUND', `no tenant ${tenant}`);
      return principal.tenantId;
    }
    return tenant;
  }

  api.get(
    '/api/registrations',
    {
      schema: {
        tags: ['calls'],
        summary: 'Registered devices, per tenant',
        querystring: z.object({ tenant: z.string().optional() }),
        response: { 200: z.array(registrationSchema) },
      },
    },
    async (request) => {
      const tenantId = scope(request.principal, request.query.tenant);
      const now = Date.now();
      return ctx.location.list(tenantId).map((b) => ({
        tenantId: b.tenantId,
        extension: b.aor,
        contact: b.contact,
        transport: b.flow.transport,
        source: b.flow.address.includes(':')
          ? `[${b.flow.address}]:${b.flow.port}`
          : `${b.flow.address}:${b.flow.port}`,
        ...(b.userAgent !== undefined ? { userAgent: b.userAgent } : {}),
        expiresAt: new Date(b.expiresAt_ms).toISOString(),
        expires_s: Math.max(0, Math.round((b.expiresAt_ms - now) / 1000)),
        registeredAt: new Date(b.registeredAt_ms).toISOString(),
      }));
    },
  );

  const banSchema = z.object({
    address: z.string().describe('the banned source IP address'),
    until: z.string().describe('when the ban ends'),
  });

  api.get(
    '/api/security/bans',
    {
      schema: {
        tags: ['calls'],
        summary: 'Source addresses banned after repeated failed SIP authentications (operator)',
        response: { 200: z.array(banSchema) },
      },
    },
    async (request) => {
      requireOperator(request);
      return ctx.pbx.sip.security
        .banned()
        .map((b) => ({ address: b.address, until: new Date(b.until_ms).toISOString() }));
    },
  );

  api.delete(
    '/api/security/bans/:address',
    {
      schema: {
        tags: ['calls'],
        summary: 'Lift a ban before it runs out (operator)',
        params: z.object({ address: z.string().min(1).max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      requireOperator(request);
      const address = request.params.address;
      if (!ctx.pbx.sip.security.banned().some((b) => b.address === address)) {
        throw new ApiError('NOT_FOUND', `${address} is not banned`);
      }
      ctx.pbx.sip.security.unban(address);
      return reply.code(204).send(null);
    },
  );

  const liveCallSchema = z.object({
    id: z.string(),
    tenantId: z.string(),
    caller: z.string(),
    callee: z.string(),
    state: z.enum(['routing', 'answered', 'ended']),
    answeredBy: z.string().optional(),
    start: z.string(),
    answer: z.string().optional(),
    path: z.array(z.string()),
    media: z
      .object({
        held: z.boolean(),
        callerPacketsIn: z.number().int(),
        calleePacketsIn: z.number().int(),
        callerLost: z.number().int(),
        calleeLost: z.number().int(),
      })
      .optional()
      .describe('relay counters when media is anchored'),
  });

  api.get(
    '/api/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'Calls in progress (ringing or answered)',
        querystring: z.object({ tenant: z.string().optional() }),
        response: { 200: z.array(liveCallSchema) },
      },
    },
    async (request) => {
      const tenantId = scope(request.principal, request.query.tenant);
      return ctx.pbx.sip.registry
        .active()
        .filter((call) => tenantId === undefined || call.tenant.id === tenantId)
        .map((call) => {
          const stats = call.relayCall?.stats();
          return {
            id: call.id,
            tenantId: call.tenant.id,
            caller: call.caller.extension,
            callee: call.dialled,
            state: call.state,
            ...(call.answeredBy !== undefined ? { answeredBy: call.answeredBy } : {}),
            start: new Date(call.startedAt_ms).toISOString(),
            ...(call.answeredAt_ms !== undefined
              ? { answer: new Date(call.answeredAt_ms).toISOString() }
              : {}),
            path: [...call.path],
            ...(stats
              ? {
                  media: {
                    held: stats.held,
                    callerPacketsIn: stats.a.packetsIn,
                    calleePacketsIn: stats.b.packetsIn,
                    callerLost: stats.a.lostIn,
                    calleeLost: stats.b.lostIn,
                  },
                }
              : {}),
          };
        });
    },
  );

  api.get(
    '/api/cdrs',
    {
      schema: {
        tags: ['calls'],
        summary: 'Call detail records, newest first; CSV with format=csv or Accept: text/csv',
        querystring: z.object({
          tenant: z.string().optional(),
          from: isoInstant.optional().describe('calls started at or after this instant (ISO 8601)'),
          to: isoInstant.optional().describe('calls started before this instant (ISO 8601)'),
          number: z.string().max(64).optional().describe('caller or callee'),
          disposition: z.enum(dispositions).optional(),
          direction: z.enum(['internal', 'inbound', 'outbound']).optional(),
          limit: z.coerce.number().int().min(1).max(10_000).default(100),
          before: isoInstant.optional().describe('paging: calls started before this instant'),
          format: z.enum(['json', 'csv']).optional(),
        }),
        response: { 200: z.array(cdrSchema) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const cdrs = await ctx.cdrs.query({
        tenantId: scope(request.principal, q.tenant),
        from_ms: q.from,
        to_ms: q.to,
        number: q.number,
        disposition: q.disposition,
        direction: q.direction,
        limit: q.limit,
        before_ms: q.before,
      });
      const wantsCsv =
        q.format === 'csv' || (q.format === undefined && (request.headers.accept ?? '').includes('text/csv'));
      if (wantsCsv) {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="cdrs.csv"')
          .serializer((payload: unknown) => String(payload))
          .send(cdrsToCsv(cdrs) as never);
      }
      return cdrs.map(cdrJson);
    },
  );
}
