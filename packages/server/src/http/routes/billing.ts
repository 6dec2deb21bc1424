import {
  checkCredit,
  formatMicro,
  parseMicro,
  periodPattern,
  statementCsv,
  statementJson,
} from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

const tenantParams = z.object({ tenantId: z.string().max(64) });
const statementParams = z.object({
  tenantId: z.string().max(64),
  period: z.string().regex(periodPattern, { error: 'expected a month YYYY-MM' }),
});
const money = z.string();

const statementSchema = z.object({
  tenantId: z.string(),
  period: z.string(),
  currency: z.string(),
  openingBalance: money,
  callCount: z.number().int(),
  billableSeconds: z.number().int(),
  callCharges: money,
  invoiced: money,
  credits: money,
  closingBalance: money,
  byDestination: z.array(
    z.object({
      destination: z.string(),
      calls: z.number().int(),
      billableSeconds: z.number().int(),
      price: money,
    }),
  ),
  calls: z.array(
    z.object({
      callId: z.string(),
      answeredAt: z.string(),
      extension: z.string().nullable(),
      destination: z.string(),
      destinationName: z.string(),
      durationSeconds: z.number().int(),
      billableSeconds: z.number().int(),
      price: money,
    }),
  ),
  entries: z.array(z.object({ at: z.string(), kind: z.string(), amount: money, note: z.string() })),
});

/**
 * Balances, top-ups, monthly statements and fraud-guard state of a tenant.
 * Amounts are decimal strings in the tenant's currency (micro-unit precision).
 */
export function billingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const runtime = ctx.carriers;

  function tenantFor(request: FastifyRequest, tenantId: string) {
    const tenant = canAccessTenant(request.principal, tenantId)
      ? ctx.directory().tenant(tenantId)
      : undefined;
    if (!tenant) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    return tenant;
  }

  async function statementOf(request: FastifyRequest, tenantId: string, period: string) {
    tenantFor(request, tenantId);
    const statement = await runtime.billing.statement(tenantId, period);
    if (!statement) throw new ApiError('INVALID', 'expected a month YYYY-MM');
    return statement;
  }

  api.get(
    '/api/tenants/:tenantId/balance',
    {
      schema: {
        tags: ['billing'],
        summary: "A tenant's balance and credit",
        params: tenantParams,
        response: {
          200: z.object({
            balance: money,
            currency: z.string(),
            mode: z.enum(['prepaid', 'postpaid']),
            creditLimit: money.nullable(),
            canCall: z.boolean(),
          }),
        },
      },
    },
    async (request) => {
      const tenant = tenantFor(request, request.params.tenantId);
      const balance = await runtime.billing.balance(tenant.id);
      const credit = checkCredit(balance, tenant.billing);
      return {
        balance: formatMicro(balance),
        currency: runtime.billing.currencyOf(tenant),
        mode: tenant.billing?.mode ?? 'postpaid',
        creditLimit: tenant.billing?.creditLimit ?? null,
        canCall: credit.ok,
      };
    },
  );

  api.post(
    '/api/tenants/:tenantId/balance/entries',
    {
      schema: {
        tags: ['billing'],
        summary: 'Credit or debit a balance: top-up, payment or adjustment (operator)',
        params: tenantParams,
        body: z.object({
          kind: z.enum(['topup', 'payment', 'adjustment']),
          amount: z.string().max(32),
          note: z.string().trim().min(1).max(200),
        }),
        response: { 201: z.object({ id: z.string(), balance: money }) },
      },
    },
    async (request, reply) => {
      requireOperator(request);
      const tenant = tenantFor(request, request.params.tenantId);
      const { kind, amount, note } = request.body;
      const parsed = parseMicro(amount, { allowNegative: kind === 'adjustment' });
      if (!parsed.ok || parsed.micro === 0n) {
        throw new ApiError('VALIDATION_FAILED', 'the amount is invalid', [
          { path: 'amount', message: parsed.ok ? 'expected a non-zero amount' : parsed.message },
        ]);
      }
      const entry = await runtime.billing.addEntry(tenant.id, kind, parsed.micro, note);
      return reply
        .code(201)
        .send({ id: entry.id, balance: formatMicro(await runtime.billing.balance(tenant.id)) });
    },
  );

  api.get(
    '/api/tenants/:tenantId/statements/:period',
    {
      schema: {
        tags: ['billing'],
        summary: 'A monthly statement (JSON)',
        params: statementParams,
        response: { 200: statementSchema },
      },
    },
    async (request) =>
      statementJson(await statementOf(request, request.params.tenantId, request.params.period)),
  );

  api.get(
    '/api/tenants/:tenantId/statements/:period/csv',
    {
      schema: {
        tags: ['billing'],
        summary: 'A monthly statement as CSV (one line per call)',
        params: statementParams,
      },
    },
    async (request, reply) => {
      const statement = await statementOf(request, request.params.tenantId, request.params.period);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${statement.tenantId}-${statement.period}.csv"`)
        .send(statementCsv(statement));
    },
  );

  api.get(
    '/api/tenants/:tenantId/fraud',
    {
      schema: {
        tags: ['billing'],
        summary: "The fraud guard's view of a tenant: suspensions and today's usage",
        params: tenantParams,
        response: {
          200: z.object({
            concurrentCalls: z.number().int(),
            spentToday: money,
            suspensions: z.array(
              z.object({ extension: z.string().nullable(), reason: z.string(), since: z.string() }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const tenant = tenantFor(request, request.params.tenantId);
      const usage = runtime.fraud.usage(tenant.id);
      return {
        concurrentCalls: usage.concurrentCalls,
        spentToday: formatMicro(usage.spentToday_micro),
        suspensions: runtime.fraud.listSuspensions(tenant.id).map((s) => ({
          extension: s.extension ?? null,
          reason: s.reason,
          since: new Date(s.since_ms).toISOString(),
        })),
      };
    },
  );

  api.delete(
    '/api/tenants/:tenantId/fraud/suspensions',
    {
      schema: {
        tags: ['billing'],
        summary: 'Lift a fraud suspension of the tenant or one extension (operator)',
        params: tenantParams,
        querystring: z.object({ extension: z.string().max(16).optional() }),
      },
    },
    async (request, reply) => {
      requireOperator(request);
      const tenant = tenantFor(request, request.params.tenantId);
      if (!runtime.fraud.lift(tenant.id, request.query.extension)) {
        throw new ApiError('NOT_FOUND', 'no such suspension');
      }
      return reply.code(204).send();
    },
  );
}
