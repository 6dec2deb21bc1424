import { createHash } from 'node:crypto';
import { parseWav, serializeWav, toTelephonyPcm } from '@telekommune/media';
import { tenantPromptNameSchema } from '@telekommune/pbx';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

/** Largest WAV accepted for upload, and the longest prompt kept. */
const MAX_UPLOAD_OCTETS = 20 * 1024 * 1024;
const MAX_PROMPT_MS = 5 * 60_000;

const promptSchema = z.object({
  name: z.string(),
  source: z.enum(['upload', 'speech']),
  text: z.string().nullable(),
  duration_ms: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
const tenantParams = z.object({ tenantId: z.string().max(64) });
const promptParams = z.object({ tenantId: z.string().max(64), name: z.string().max(64) });

/**
 * A tenant's own prompts for menu greetings (docs/ivr.md): upload a WAV
 * (any rate and channels; kept as 8 kHz mono), list, download, delete.
 * Menus name them with `greeting: { prompt: NAME }`.
 */
export function promptRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  for (const type of ['audio/wav', 'audio/x-wav', 'audio/wave']) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_OCTETS },
      (_request, body, done) => done(null, body),
    );
  }

  function tenantOf(request: FastifyRequest, tenantId: string): string {
    if (!canAccessTenant(request.principal, tenantId) || !ctx.directory().tenant(tenantId)) {
      throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    }
    return tenantId;
  }

  api.get(
    '/api/tenants/:tenantId/prompts',
    {
      schema: {
        tags: ['ivr'],
        summary: "A tenant's prompts (uploads and rendered text greetings)",
        params: tenantParams,
        response: { 200: z.array(promptSchema) },
      },
    },
    async (request) => {
      const list = await ctx.voice.repository.listPrompts(tenantOf(request, request.params.tenantId));
      return list.map((p) => ({ ...p, text: p.text ?? null }));
    },
  );

  api.put(
    '/api/tenants/:tenantId/prompts/:name',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Upload a prompt (the body is a WAV file, Content-Type audio/wav)',
        params: promptParams,
        body: z.any().describe('WAV file: PCM, µ-law or A-law, any rate, mono or stereo'),
        response: { 200: promptSchema },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      const name = tenantPromptNameSchema.safeParse(request.params.name);
      if (!name.success || name.data.startsWith('speech-')) {
        throw new ApiError(
          'VALIDATION_FAILED',
          'expected a prompt name of lowercase letters, digits and inner hyphens (not speech-...)',
        );
      }
      if (!Buffer.isBuffer(request.body))
        throw new ApiError('VALIDATION_FAILED', 'expected a WAV body with Content-Type audio/wav');
      const wav = parseWav(request.body, MAX_UPLOAD_OCTETS);
      if (!wav.ok) throw new ApiError('VALIDATION_FAILED', `not a usable WAV file (${wav.reason})`);
      const samples = toTelephonyPcm(wav.audio);
      const duration_ms = Math.round(samples.length / 8);
      if (duration_ms === 0 || duration_ms > MAX_PROMPT_MS) {
        throw new ApiError(
          'VALIDATION_FAILED',
          `a prompt must be between a moment and ${MAX_PROMPT_MS / 60_000} minutes long`,
        );
      }
      const stored = serializeWav(samples);
      const prompt = {
        tenantId,
        name: name.data,
        source: 'upload' as const,
        text: undefined,
        duration_ms,
        sha256: createHash('sha256').update(stored).digest('hex'),
        createdAt: new Date().toISOString(),
      };
      await ctx.voice.repository.putPrompt(prompt, stored);
      ctx.voice.prompts.forget(tenantId, name.data);
      return { ...prompt, text: null };
    },
  );

  api.get(
    '/api/tenants/:tenantId/prompts/:name/audio',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Download a prompt (audio/wav)',
        params: promptParams,
        response: { 200: z.any() },
      },
    },
    async (request, reply) => {
      const audio = await ctx.voice.repository.getPromptAudio(
        tenantOf(request, request.params.tenantId),
        request.params.name,
      );
      if (!audio) throw new ApiError('NOT_FOUND', `no prompt ${request.params.name}`);
      return reply.header('content-type', 'audio/wav').send(Buffer.from(audio));
    },
  );

  api.delete(
    '/api/tenants/:tenantId/prompts/:name',
    {
      schema: {
        tags: ['ivr'],
        summary: 'Delete a prompt (menus naming it fall back to the default greeting)',
        params: promptParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      if (!(await ctx.voice.repository.deletePrompt(tenantId, request.params.name))) {
        throw new ApiError('NOT_FOUND', `no prompt ${request.params.name}`);
      }
      ctx.voice.prompts.forget(tenantId, request.params.name);
      return reply.code(204).send(null);
    },
  );
}
