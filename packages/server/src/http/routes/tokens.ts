import { type ApiToken, type TokenScope, tenantTokenScopes, tokenScopes } from '@telekommune/store';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenant } from '../../accounts/tenant-changes.js';
import type { AppContext } from '../../context.js';
import { ApiError } from '../errors.js';
import type { Principal, PrincipalKind } from '../principal.js';

const everyone: readonly PrincipalKind[] = ['operator', 'tenant', 'user', 'member'];

const tokenViewSchema = z.object({
  id: z.string(),
  scope: z.enum(tokenScopes),
  tenantId: z.string().nullable(),
  accountId: z.string().nullable(),
  label: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});

const newTokenSchema = z.strictObject({
  scope: z.enum(tokenScopes),
  label: z.string().trim().min(1, { error: 'expected a label' }).max(120),
  /** For tenant:admin and tenant:read; a tenant admin's own tenant by default. */
  tenantId: z.string().max(64).optional(),
  /** Days until the token stops working; none means it works until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** Whether the caller may see (and revoke) a token. */
function sees(principal: Principal, token: ApiToken): boolean {
  switch (principal.kind) {
    case 'operator':
      return true;
    case 'tenant':
      return token.tenantId === principal.tenantId;
    case 'user':
    case 'member':
      return principal.accountId !== null && token.accountId === principal.accountId;
  }
}

/** The scopes a caller may hand out. */
function grantableScopes(principal: Principal): readonly TokenScope[] {
  switch (principal.kind) {
    case 'operator':
      return ['operator', 'operator:read', ...tenantTokenScopes];
    case 'tenant':
      return tenantTokenScopes;
    case 'user':
      return ['user'];
    case 'member':
      return ['commune'];
  }
}

/** API tokens with scopes, for automation; each is shown in full once, when created. */
export function tokenRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/tokens',
    {
      config: { principals: everyone },
      schema: {
        tags: ['tokens'],
        summary: 'API tokens the caller may see',
        response: { 200: z.array(tokenViewSchema) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const list =
        principal.kind === 'operator'
          ? await ctx.tokens.list()
          : principal.kind === 'tenant'
            ? await ctx.tokens.list({ tenantId: principal.tenantId })
            : principal.accountId === null
              ? []
              : await ctx.tokens.list({ accountId: principal.accountId });
      return list.filter((t) => sees(principal, t));
    },
  );

  api.post(
    '/api/tokens',
    {
      config: { principals: everyone },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (the secret is in this response only)',
        description:
          'Scopes: operator, operator:read (everything), tenant:admin, tenant:read (one tenant), user (acts as your extension-owner account), commune (acts as your member account).',
        body: newTokenSchema,
        response: { 201: tokenViewSchema.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { scope, label, expiresInDays } = request.body;
      if (!grantableScopes(principal).includes(scope)) {
        throw new ApiError('FORBIDDEN', `you may not create ${scope} tokens`);
      }
      let tenantId: string | null = null;
      let accountId: string | null = null;
      if ((tenantTokenScopes as readonly string[]).includes(scope)) {
        tenantId = principal.kind === 'tenant' ? principal.tenantId : (request.body.tenantId ?? null);
        if (tenantId === null) {
          throw new ApiError('VALIDATION_FAILED', `a ${scope} token needs a tenantId`, [
            { path: 'tenantId', message: 'required' },
          ]);
        }
        if (
          principal.kind === 'tenant' &&
          request.body.tenantId !== undefined &&
          request.body.tenantId !== tenantId
        ) {
          throw new ApiError('NOT_FOUND', `no tenant ${request.body.tenantId}`);
        }
        if (!(await findTenant(ctx, tenantId))) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
      } else if (scope === 'user' || scope === 'commune') {
        const account = principal.accountId ? await ctx.access.accounts.get(principal.accountId) : undefined;
        if (!account || account.role !== (scope === 'user' ? 'user' : 'member')) {
          throw new ApiError(
            'FORBIDDEN',
            `a ${scope} token acts as your own ${scope === 'user' ? 'user' : 'member'} account`,
          );
        }
        accountId = account.id;
        tenantId = account.tenantId;
      } else if (request.body.tenantId !== undefined) {
        throw new ApiError('VALIDATION_FAILED', `a ${scope} token has no tenant`, [
          { path: 'tenantId', message: 'not allowed' },
        ]);
      }
      const expiresAt =
        expiresInDays === undefined ? null : new Date(Date.now() + expiresInDays * 86_400_000);
      const { token, id } = await ctx.tokens.create(scope, label, tenantId, { accountId, expiresAt });
      const stored = await ctx.tokens.get(id);
      if (!stored) throw new Error(`token ${id} vanished after creation`);
      return reply.code(201).send({ ...stored, token });
    },
  );

  api.delete(
    '/api/tokens/:tokenId',
    {
      config: { principals: everyone },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: z.object({ tokenId: z.string().max(64) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const token = await ctx.tokens.get(request.params.tokenId);
      if (!token || !sees(request.principal!, token)) {
        throw new ApiError('NOT_FOUND', `no token ${request.params.tokenId}`);
      }
      await ctx.tokens.revoke(token.id);
      return reply.code(204).send(null);
    },
  );
}
