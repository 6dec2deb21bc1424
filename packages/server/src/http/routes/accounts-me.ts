import { type ExtensionConfig, forwardConfigSchema, ringTimeSchema } from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTenant, saveTenant } from '../../accounts/tenant-changes.js';
import type { AppContext } from '../../context.js';
import { ApiError } from '../errors.js';

const myExtensionSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  domain: z.string(),
  number: z.string(),
  name: z.string(),
  /** The SIP password, so the owner can set up a phone. */
  sipPassword: z.string(),
  dnd: z.boolean(),
  forward: forwardConfigSchema,
  ringTime_s: z.number().int(),
  /** Whether the extension has a voicemail box (/api/me/voicemail answers 404 without one). */
  voicemail: z.boolean(),
});

const forwardingSchema = z.strictObject({
  dnd: z.boolean(),
  forward: forwardConfigSchema,
  ringTime_s: ringTimeSchema,
});

/** Self-service for extension owners: their extension, forwarding and do-not-disturb. */
export function accountsMeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function mine(request: FastifyRequest) {
    const principal = request.principal;
    if (principal?.kind !== 'user') throw new ApiError('FORBIDDEN', 'this is for extension owners');
    const tenant = await findTenant(ctx, principal.tenantId);
    const extension = tenant?.extensions.find((e) => e.number === principal.extension);
    if (!tenant || !extension) {
      throw new ApiError('NOT_FOUND', `your extension ${principal.extension} no longer exists`);
    }
    return { tenant, extension };
  }

  function view(tenant: { id: string; name: string; domain: string }, extension: ExtensionConfig) {
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      domain: tenant.domain,
      number: extension.number,
      name: extension.name,
      sipPassword: extension.password,
      dnd: extension.dnd,
      forward: extension.forward ?? {},
      ringTime_s: extension.ringTime_s,
      voicemail: extension.voicemail !== undefined,
    };
  }

  api.get(
    '/api/me/extension',
    {
      config: { principals: ['user'] },
      schema: {
        tags: ['me'],
        summary: 'My extension, with its forwarding and do-not-disturb',
        response: { 200: myExtensionSchema },
      },
    },
    async (request) => {
      const { tenant, extension } = await mine(request);
      return view(tenant, extension);
    },
  );

  api.put(
    '/api/me/forwarding',
    {
      config: { principals: ['user'] },
      schema: {
        tags: ['me'],
        summary: 'Set my forwarding, do-not-disturb and ring time',
        body: forwardingSchema,
        response: { 200: myExtensionSchema },
      },
    },
    async (request) => {
      const { tenant, extension } = await mine(request);
      const { forward, ...rest } = request.body;
      const hasForward = Object.values(forward).some((d) => d !== undefined);
      const { forward: _old, ...base } = extension;
      const changed: ExtensionConfig = { ...base, ...rest, ...(hasForward ? { forward } : {}) };
      const saved = await saveTenant(ctx, {
        ...tenant,
        extensions: tenant.extensions.map((e) => (e.number === extension.number ? changed : e)),
      });
      const stored = saved.extensions.find((e) => e.number === extension.number) ?? changed;
      return view(saved, stored);
    },
  );
}
