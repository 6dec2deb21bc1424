import {
  applyProvisioning,
  exportProvisioning,
  provisioningDocumentSchema,
  validateProvisioningDocument,
} from '@telekommune/pbx';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { documentedBody } from '../documented-body.js';
import { ApiError } from '../errors.js';

const planSchema = z.object({
  dryRun: z.boolean(),
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      action: z.enum(['create', 'update', 'unchanged']),
      changes: z.array(z.string()),
    }),
  ),
  carriers: z
    .array(z.object({ carrierId: z.string(), action: z.enum(['create', 'update', 'unchanged']) }))
    .optional(),
});

/**
 * The provisioning document over HTTP: what `telekommune apply -f` and
 * `export` do, for operators' automation.
 */
export function provisioningRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/provisioning/apply',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Create or update tenants from a provisioning document (idempotent)',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
        // Validated by the provisioning schema itself so errors carry document paths.
        body: documentedBody(provisioningDocumentSchema),
        response: { 200: planSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const checked = validateProvisioningDocument(request.body);
      if (!checked.ok)
        throw new ApiError('VALIDATION_FAILED', 'the provisioning document is invalid', checked.issues);
      const outcome = await applyProvisioning(checked.value, ctx.provisioning, {
        dryRun: request.query.dryRun === 'true',
      });
      if (!outcome.ok)
        throw new ApiError(
          'CONFLICT',
          'the provisioning document conflicts with stored tenants',
          outcome.issues,
        );
      return {
        dryRun: outcome.dryRun,
        tenants: outcome.plan.map((p) => ({ ...p, changes: [...p.changes] })),
        ...(outcome.carriers.length > 0 ? { carriers: [...outcome.carriers] } : {}),
      };
    },
  );
  api.get(
    '/api/provisioning/export',
    {
      schema: {
        tags: ['provisioning'],
        summary: 'Export tenants in the provisioning format',
        querystring: z.object({ tenant: z.string().optional() }),
        response: { 200: provisioningDocumentSchema },
      },
    },
    async (request) => {
      const tenant = request.query.tenant;
      if (request.principal?.kind === 'tenant') {
        if (tenant !== undefined && tenant !== request.principal.tenantId) {
          throw new ApiError('NOT_FOUND', `no tenant ${tenant}`);
        }
        const own = await exportProvisioning(ctx.provisioning, request.principal.tenantId);
        if (!own) throw new ApiError('NOT_FOUND', `no tenant ${request.principal.tenantId}`);
        return own;
      }
      const document = await exportProvisioning(ctx.provisioning, tenant);
      if (!document) throw new ApiError('NOT_FOUND', `no tenant ${tenant}`);
      return document;
    },
  );
}
