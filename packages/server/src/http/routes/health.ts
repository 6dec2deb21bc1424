import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: z.number(),
  database: z.object({ dialect: z.enum(['sqlite', 'postgres']), ok: z.boolean() }),
});

/** GET /healthz: liveness plus a database round trip. */
export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Health check',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      let ok = true;
      try {
        await sql`select 1`.execute(ctx.store.db);
      } catch {
        ok = false;
      }
      const body = {
        status: ok ? ('ok' as const) : ('degraded' as const),
        version: ctx.version,
        uptime_s: Math.round(process.uptime()),
        database: { dialect: ctx.store.dialect, ok },
      };
      return reply.code(ok ? 200 : 503).send(body);
    },
  );
}
