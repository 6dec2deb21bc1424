import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

/** GET /metrics: Prometheus text exposition. */
export function metricsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.header('content-type', ctx.metrics.registry.contentType).send(text);
  });
}
