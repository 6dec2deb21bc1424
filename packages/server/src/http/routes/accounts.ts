import type { Account } from '@telekommune/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { administers, checkAccountLinks, grantableRoles } from '../../accounts/account-rules.js';
import { accountPatchSchema, accountViewSchema, newAccountSchema } from '../../accounts/account-schemas.js';
import { accountView } from '../../accounts/account-view.js';
import { hashPassword, passwordProblem } from '../../accounts/passwords.js';
import type { AppContext } from '../../context.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

const accountParams = z.object({ accountId: z.string().max(64) });

/**
 * Console accounts: operators manage every account; a tenant's admins manage
 * their own tenant's admins and users. Another tenant's accounts answer 404.
 */
export function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, sessions } = ctx.access;

  async function visibleAccount(request: FastifyRequest, id: string): Promise<Account> {
    const account = await accounts.get(id);
    if (!account || !administers(request.principal, account))
      throw new ApiError('NOT_FOUND', `no account ${id}`);
    return account;
  }

  api.get(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Accounts the caller administers',
        querystring: z.object({ tenant: z.string().max(64).optional() }),
        response: { 200: z.array(accountViewSchema) },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const tenant = principal.kind === 'tenant' ? principal.tenantId : request.query.tenant;
      if (request.query.tenant !== undefined && !canAccessTenant(principal, request.query.tenant)) {
        throw new ApiError('NOT_FOUND', `no tenant ${request.query.tenant}`);
      }
      const list = await accounts.list(tenant === undefined ? {} : { tenantId: tenant });
      return list.map(accountView);
    },
  );

  api.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        description:
          'Roles: operator (no links), tenant_admin (tenantId), user (tenantId and extension), member (personId). Tenant admins create tenant_admin and user accounts in their own tenant.',
        body: newAccountSchema,
        response: { 201: accountViewSchema },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const input = request.body;
      if (!grantableRoles(principal).includes(input.role)) {
        throw new ApiError('FORBIDDEN', `you may not create ${input.role} accounts`);
      }
      const tenantId = input.tenantId ?? (principal.kind === 'tenant' ? principal.tenantId : null);
      if (tenantId !== null && !canAccessTenant(principal, tenantId)) {
        throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
      }
      const links = {
        role: input.role,
        tenantId: input.role === 'operator' || input.role === 'member' ? (input.tenantId ?? null) : tenantId,
        extension: input.extension ?? null,
        personId: input.personId ?? null,
      };
      const issues = checkAccountLinks(links, await ctx.provisioning.listTenants());
      const problem = passwordProblem(input.password, input.username);
      if (problem) issues.push({ path: 'password', message: problem });
      if (issues.length > 0) throw new ApiError('VALIDATION_FAILED', 'the account is invalid', issues);
      const created = await accounts.create({
        ...links,
        username: input.username,
        displayName: input.displayName,
        passwordHash: await hashPassword(input.password),
      });
      if (!created.ok) {
        throw new ApiError('DUPLICATE', `the user name ${input.username} is taken`, [
          { path: 'username', message: 'taken' },
        ]);
      }
      return reply.code(201).send(accountView(created.account));
    },
  );

  api.get(
    '/api/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'One account',
        params: accountParams,
        response: { 200: accountViewSchema },
      },
    },
    async (request) => accountView(await visibleAccount(request, request.params.accountId)),
  );

  api.patch(
    '/api/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change an account’s name or links, or set a new password (ends its sessions)',
        params: accountParams,
        body: accountPatchSchema,
        response: { 200: accountViewSchema },
      },
    },
    async (request) => {
      const account = await visibleAccount(request, request.params.accountId);
      const patch = request.body;
      const links = {
        role: account.role,
        tenantId: account.tenantId,
        extension: patch.extension === undefined ? account.extension : patch.extension,
        personId: patch.personId === undefined ? account.personId : patch.personId,
      };
      const issues = checkAccountLinks(links, await ctx.provisioning.listTenants());
      if (patch.password !== undefined) {
        const problem = passwordProblem(patch.password, account.username);
        if (problem) issues.push({ path: 'password', message: problem });
      }
      if (issues.length > 0) throw new ApiError('VALIDATION_FAILED', 'the change is invalid', issues);
      if (patch.password !== undefined) {
        await accounts.setPasswordHash(account.id, await hashPassword(patch.password));
        await sessions.deleteForAccount(account.id);
      }
      const updated = await accounts.update(account.id, {
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        extension: links.extension,
        personId: links.personId,
      });
      if (!updated) throw new ApiError('NOT_FOUND', `no account ${account.id}`);
      return accountView(updated);
    },
  );

  api.delete(
    '/api/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Delete an account with its sessions and tokens',
        params: accountParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const account = await visibleAccount(request, request.params.accountId);
      if (account.id === request.principal?.accountId) {
        throw new ApiError('CONFLICT', 'you cannot delete your own account while signed in with it');
      }
      if (account.role === 'operator') {
        const operators = (await accounts.list()).filter((a) => a.role === 'operator');
        if (operators.length <= 1)
          throw new ApiError('CONFLICT', 'the last operator account cannot be deleted');
      }
      await accounts.delete(account.id);
      return reply.code(204).send(null);
    },
  );
}
