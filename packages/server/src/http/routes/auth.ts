import type { Account } from '@telekommune/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountViewSchema, passwordSchema } from '../../accounts/account-schemas.js';
import { accountView } from '../../accounts/account-view.js';
import { checkLogin } from '../../accounts/login.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../accounts/passwords.js';
import { sessionCookieName } from '../../accounts/session-policy.js';
import type { AppContext } from '../../context.js';
import { requireAccount } from '../auth.js';
import { ApiError } from '../errors.js';
import type { Principal, PrincipalKind } from '../principal.js';

const everyone: readonly PrincipalKind[] = ['operator', 'tenant', 'user', 'member'];

const loginBody = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
});

const sessionSchema = z.object({
  account: accountViewSchema,
  /** Send this in the X-CSRF-Token header with every POST, PUT, PATCH and DELETE. */
  csrfToken: z.string(),
  expiresAt: z.string(),
});

const whoAmISchema = z.object({
  kind: z.enum(['operator', 'tenant', 'user', 'member']),
  readOnly: z.boolean(),
  via: z.enum(['session', 'token']),
  tenantId: z.string().nullable(),
  extension: z.string().nullable(),
  personId: z.string().nullable(),
  account: accountViewSchema.nullable(),
  /** For sessions: the token writes must echo in X-CSRF-Token; null for API tokens. */
  csrfToken: z.string().nullable(),
});

function secureRequest(request: FastifyRequest): boolean {
  // A spoofed X-Forwarded-Proto only makes the cookie stricter, so trusting it here is harmless.
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

function clearSessionCookie(reply: FastifyReply, request: FastifyRequest): void {
  reply.clearCookie(sessionCookieName, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: secureRequest(request),
  });
}

/** Sign in and out of the console, see who you are, change your own password. */
export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a user name and password; sets an HTTP-only session cookie',
        description:
          'Failed logins are limited per user name and per source address; past the limit the answer is 429 with Retry-After.',
        security: [],
        body: loginBody,
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const outcome = await checkLogin(ctx.access, request.body.username, request.body.password, request.ip);
      if (!outcome.ok) {
        if (outcome.code === 'RATE_LIMITED') {
          void reply.header('retry-after', String(outcome.retryAfter_s));
          throw new ApiError(
            'RATE_LIMITED',
            `too many failed logins; try again in ${outcome.retryAfter_s} seconds`,
          );
        }
        throw new ApiError('UNAUTHENTICATED', 'wrong user name or password');
      }
      const { sessions, sessionPolicy } = ctx.access;
      const now = Date.now();
      const expiresAt = new Date(now + Math.min(sessionPolicy.idle_ms, sessionPolicy.absolute_ms));
      const { secret, session } = await sessions.create({
        accountId: outcome.account.id,
        expiresAt,
        sourceAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      void reply.setCookie(sessionCookieName, secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureRequest(request),
        maxAge: Math.floor(sessionPolicy.absolute_ms / 1000),
      });
      ctx.logger.info({ account: outcome.account.username, address: request.ip }, 'console login');
      return {
        account: accountView(outcome.account),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
      };
    },
  );

  api.post(
    '/api/auth/logout',
    {
      config: { principals: everyone },
      schema: { tags: ['auth'], summary: 'End this browser session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const principal = request.principal!;
      if (principal.credential.type !== 'session') {
        throw new ApiError(
          'INVALID',
          'only a browser session signs out; revoke a token with DELETE /api/tokens/{id}',
        );
      }
      await ctx.access.sessions.delete(principal.accountId ?? '', principal.credential.sessionId);
      clearSessionCookie(reply, request);
      return reply.code(204).send(null);
    },
  );

  async function whoAmI(principal: Principal) {
    const account: Account | undefined = principal.accountId
      ? await ctx.access.accounts.get(principal.accountId)
      : undefined;
    return {
      kind: principal.kind,
      readOnly: principal.readOnly,
      via: principal.credential.type,
      tenantId: principal.kind === 'tenant' || principal.kind === 'user' ? principal.tenantId : null,
      extension: principal.kind === 'user' ? principal.extension : null,
      personId: principal.kind === 'member' ? principal.personId : null,
      account: account ? accountView(account) : null,
      csrfToken: principal.credential.type === 'session' ? principal.credential.csrfToken : null,
    };
  }

  api.get(
    '/api/auth/me',
    {
      config: { principals: everyone },
      schema: {
        tags: ['auth'],
        summary: 'Who the caller is: kind, tenant, extension, account and (for sessions) the CSRF token',
        response: { 200: whoAmISchema },
      },
    },
    async (request) => whoAmI(request.principal!),
  );

  api.get(
    '/api/auth/session',
    {
      config: { public: true, identify: true },
      schema: {
        tags: ['auth'],
        summary: 'Whether the caller is signed in, and as whom (answers 200 either way)',
        security: [],
        response: { 200: z.object({ signedIn: z.boolean(), me: whoAmISchema.nullable() }) },
      },
    },
    async (request) => {
      const principal = request.principal;
      return principal ? { signedIn: true, me: await whoAmI(principal) } : { signedIn: false, me: null };
    },
  );

  api.post(
    '/api/auth/password',
    {
      config: { principals: everyone },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; ends your other sessions',
        body: z.object({ currentPassword: z.string().max(1024), newPassword: passwordSchema }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const account = await requireAccount(ctx, request);
      const stored = await ctx.access.accounts.passwordHash(account.id);
      if (!stored || !(await verifyPassword(stored, request.body.currentPassword))) {
        throw new ApiError('VALIDATION_FAILED', 'the current password is wrong', [
          { path: 'currentPassword', message: 'wrong password' },
        ]);
      }
      const problem = passwordProblem(request.body.newPassword, account.username);
      if (problem) {
        throw new ApiError('VALIDATION_FAILED', problem, [{ path: 'newPassword', message: problem }]);
      }
      await ctx.access.accounts.setPasswordHash(account.id, await hashPassword(request.body.newPassword));
      const credential = request.principal!.credential;
      await ctx.access.sessions.deleteForAccount(
        account.id,
        credential.type === 'session' ? credential.sessionId : undefined,
      );
      return reply.code(204).send(null);
    },
  );
}
