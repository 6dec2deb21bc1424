import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { ApiError, type ErrorBody, httpStatusFor } from './errors.js';

export interface HttpOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly version: string;
  /** Limits (STYLE.md 14): bodies larger than this are refused with 413. */
  readonly bodyLimit_bytes?: number;
}

/**
 * The Fastify instance with zod schemas on every route, the OpenAPI document
 * generated from them, metrics per request, and the one error handler.
 */
export async function buildHttp(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger.child({ part: 'http' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit_bytes ?? 10 * 1024 * 1024,
    requestTimeout: 120_000,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Telekommune API',
        version: options.version,
        description:
          'The hosted PBX and the Venture Commune. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    options.metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    options.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode }, 'http request');
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { code: 'NOT_FOUND', message: `no route for ${request.method} ${request.url}` };
    void reply.code(404).send(body);
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) {
      const body: ErrorBody = {
        code: error.code,
        message: error.message,
        ...(error.issues ? { issues: error.issues } : {}),
      };
      return reply.code(httpStatusFor(error.code)).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'invalid',
      }));
      const body: ErrorBody = {
        code: 'VALIDATION_FAILED',
        message: 'the request does not match its schema',
        issues,
      };
      return reply.code(400).send(body);
    }
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
    if (status >= 400 && status < 500) {
      const body: ErrorBody = {
        code: status === 413 ? 'TOO_LARGE' : 'INVALID',
        message: (error as Error).message,
      };
      return reply.code(status).send(body);
    }
    request.log.error({ err: error }, 'unhandled error in HTTP route');
    const body: ErrorBody = { code: 'INTERNAL', message: 'internal error; see the server log' };
    return reply.code(500).send(body);
  });

  // The pino logger type is wider than Fastify's base logger type; the instance is the same.
  return app as unknown as FastifyInstance;
}
