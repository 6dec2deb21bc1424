import {
  applyProvisioning,
  type CarrierConfig,
  carrierConfigSchema,
  decideOutbound,
  formatMicro,
  issuesOf,
  leastCostRoutes,
  normaliseNumber,
} from '@telekommune/pbx';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';

const carrierParams = z.object({ carrierId: z.string().max(64) });

const carrierViewSchema = z.object({
  config: carrierConfigSchema.describe('the carrier; a registration password shows as ********'),
  status: z.object({
    healthy: z.boolean(),
    activeCalls: z.number().int(),
    /** Why the carrier is out of routing, and since when. */
    healthReason: z.string().optional(),
    healthSince: z.string().optional(),
    /** For carriers with auth.mode register: the PBX's registration to them. */
    registration: z
      .object({
        state: z.enum(['registering', 'registered', 'failed', 'stopped']),
        since: z.string(),
        lastStatus: z.number().int().optional(),
        reason: z.string().optional(),
        expiresAt: z.string().optional(),
        nextAttemptAt: z.string().optional(),
        failures: z.number().int(),
      })
      .nullable(),
  }),
  deck: z
    .object({ rows: z.number().int(), currency: z.string(), importedAt: z.string(), source: z.string() })
    .nullable(),
});

const routeSchema = z.object({
  number: z.string(),
  decision: z.string(),
  message: z.string().optional(),
  candidates: z.array(
    z.object({
      carrierId: z.string(),
      prefix: z.string(),
      destination: z.string(),
      ratePerMinute: z.string(),
      connectFee: z.string(),
      billingIncrement: z.string(),
      dialString: z.string(),
    }),
  ),
  skipped: z.array(z.object({ carrierId: z.string(), reason: z.string() })),
});

/** What the API shows instead of a registration password. */
const hiddenPassword = '********';

/** A carrier as the API shows it: the registration password is never echoed. */
function redact(carrier: CarrierConfig): CarrierConfig {
  if (carrier.auth.mode !== 'register') return { ...carrier };
  return { ...carrier, auth: { ...carrier.auth, password: hiddenPassword } };
}

/** A carrier sent back as GET showed it keeps its stored registration password. */
function keepPassword(carrier: CarrierConfig, stored: CarrierConfig | undefined): CarrierConfig {
  if (carrier.auth.mode !== 'register' || carrier.auth.password !== hiddenPassword) return carrier;
  if (stored?.auth.mode !== 'register') {
    throw new ApiError('VALIDATION_FAILED', 'the carrier is invalid', [
      { path: 'auth.password', message: 'enter the registration password' },
    ]);
  }
  return { ...carrier, auth: { ...carrier.auth, password: stored.auth.password } };
}

/** Carriers (operator only): configuration, live status, and a preview of least-cost routing. */
export function carrierRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const runtime = ctx.carriers;

  const view = (carrier: CarrierConfig) => {
    const deck = runtime.decks.info({ kind: 'carrier', id: carrier.id });
    const health = runtime.board.snapshot().find((s) => s.carrierId === carrier.id);
    const registration = ctx.pbx.trunks.registration(carrier.id);
    return {
      config: redact(carrier),
      status: {
        healthy: runtime.board.isHealthy(carrier.id),
        activeCalls: runtime.board.activeCalls(carrier.id),
        ...(health?.reason !== undefined ? { healthReason: health.reason } : {}),
        ...(health?.since !== undefined ? { healthSince: health.since.toISOString() } : {}),
        registration: registration
          ? {
              state: registration.state,
              since: registration.since,
              failures: registration.failures,
              ...(registration.lastStatus !== undefined ? { lastStatus: registration.lastStatus } : {}),
              ...(registration.reason !== undefined ? { reason: registration.reason } : {}),
              ...(registration.expiresAt !== undefined ? { expiresAt: registration.expiresAt } : {}),
              ...(registration.nextAttemptAt !== undefined
                ? { nextAttemptAt: registration.nextAttemptAt }
                : {}),
            }
          : null,
      },
      deck: deck
        ? { rows: deck.rows, currency: deck.currency, importedAt: deck.importedAt, source: deck.source }
        : null,
    };
  };

  api.get(
    '/api/carriers',
    {
      schema: {
        tags: ['carriers'],
        summary: 'Carriers with status (operator)',
        response: { 200: z.array(carrierViewSchema) },
      },
    },
    async (request) => {
      requireOperator(request);
      return (await ctx.provisioning.listCarriers()).map(view);
    },
  );

  api.get(
    '/api/carriers/:carrierId',
    {
      schema: {
        tags: ['carriers'],
        summary: 'One carrier (operator)',
        params: carrierParams,
        response: { 200: carrierViewSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const carrier = (await ctx.provisioning.listCarriers()).find((c) => c.id === request.params.carrierId);
      if (!carrier) throw new ApiError('NOT_FOUND', `no carrier ${request.params.carrierId}`);
      return view(carrier);
    },
  );

  api.put(
    '/api/carriers/:carrierId',
    {
      schema: {
        tags: ['carriers'],
        summary: 'Create or replace a carrier (operator)',
        description:
          'The body is a carrier as in the provisioning document (docs/carriers.md). A registration password of ******** (as GET shows it) keeps the stored one.',
        params: carrierParams,
        body: documentedBody(carrierConfigSchema, ['id']),
        response: { 200: carrierViewSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new ApiError('VALIDATION_FAILED', 'expected a carrier object');
      }
      const checked = carrierConfigSchema.safeParse({ ...body, id: request.params.carrierId });
      if (!checked.success)
        throw new ApiError('VALIDATION_FAILED', 'the carrier is invalid', issuesOf(checked.error));
      const stored = (await ctx.provisioning.listCarriers()).find((c) => c.id === request.params.carrierId);
      const carrier = keepPassword(checked.data, stored);
      await applyProvisioning({ tenants: [], carriers: [carrier] }, ctx.provisioning);
      await runtime.reload();
      return view(carrier);
    },
  );

  api.delete(
    '/api/carriers/:carrierId',
    {
      schema: {
        tags: ['carriers'],
        summary: 'Delete a carrier and its rate deck (operator)',
        params: carrierParams,
      },
    },
    async (request, reply) => {
      requireOperator(request);
      if (!(await ctx.provisioning.deleteCarrier(request.params.carrierId))) {
        throw new ApiError('NOT_FOUND', `no carrier ${request.params.carrierId}`);
      }
      await runtime.decks.delete({ kind: 'carrier', id: request.params.carrierId });
      await runtime.reload();
      return reply.code(204).send();
    },
  );

  api.get(
    '/api/carriers/routes',
    {
      schema: {
        tags: ['carriers'],
        summary: 'Where a call would go: dial plan decision and carriers cheapest first (operator)',
        querystring: z.object({
          number: z.string().min(1).max(64),
          tenant: z.string().max(64).optional(),
          extension: z.string().max(16).optional(),
          at: z.iso.datetime().optional(),
        }),
        response: { 200: routeSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const { number, tenant: tenantId, extension, at } = request.query;
      let e164: string;
      let decision = 'outside';
      if (tenantId !== undefined) {
        const tenant = ctx.directory().tenant(tenantId);
        if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
        const outcome = decideOutbound({ tenant, extension, dialled: number });
        if (outcome.kind !== 'outside') {
          return {
            number,
            decision: outcome.kind === 'refused' ? `refused: ${outcome.reason}` : outcome.kind,
            ...(outcome.kind === 'refused' ? { message: outcome.message } : {}),
            candidates: [],
            skipped: [],
          };
        }
        e164 = outcome.e164;
        decision = `outside (${outcome.numberClass})`;
      } else {
        const parsed = normaliseNumber(number);
        if (!parsed.ok) throw new ApiError('INVALID', parsed.message);
        e164 = parsed.e164;
      }
      const routes = leastCostRoutes(
        e164,
        runtime.carriers(),
        runtime.decks.carrierDecks,
        runtime.board,
        at ? new Date(at) : new Date(),
      );
      return {
        number: e164,
        decision,
        candidates: routes.candidates.map((c) => ({
          carrierId: c.carrier.id,
          prefix: c.rate.prefix,
          destination: c.rate.destination,
          ratePerMinute: formatMicro(c.rate.rate_micro_per_min),
          connectFee: formatMicro(c.rate.connect_micro),
          billingIncrement: `${c.rate.initial_s}/${c.rate.increment_s}`,
          dialString: c.dialString,
        })),
        skipped: [...routes.skipped],
      };
    },
  );
}
