import type { ApiTokenRepository } from '@telekommune/store';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import type { Principal } from './principal.js';

/**
 * Authenticates an API request by its bearer token. Routes under /api
 * require it; /healthz, /metrics and /openapi.json are public.
 */
export function bearerAuthenticator(tokens: ApiTokenRepository) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1])
      throw new ApiError('UNAUTHENTICATED', 'an API token is required: Authorization: Bearer <token>');
    const grant = await tokens.verify(match[1]);
    if (!grant) throw new ApiError('UNAUTHENTICATED', 'the API token is unknown or revoked');
    const principal: Principal =
      grant.scope === 'operator' || grant.tenantId === null
        ? { kind: 'operator', tokenId: grant.id }
        : { kind: 'tenant', tenantId: grant.tenantId, tokenId: grant.id };
    request.principal = principal;
  };
}

/** Only operator tokens pass. */
export function requireOperator(request: FastifyRequest): void {
  if (request.principal?.kind !== 'operator') throw new ApiError('FORBIDDEN', 'this needs an operator token');
}
