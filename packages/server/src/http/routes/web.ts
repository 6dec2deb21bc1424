import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { ErrorBody } from '../errors.js';

/** Where `npm install` (the web package's build) puts the console. */
export function defaultConsoleRoot(): string {
  const manifest = createRequire(import.meta.url).resolve('@telekommune/web/package.json');
  return join(dirname(manifest), 'dist');
}

/**
 * The console's pages may load only what this server serves; nothing may frame them. Recharts and
 * React set element styles through the DOM, which style-src does not govern, so no 'unsafe-inline'.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The web console at `/`: the files of the production build (hashed assets
 * cached for a year, index.html never), and index.html for every other path
 * that is not the API, so the single-page app's own routes survive a reload.
 */
export async function webRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  root = defaultConsoleRoot(),
): Promise<void> {
  const indexFile = join(root, 'index.html');
  const built = existsSync(indexFile);
  if (!built)
    ctx.logger.warn(
      { root },
      'the web console is not built; run npm install (or npm run build -w @telekommune/web)',
    );

  await app.register(async (web) => {
    web.addHook('onSend', async (request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        void reply.header('content-security-policy', contentSecurityPolicy);
      }
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'same-origin');
      void reply.header('x-frame-options', 'DENY');
      if (request.url.startsWith('/assets/') && reply.statusCode === 200) {
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
      }
      return payload;
    });

    if (built) {
      await web.register(fastifyStatic, { root, wildcard: false, index: false, cacheControl: false });
    }

    web.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (path.startsWith('/api/') || path === '/api' || path.startsWith('/assets/')) {
        const body: ErrorBody = { code: 'NOT_FOUND', message: `no route for ${request.method} ${path}` };
        return reply.code(404).send(body);
      }
      if (!built) {
        return reply
          .code(503)
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><html lang="en"><title>Telekommune</title><h1>The console is not built</h1><p>Run <code>npm install</code> (it builds the console) and restart. The API works meanwhile: see <a href="/openapi.json">/openapi.json</a>.</p></html>',
          );
      }
      return reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .sendFile('index.html');
    });
  });
}
