/**
 * The Venture Commune's commands over HTTP (venture-commune.md §11): one route
 * per command, `POST /api/commune/<command>`, whose body is the command
 * without its `type`; `POST /api/commune/commands` takes any command as a
 * journal line. A rejection answers with a 4xx whose body carries the stable
 * code and the message. Members may act only as themselves (vote, propose,
 * bid, apply, resign); everything else is the operator's (the treasurer's).
 */
import {
  type CommandType,
  commandSchema,
  type Rejection,
  shareTradeTypes,
  toJsonValue,
} from '@telekommune/commune';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommuneRuntime } from '../../commune-runtime.js';
import type { AppContext } from '../../context.js';
import { commandOutcomeSchema, errorSchema } from '../commune-schemas.js';
import { ApiError } from '../errors.js';
import type { PrincipalKind } from '../principal.js';

const communePrincipals: readonly PrincipalKind[] = ['operator', 'member'];

/** Commands a member may issue, and the field that must name the member. */
const memberActs: Partial<Record<CommandType, string>> = {
  vote: 'member',
  propose: 'proposer',
  bid: 'bidder',
  apply: 'person',
  resign: 'person',
};

/** Membership commands keep unknown fields so an attempt to pay for or hand on a share meets SHARE_NOT_FOR_SALE. */
const openBodies = new Set<string>(['apply', 'admit-member', 'resign', 'record-labour']);

const previewQuery = z.object({
  dry_run: z
    .enum(['true', 'false'])
    .optional()
    .describe('decide without recording: shows the events the command would cause'),
});

function reject(rejection: Rejection): never {
  throw new ApiError(rejection.code, rejection.message);
}

function authorise(request: FastifyRequest, command: Record<string, unknown>): void {
  const principal = request.principal;
  if (principal?.kind === 'operator') return;
  if (principal?.kind === 'member') {
    const field = memberActs[command.type as CommandType];
    if (field !== undefined && command[field] === principal.personId) return;
    throw new ApiError('FORBIDDEN', `a member may ${Object.keys(memberActs).join(', ')} only as themselves`);
  }
  throw new ApiError('FORBIDDEN', 'commune commands need an operator or a member');
}

export function communeCommandRoutes(app: FastifyInstance, _ctx: AppContext, commune: CommuneRuntime): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = commune.service;

  async function run(request: FastifyRequest, command: Record<string, unknown>, preview: boolean) {
    authorise(request, command);
    if (preview) {
      const decision = await service.preview(command);
      if ('rejection' in decision) reject(decision.rejection);
      return { status: 'preview' as const, events: toJsonValue(decision.events) as never };
    }
    const outcome = await service.submit(command);
    if (outcome.status === 'rejected') reject(outcome.rejection);
    if (outcome.status === 'duplicate') return { status: 'duplicate' as const, seq: outcome.seq };
    return {
      status: 'accepted' as const,
      seq: outcome.entry.seq,
      hash: outcome.entry.hash,
      events: toJsonValue(outcome.entry.events) as never,
    };
  }

  const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 422: errorSchema };

  api.post(
    '/api/commune/commands',
    {
      config: { principals: communePrincipals },
      schema: {
        tags: ['commune'],
        summary: 'Any commune command, as one line of a journal',
        description:
          'The body is a command with its `type`, `idempotency_key` and `effective_date`, as `telekommune commune export` writes them.',
        querystring: previewQuery,
        body: z.looseObject({ type: z.string(), idempotency_key: z.string(), effective_date: z.string() }),
        response: { 200: commandOutcomeSchema, ...errors },
      },
    },
    async (request) => run(request, request.body, request.query.dry_run === 'true'),
  );

  for (const option of commandSchema.options) {
    const type = option.shape.type.value;
    const shape = (option as unknown as z.ZodObject).omit({ type: true } as never) as z.ZodObject;
    const body = openBodies.has(type) ? shape.loose() : shape;
    api.post(
      `/api/commune/${type}`,
      {
        config: { principals: communePrincipals },
        schema: {
          tags: ['commune'],
          summary: `Command: ${type}`,
          querystring: previewQuery,
          body,
          response: { 200: commandOutcomeSchema, ...errors },
        },
      },
      async (request) =>
        run(
          request,
          { ...(request.body as Record<string, unknown>), type },
          request.query.dry_run === 'true',
        ),
    );
  }

  // There is no way to buy, sell, transfer or inherit a share (§3.1); these routes exist to say so.
  for (const type of shareTradeTypes) {
    api.post(
      `/api/commune/${type}`,
      {
        config: { principals: communePrincipals },
        schema: {
          tags: ['commune'],
          summary: `Refused: ${type} (a share is earned only by labour)`,
          body: z.unknown().optional(),
          response: { 422: errorSchema },
        },
      },
      async () => {
        throw new ApiError(
          'SHARE_NOT_FOR_SALE',
          `"${type}": a share is earned only by labour; it is never bought, sold, transferred or inherited`,
        );
      },
    );
  }
}
