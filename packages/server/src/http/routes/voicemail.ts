import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { greetingKinds, type VoicemailMessage, voicemailFolders } from '@telekommune/pbx';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { ApiError } from '../errors.js';
import { canAccessTenant } from '../principal.js';

export const voicemailMessageSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  box: z.string(),
  folder: z.enum(voicemailFolders),
  caller: z.string().nullable(),
  callerName: z.string().nullable(),
  receivedAt: z.string().describe('ISO-8601 UTC'),
  duration_ms: z.number().int(),
  heardAt: z.string().nullable().describe('ISO-8601 UTC; null while unheard'),
});

const boxSchema = z.object({
  tenantId: z.string(),
  box: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  email: z.string().nullable(),
  /** Unheard new messages (the lamp) and the rest. */
  counts: z.object({ new: z.number().int(), old: z.number().int() }),
  greetings: z.object({ unavailable: z.boolean(), busy: z.boolean(), name: z.boolean() }),
});

const listQuery = z.object({
  box: z
    .string()
    .regex(/^[0-9]{2,6}$/)
    .optional(),
  folder: z.enum(voicemailFolders).optional(),
});
const tenantParams = z.object({ tenantId: z.string().max(64) });
const messageParams = z.object({ tenantId: z.string().max(64), id: z.string().uuid() });
const myMessageParams = z.object({ id: z.string().uuid() });
const boxParams = z.object({ tenantId: z.string().max(64), box: z.string().regex(/^[0-9]{2,6}$/) });
const moveBody = z.strictObject({ folder: z.enum(voicemailFolders) });

function view(message: VoicemailMessage) {
  return {
    id: message.id,
    tenantId: message.tenantId,
    box: message.box,
    folder: message.folder,
    caller: message.caller ?? null,
    callerName: message.callerName ?? null,
    receivedAt: message.receivedAt,
    duration_ms: message.duration_ms,
    heardAt: message.heardAt ?? null,
  };
}

/**
 * Voicemail over the API (docs/voicemail.md): a tenant's admins (and
 * operators) see every box of the tenant; an extension's owner sees only
 * their own box, under /api/me/voicemail. List, download (audio/wav),
 * mark heard, move between folders, delete; every change updates the lamp.
 */
export function voicemailRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = () => ctx.voice.voicemail;

  function tenantOf(request: FastifyRequest, tenantId: string): string {
    if (!canAccessTenant(request.principal, tenantId) || !ctx.directory().tenant(tenantId)) {
      throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    }
    return tenantId;
  }

  function mine(request: FastifyRequest): { tenantId: string; box: string } {
    const principal = request.principal;
    if (principal?.kind !== 'user') throw new ApiError('FORBIDDEN', 'this is for extension owners');
    return { tenantId: principal.tenantId, box: principal.extension };
  }

  /** The message, if it exists in this tenant (and this box, for users). */
  async function message(tenantId: string, id: string, box?: string): Promise<VoicemailMessage> {
    const found = await service().repository.getMessage(tenantId, id);
    if (!found || (box !== undefined && found.box !== box))
      throw new ApiError('NOT_FOUND', `no message ${id}`);
    return found;
  }

  async function sendAudio(reply: FastifyReply, found: VoicemailMessage) {
    const path = service().messagePath(found);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new ApiError('NOT_FOUND', `the audio of message ${found.id} is missing`);
    }
    return reply
      .header('content-type', 'audio/wav')
      .header('content-length', String(size))
      .header('content-disposition', `attachment; filename="voicemail-${found.id}.wav"`)
      .send(createReadStream(path));
  }

  const audioResponse = {
    200: z.any().describe('The message as an 8 kHz 16-bit mono WAV (audio/wav)'),
  };

  // ---- tenant admins and operators ------------------------------------------

  api.get(
    '/api/tenants/:tenantId/voicemail/messages',
    {
      schema: {
        tags: ['voicemail'],
        summary: "A tenant's voicemail messages (of one box and folder when given), oldest first",
        params: tenantParams,
        querystring: listQuery,
        response: { 200: z.array(voicemailMessageSchema) },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      const list = await service().repository.listMessages(tenantId, request.query.box, request.query.folder);
      return list.map(view);
    },
  );

  api.get(
    '/api/tenants/:tenantId/voicemail/boxes/:box',
    {
      schema: {
        tags: ['voicemail'],
        summary: 'A voicemail box: its counts and which greetings are recorded',
        params: boxParams,
        response: { 200: boxSchema },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      return boxView(tenantId, request.params.box);
    },
  );

  async function boxView(tenantId: string, box: string) {
    const extension = ctx.directory().extension(tenantId, box);
    if (!extension?.voicemail) throw new ApiError('NOT_FOUND', `extension ${box} has no voicemail box`);
    const greetings = { unavailable: false, busy: false, name: false };
    for (const kind of greetingKinds)
      greetings[kind] = (await service().greeting(tenantId, box, kind)) !== undefined;
    return {
      tenantId,
      box,
      name: extension.name,
      enabled: extension.voicemail.enabled,
      email: extension.voicemail.email ?? null,
      counts: await service().counts(tenantId, box),
      greetings,
    };
  }

  api.get(
    '/api/tenants/:tenantId/voicemail/messages/:id',
    {
      schema: {
        tags: ['voicemail'],
        summary: 'One message',
        params: messageParams,
        response: { 200: voicemailMessageSchema },
      },
    },
    async (request) => view(await message(tenantOf(request, request.params.tenantId), request.params.id)),
  );

  api.get(
    '/api/tenants/:tenantId/voicemail/messages/:id/audio',
    {
      schema: {
        tags: ['voicemail'],
        summary: 'Download a message (audio/wav)',
        params: messageParams,
        response: audioResponse,
      },
    },
    async (request, reply) =>
      sendAudio(reply, await message(tenantOf(request, request.params.tenantId), request.params.id)),
  );

  api.post(
    '/api/tenants/:tenantId/voicemail/messages/:id/heard',
    {
      schema: {
        tags: ['voicemail'],
        summary: 'Mark a message heard (the lamp goes off when none is left)',
        params: messageParams,
        response: { 200: voicemailMessageSchema },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      await message(tenantId, request.params.id);
      const updated = await service().markHeard(tenantId, request.params.id);
      if (!updated) throw new ApiError('NOT_FOUND', `no message ${request.params.id}`);
      return view(updated);
    },
  );

  api.post(
    '/api/tenants/:tenantId/voicemail/messages/:id/move',
    {
      schema: {
        tags: ['voicemail'],
        summary: 'Move a message to the new or saved folder',
        params: messageParams,
        body: moveBody,
        response: { 200: voicemailMessageSchema },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      await message(tenantId, request.params.id);
      const updated = await service().move(tenantId, request.params.id, request.body.folder);
      if (!updated) throw new ApiError('NOT_FOUND', `no message ${request.params.id}`);
      return view(updated);
    },
  );

  api.delete(
    '/api/tenants/:tenantId/voicemail/messages/:id',
    {
      schema: {
        tags: ['voicemail'],
        summary: 'Delete a message and its audio',
        params: messageParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request, request.params.tenantId);
      await message(tenantId, request.params.id);
      await service().delete(tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- an extension's owner: their own box only -----------------------------

  const user = { principals: ['user'] as const };

  api.get(
    '/api/me/voicemail',
    { config: user, schema: { tags: ['me'], summary: 'My voicemail box', response: { 200: boxSchema } } },
    async (request) => {
      const { tenantId, box } = mine(request);
      return boxView(tenantId, box);
    },
  );

  api.get(
    '/api/me/voicemail/messages',
    {
      config: user,
      schema: {
        tags: ['me'],
        summary: 'My voicemail messages',
        querystring: z.object({ folder: z.enum(voicemailFolders).optional() }),
        response: { 200: z.array(voicemailMessageSchema) },
      },
    },
    async (request) => {
      const { tenantId, box } = mine(request);
      return (await service().repository.listMessages(tenantId, box, request.query.folder)).map(view);
    },
  );

  api.get(
    '/api/me/voicemail/messages/:id/audio',
    {
      config: user,
      schema: {
        tags: ['me'],
        summary: 'Download one of my messages (audio/wav)',
        params: myMessageParams,
        response: audioResponse,
      },
    },
    async (request, reply) => {
      const { tenantId, box } = mine(request);
      return sendAudio(reply, await message(tenantId, request.params.id, box));
    },
  );

  api.post(
    '/api/me/voicemail/messages/:id/heard',
    {
      config: user,
      schema: {
        tags: ['me'],
        summary: 'Mark one of my messages heard',
        params: myMessageParams,
        response: { 200: voicemailMessageSchema },
      },
    },
    async (request) => {
      const { tenantId, box } = mine(request);
      await message(tenantId, request.params.id, box);
      const updated = await service().markHeard(tenantId, request.params.id);
      if (!updated) throw new ApiError('NOT_FOUND', `no message ${request.params.id}`);
      return view(updated);
    },
  );

  api.post(
    '/api/me/voicemail/messages/:id/move',
    {
      config: user,
      schema: {
        tags: ['me'],
        summary: 'Move one of my messages',
        params: myMessageParams,
        body: moveBody,
        response: { 200: voicemailMessageSchema },
      },
    },
    async (request) => {
      const { tenantId, box } = mine(request);
      await message(tenantId, request.params.id, box);
      const updated = await service().move(tenantId, request.params.id, request.body.folder);
      if (!updated) throw new ApiError('NOT_FOUND', `no message ${request.params.id}`);
      return view(updated);
    },
  );

  api.delete(
    '/api/me/voicemail/messages/:id',
    {
      config: user,
      schema: {
        tags: ['me'],
        summary: 'Delete one of my messages',
        params: myMessageParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { tenantId, box } = mine(request);
      await message(tenantId, request.params.id, box);
      await service().delete(tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
