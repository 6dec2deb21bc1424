import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireAccount } from '../auth.js';
import { ApiError } from '../errors.js';
import type { PrincipalKind } from '../principal.js';

const everyone: readonly PrincipalKind[] = ['operator', 'tenant', 'user', 'member'];

const sessionViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  sourceAddress: z.string(),
  userAgent: z.string(),
  /** The session this request came with. */
  current: z.boolean(),
});

/** My browser sessions: see where I am signed in, and sign out elsewhere. */
export function sessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/sessions',
    {
      config: { principals: everyone },
      schema: {
        tags: ['auth'],
        summary: 'My open browser sessions',
        response: { 200: z.array(sessionViewSchema) },
      },
    },
    async (request) => {
      const account = await requireAccount(ctx, request);
      const credential = request.principal!.credential;
      const current = credential.type === 'session' ? credential.sessionId : null;
      const list = await ctx.access.sessions.listForAccount(account.id);
      return list.map(({ csrfToken: _csrf, accountId: _account, ...s }) => ({
        ...s,
        current: s.id === current,
      }));
    },
  );

  api.delete(
    '/api/sessions/:sessionId',
    {
      config: { principals: everyone },
      schema: {
        tags: ['auth'],
        summary: 'End one of my sessions',
        params: z.object({ sessionId: z.string().max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const account = await requireAccount(ctx, request);
      if (!(await ctx.access.sessions.delete(account.id, request.params.sessionId))) {
        throw new ApiError('NOT_FOUND', `no session ${request.params.sessionId}`);
      }
      return reply.code(204).send(null);
    },
  );
}
