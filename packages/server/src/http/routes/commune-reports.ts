/**
 * The reports of venture-commune.md §12 over HTTP, as JSON: amounts are
 * decimal strings of minor units in fields named `*_minor`. Operators and
 * members read them (the commune's books are open to its members); each
 * report first catches up with the log, so it includes commands other
 * processes recorded.
 */
import {
  balanceSheet,
  bondRegister,
  currencyReport,
  distributionHistory,
  eventLog,
  exportJournal,
  governanceReport,
  incomeStatement,
  type LogEntry,
  memberRegister,
  rentAuctionsReport,
  rentRoll,
  summary,
  toJsonValue,
  trialBalance,
} from '@telekommune/commune';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditCommune, type CommuneRuntime } from '../../commune-runtime.js';
import type { AppContext } from '../../context.js';
import {
  auditSchema,
  balanceSheetSchema,
  bondRegisterSchema,
  currencySchema,
  distributionsSchema,
  errorSchema,
  eventLogSchema,
  governanceSchema,
  incomeStatementSchema,
  memberRegisterSchema,
  rentAuctionsSchema,
  rentRollSchema,
  summarySchema,
  trialBalanceSchema,
} from '../commune-schemas.js';
import { ApiError } from '../errors.js';
import type { PrincipalKind } from '../principal.js';
import { communeLabourRoutes } from './commune-labour.js';

const readers: readonly PrincipalKind[] = ['operator', 'member'];
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected YYYY-MM-DD' });
const owner = z
  .string()
  .regex(/^(commune|enterprise:[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/, {
    error: 'expected commune or enterprise:<id>',
  })
  .default('commune')
  .describe('whose books: `commune` or `enterprise:<id>`');

/**
 * Reports are plain data with bigint amounts; on the wire they are JSON with
 * decimal strings. The response schema checks the result as it is sent.
 */
function json(value: unknown): never {
  return toJsonValue(value) as never;
}

export function communeReportRoutes(app: FastifyInstance, _ctx: AppContext, commune: CommuneRuntime): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = commune.service;
  const state = async () => (await service.sync()).state;
  const tags = ['commune reports'];

  api.get(
    '/api/commune',
    {
      config: { principals: readers },
      schema: { tags, summary: 'The commune at a glance', response: { 200: summarySchema } },
    },
    async () => {
      const engine = await service.sync();
      return json({ ...summary(engine.state), head: engine.head });
    },
  );

  api.get(
    '/api/commune/balance-sheet',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Balance sheet of the commune or an enterprise, per currency',
        querystring: z.object({ owner, as_of: isoDate.optional() }),
        response: { 200: balanceSheetSchema, 400: errorSchema },
      },
    },
    async (request) => json(balanceSheet(await state(), request.query.owner, request.query.as_of)),
  );

  api.get(
    '/api/commune/income-statement',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Income statement of the commune or an enterprise, per currency',
        querystring: z.object({ owner, from: isoDate.optional(), to: isoDate.optional() }),
        response: { 200: incomeStatementSchema, 400: errorSchema },
      },
    },
    async (request) =>
      json(incomeStatement(await state(), request.query.owner, request.query.from, request.query.to)),
  );

  api.get(
    '/api/commune/trial-balance',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Every account with a balance; debits equal credits per currency',
        querystring: z.object({ as_of: isoDate.optional() }),
        response: { 200: trialBalanceSchema },
      },
    },
    async (request) => json(trialBalance(await state(), request.query.as_of)),
  );

  api.get(
    '/api/commune/rent-roll',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary:
          'Per property: tenant, contract rent, last auction rent, arrears by age, vacancy; per enterprise: arrears and property held past grace',
        querystring: z.object({ as_of: isoDate.optional() }),
        response: { 200: rentRollSchema },
      },
    },
    async (request) => json(rentRoll(await state(), request.query.as_of)),
  );

  api.get(
    '/api/commune/members',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Member register, with eligible non-members',
        response: { 200: memberRegisterSchema },
      },
    },
    async () => json(memberRegister(await state())),
  );

  api.get(
    '/api/commune/bonds',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Bond register: series, auction results, holders, payment schedule, defaults',
        response: { 200: bondRegisterSchema },
      },
    },
    async () => json(bondRegister(await state())),
  );

  api.get(
    '/api/commune/currency',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Commune currency outstanding against its cap',
        response: { 200: currencySchema },
      },
    },
    async () => json(currencyReport(await state())),
  );

  api.get(
    '/api/commune/distributions',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Distribution history, with the waterfall arithmetic',
        response: { 200: distributionsSchema },
      },
    },
    async () => json(distributionHistory(await state())),
  );

  api.get(
    '/api/commune/proposals',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'Governance: the bylaws in force, and every proposal with its tally and the votes cast',
        response: { 200: governanceSchema },
      },
    },
    async () => json(governanceReport(await state())),
  );

  api.get(
    '/api/commune/rent-auctions',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary:
          "Re-letting auctions: each property's latest, bids sealed while open, then the bids and the winner",
        response: { 200: rentAuctionsSchema },
      },
    },
    async () => json(rentAuctionsReport(await state())),
  );

  communeLabourRoutes(app, _ctx, commune);

  async function allEntries(): Promise<LogEntry[]> {
    const entries: LogEntry[] = [];
    for await (const entry of service.entries()) entries.push(entry);
    return entries;
  }

  api.get(
    '/api/commune/log',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'The event log with its hash chain, verified',
        querystring: z.object({
          from: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(1_000).default(100),
        }),
        response: { 200: eventLogSchema },
      },
    },
    async (request) =>
      json(eventLog(await allEntries(), { from: request.query.from, limit: request.query.limit })),
  );

  api.get(
    '/api/commune/audit',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary:
          'Replay the whole log, re-decide every command, check every invariant, compare with the stored ledger',
        response: { 200: auditSchema },
      },
    },
    async () => json(await auditCommune(commune)),
  );

  api.get(
    '/api/commune/export',
    {
      config: { principals: readers },
      schema: {
        tags,
        summary: 'The log as a journal of commands (JSON lines), as `telekommune commune import` reads it',
        produces: ['application/x-ndjson'],
        response: { 200: z.string().describe('one command per line'), 500: errorSchema },
      },
    },
    async (_request, reply) => {
      const text = exportJournal(await allEntries());
      if (text.length > 512 * 1024 * 1024)
        throw new ApiError('INVALID', 'the log is too large to export over HTTP; use the CLI');
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .serializer((payload) => payload as string)
        .send(text);
    },
  );
}
