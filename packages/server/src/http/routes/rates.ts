import type { Readable } from 'node:stream';
import { formatMicro, normaliseNumber, type RateDeckInfo, type RateDeckOwner } from '@telekommune/pbx';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { ApiError } from '../errors.js';

const ownerParams = z.object({
  kind: z.enum(['carrier', 'pricelist']),
  ownerId: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, { error: 'expected an id' }),
});

const deckSchema = z.object({
  kind: z.enum(['carrier', 'pricelist']),
  ownerId: z.string(),
  id: z.string(),
  currency: z.string(),
  rows: z.number().int(),
  sha256: z.string(),
  source: z.string(),
  importedAt: z.string(),
});

function deckView(info: RateDeckInfo) {
  return {
    kind: info.owner.kind,
    ownerId: info.owner.id,
    id: info.id,
    currency: info.currency,
    rows: info.rows,
    sha256: info.sha256,
    source: info.source,
    importedAt: info.importedAt,
  };
}

/** Rate decks and price lists (operator only): CSV upload with atomic replacement, listing, lookup. */
export function rateRoutes(app: FastifyInstance, ctx: AppContext): void {
  // A deck is streamed straight into the importer, which bounds rows and line length itself.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  const api = app.withTypeProvider<ZodTypeProvider>();
  const decks = ctx.carriers.decks;

  api.get(
    '/api/rates',
    {
      schema: {
        tags: ['rates'],
        summary: 'Rate decks and price lists (operator)',
        response: { 200: z.array(deckSchema) },
      },
    },
    async (request) => {
      requireOperator(request);
      return decks.list().map(deckView);
    },
  );

  api.put(
    '/api/rates/:kind/:ownerId',
    {
      schema: {
        tags: ['rates'],
        summary: "Replace a carrier's rate deck or a price list from CSV (operator)",
        description:
          'Content-Type: text/csv; columns prefix, destination, rate_per_minute, connect_fee, billing_increment, effective_from (docs/carriers.md). All or nothing: on any error the previous deck stays.',
        params: ownerParams,
        querystring: z.object({
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/)
            .optional(),
          source: z.string().max(200).optional(),
        }),
        response: {
          200: deckSchema.extend({ parseMilliseconds: z.number(), writeMilliseconds: z.number() }),
        },
      },
    },
    async (request) => {
      requireOperator(request);
      const owner: RateDeckOwner = { kind: request.params.kind, id: request.params.ownerId };
      const body = request.body as Readable | string | undefined;
      if (
        body === undefined ||
        body === null ||
        (typeof body !== 'string' && typeof (body as Readable).pipe !== 'function')
      ) {
        throw new ApiError(
          'VALIDATION_FAILED',
          'send the deck as the request body with Content-Type: text/csv',
        );
      }
      let currency = request.query.currency;
      if (owner.kind === 'carrier') {
        const carrier = ctx.carriers.carrier(owner.id);
        if (!carrier) throw new ApiError('NOT_FOUND', `no carrier ${owner.id}`);
        if (currency !== undefined && currency !== carrier.currency) {
          throw new ApiError('VALIDATION_FAILED', `carrier ${owner.id} bills in ${carrier.currency}`);
        }
        currency = carrier.currency;
      }
      const outcome = await decks.importCsv(owner, body, {
        currency: currency ?? 'EUR',
        source: request.query.source ?? 'upload',
      });
      if (!outcome.ok) {
        throw new ApiError(
          'VALIDATION_FAILED',
          `the deck has errors${outcome.truncated ? ' (only the first ones are listed)' : ''}; the previous deck stays in force`,
          outcome.errors.map((e) => ({
            path: `line ${e.line}${e.column ? ` ${e.column}` : ''}`,
            message: e.message,
          })),
        );
      }
      return {
        ...deckView(outcome.info),
        parseMilliseconds: outcome.parse_ms,
        writeMilliseconds: outcome.write_ms,
      };
    },
  );

  api.get(
    '/api/rates/:kind/:ownerId/lookup',
    {
      schema: {
        tags: ['rates'],
        summary: 'The rate a deck charges for a number now or at a time (operator)',
        params: ownerParams,
        querystring: z.object({ number: z.string().min(1).max(64), at: z.iso.datetime().optional() }),
        response: {
          200: z.object({
            number: z.string(),
            prefix: z.string(),
            destination: z.string(),
            ratePerMinute: z.string(),
            connectFee: z.string(),
            billingIncrement: z.string(),
            effectiveFrom: z.string(),
          }),
        },
      },
    },
    async (request) => {
      requireOperator(request);
      const index = decks.get({ kind: request.params.kind, id: request.params.ownerId });
      if (!index)
        throw new ApiError('NOT_FOUND', `no deck for ${request.params.kind} ${request.params.ownerId}`);
      const parsed = normaliseNumber(request.query.number);
      if (!parsed.ok) throw new ApiError('INVALID', parsed.message);
      const rate = index.lookup(parsed.e164, request.query.at ? new Date(request.query.at) : new Date());
      if (!rate) throw new ApiError('NOT_FOUND', `no rate for ${parsed.e164}`);
      return {
        number: parsed.e164,
        prefix: rate.prefix,
        destination: rate.destination,
        ratePerMinute: formatMicro(rate.rate_micro_per_min),
        connectFee: formatMicro(rate.connect_micro),
        billingIncrement: `${rate.initial_s}/${rate.increment_s}`,
        effectiveFrom: new Date(rate.effective_ms).toISOString(),
      };
    },
  );

  api.delete(
    '/api/rates/:kind/:ownerId',
    { schema: { tags: ['rates'], summary: 'Delete a deck (operator)', params: ownerParams } },
    async (request, reply) => {
      requireOperator(request);
      if (!(await decks.delete({ kind: request.params.kind, id: request.params.ownerId }))) {
        throw new ApiError('NOT_FOUND', `no deck for ${request.params.kind} ${request.params.ownerId}`);
      }
      return reply.code(204).send();
    },
  );
}
