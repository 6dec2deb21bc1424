import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { Account, ApiToken } from '@telekommune/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfHeaderName, sessionCookieName, slidingExpiry } from '../accounts/session-policy.js';
import type { AppContext } from '../context.js';
import { ApiError } from './errors.js';
import { type Credential, defaultPrincipalKinds, type Principal } from './principal.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The principal a console account acts as. */
export function principalForAccount(account: Account, credential: Credential): Principal | undefined {
  const base = {
    readOnly: false,
    accountId: account.id,
    tokenId: credential.type === 'token' ? credential.tokenId : null,
    credential,
  };
  switch (account.role) {
    case 'operator':
      return { ...base, kind: 'operator' };
    case 'tenant_admin':
      return account.tenantId === null ? undefined : { ...base, kind: 'tenant', tenantId: account.tenantId };
    case 'user':
      return account.tenantId === null || account.extension === null
        ? undefined
        : { ...base, kind: 'user', tenantId: account.tenantId, extension: account.extension };
    case 'member':
      return account.personId === null ? undefined : { ...base, kind: 'member', personId: account.personId };
  }
}

async function principalForToken(ctx: AppContext, grant: ApiToken): Promise<Principal | undefined> {
  const credential: Credential = { type: 'token', tokenId: grant.id };
  const base = { accountId: grant.accountId, tokenId: grant.id, credential };
  switch (grant.scope) {
    case 'operator':
    case 'operator:read':
      return { ...base, kind: 'operator', readOnly: grant.scope === 'operator:read' };
    case 'tenant:admin':
    case 'tenant:read':
      return grant.tenantId === null
        ? undefined
        : { ...base, kind: 'tenant', tenantId: grant.tenantId, readOnly: grant.scope === 'tenant:read' };
    case 'user':
    case 'commune': {
      // An account-bound token acts as its account, as long as the account keeps that role.
      const account = grant.accountId === null ? undefined : await ctx.access.accounts.get(grant.accountId);
      if (!account || account.role !== (grant.scope === 'user' ? 'user' : 'member')) return undefined;
      return principalForAccount(account, credential);
    }
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function authenticate(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new ApiError('UNAUTHENTICATED', 'an API token is required: Authorization: Bearer <token>');
    const grant = await ctx.tokens.verify(match[1]);
    const principal = grant ? await principalForToken(ctx, grant) : undefined;
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'the API token is unknown or revoked');
    return principal;
  }
  const secret = request.cookies[sessionCookieName];
  if (secret === undefined) {
    throw new ApiError(
      'UNAUTHENTICATED',
      'sign in (POST /api/auth/login) or send an API token: Authorization: Bearer <token>',
    );
  }
  const { sessions, accounts, sessionPolicy } = ctx.access;
  const session = await sessions.findBySecret(secret);
  const account = session ? await accounts.get(session.accountId) : undefined;
  const principal =
    session && account
      ? principalForAccount(account, { type: 'session', sessionId: session.id, csrfToken: session.csrfToken })
      : undefined;
  if (!session || !principal) throw new ApiError('UNAUTHENTICATED', 'the session has ended; sign in again');
  if (!safeMethods.has(request.method)) {
    // Synchronizer token: a cross-site page can make the browser send the cookie, but cannot read the token.
    const given = request.headers[csrfHeaderName];
    if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) {
      throw new ApiError('CSRF_FAILED', `this request needs the session's ${csrfHeaderName} header`);
    }
  }
  const now = new Date();
  if (now.getTime() - new Date(session.lastSeenAt).getTime() >= sessionPolicy.touchEvery_ms) {
    await sessions.touch(session.id, slidingExpiry(sessionPolicy, session.createdAt, now));
  }
  return principal;
}

/**
 * Authentication and authorisation for everything under /api: a bearer token
 * or a session cookie (with its CSRF token on writes); read-only tokens may
 * only read; each route admits the principal kinds in its `config.principals`
 * (operators and tenants by default). Routes with `config.public` skip it.
 */
export async function installAuthentication(api: FastifyInstance, ctx: AppContext): Promise<void> {
  await api.register(fastifyCookie);
  api.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public) {
      if (config.identify) {
        const principal = await authenticate(ctx, request).catch(() => undefined);
        if (principal) request.principal = principal;
      }
      return;
    }
    const principal = await authenticate(ctx, request);
    request.principal = principal;
    const admitted = config.principals ?? defaultPrincipalKinds;
    if (!admitted.includes(principal.kind)) {
      throw new ApiError('FORBIDDEN', `this is not available to ${principal.kind} accounts or tokens`);
    }
    if (principal.readOnly && !safeMethods.has(request.method)) {
      throw new ApiError('FORBIDDEN', 'this token may only read');
    }
  });
}

/** Only operators pass. */
export function requireOperator(request: FastifyRequest): void {
  if (request.principal?.kind !== 'operator') throw new ApiError('FORBIDDEN', 'this needs an operator');
}

/** The account behind the request; API tokens without one are refused. */
export async function requireAccount(ctx: AppContext, request: FastifyRequest): Promise<Account> {
  const id = request.principal?.accountId;
  const account = id ? await ctx.access.accounts.get(id) : undefined;
  if (!account) throw new ApiError('FORBIDDEN', 'this needs a signed-in account (not an API token)');
  return account;
}
