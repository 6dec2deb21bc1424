import { type TappedMessage, type TraceInfo, TraceLimitError, tracePcap } from '@telekommune/sip';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireOperator } from '../auth.js';
import { ApiError } from '../errors.js';

const traceSchema = z.object({
  id: z.string(),
  match: z.string().optional(),
  address: z.string().optional(),
  startedAt: z.string(),
  until: z.string(),
  state: z.enum(['recording', 'full', 'finished']).describe('full: it stopped at its message or byte bound'),
  messages: z.number().int(),
  bytes: z.number().int(),
});

const messageSchema = z.object({
  n: z.number().int().describe("the message's place in the trace, from 1"),
  at: z.string(),
  direction: z.enum(['in', 'out']),
  transport: z.string(),
  local: z.string(),
  remote: z.string(),
  text: z.string(),
});

const traceParams = z.object({ traceId: z.string().min(1).max(40) });

const hostPort = (address: string, port: number) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

function view(trace: TraceInfo): z.infer<typeof traceSchema> {
  return {
    id: trace.id,
    ...(trace.filter.match !== undefined ? { match: trace.filter.match } : {}),
    ...(trace.filter.address !== undefined ? { address: trace.filter.address } : {}),
    startedAt: new Date(trace.startedAt_ms).toISOString(),
    until: new Date(trace.until_ms).toISOString(),
    state: trace.state,
    messages: trace.messages,
    bytes: trace.bytes,
  };
}

function messageView(message: TappedMessage, index: number): z.infer<typeof messageSchema> {
  return {
    n: index + 1,
    at: new Date(message.at_ms).toISOString(),
    direction: message.direction,
    transport: message.protocol,
    local: hostPort(message.localAddress, message.localPort),
    remote: hostPort(message.remoteAddress, message.remotePort),
    text: message.bytes.toString('utf8'),
  };
}

/** SIP traces on demand (operators): start one with a filter, watch it fill, download it as JSON or pcap. */
export function traceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const traces = ctx.pbx.traces;
  const find = (id: string) => {
    const trace = traces.get(id);
    if (!trace) throw new ApiError('NOT_FOUND', `no trace ${id}`);
    return trace;
  };

  api.post(
    '/api/traces',
    {
      schema: {
        tags: ['calls'],
        summary:
          'Start a SIP trace (operator): messages in and out that contain `match` and/or come from or go to `address`',
        body: z.strictObject({
          match: z
            .string()
            .min(3)
            .max(200)
            .optional()
            .describe('text the message must contain: a domain, an extension, a number, a Call-ID'),
          address: z.union([z.ipv4(), z.ipv6()]).optional().describe("the far end's IP address"),
          duration_s: z.number().int().min(1).max(3600).default(300),
        }),
        response: { 201: traceSchema },
      },
    },
    async (request, reply) => {
      requireOperator(request);
      const { match, address, duration_s } = request.body;
      try {
        const trace = traces.start({ match, address }, duration_s * 1000);
        ctx.logger.info({ trace: trace.id, match, address, duration_s }, 'SIP trace started');
        return reply.code(201).send(view(trace));
      } catch (error) {
        if (error instanceof TraceLimitError) throw new ApiError('CONFLICT', error.message);
        throw error;
      }
    },
  );

  api.get(
    '/api/traces',
    {
      schema: {
        tags: ['calls'],
        summary: 'SIP traces, recording and finished (operator)',
        response: { 200: z.array(traceSchema) },
      },
    },
    async (request) => {
      requireOperator(request);
      return traces.list().map(view);
    },
  );

  api.get(
    '/api/traces/:traceId',
    {
      schema: {
        tags: ['calls'],
        summary: 'One SIP trace with its messages as text (operator)',
        params: traceParams,
        response: { 200: traceSchema.extend({ records: z.array(messageSchema) }) },
      },
    },
    async (request) => {
      requireOperator(request);
      const trace = find(request.params.traceId);
      return { ...view(trace.info), records: trace.messages.map(messageView) };
    },
  );

  api.get(
    '/api/traces/:traceId/pcap',
    {
      schema: {
        tags: ['calls'],
        summary: 'One SIP trace as a pcap file for Wireshark (operator); every message as a UDP datagram',
        params: traceParams,
      },
    },
    async (request, reply) => {
      requireOperator(request);
      const trace = find(request.params.traceId);
      return reply
        .header('content-type', 'application/vnd.tcpdump.pcap')
        .header('content-disposition', `attachment; filename="sip-trace-${trace.info.id}.pcap"`)
        .send(tracePcap(trace.messages));
    },
  );

  api.post(
    '/api/traces/:traceId/stop',
    {
      schema: {
        tags: ['calls'],
        summary: 'Stop a SIP trace now; its messages stay for download (operator)',
        params: traceParams,
        response: { 200: traceSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const trace = traces.stop(request.params.traceId);
      if (!trace) throw new ApiError('NOT_FOUND', `no trace ${request.params.traceId}`);
      return view(trace);
    },
  );

  api.delete(
    '/api/traces/:traceId',
    {
      schema: {
        tags: ['calls'],
        summary: 'Delete a SIP trace (operator)',
        params: traceParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      requireOperator(request);
      if (!traces.delete(request.params.traceId))
        throw new ApiError('NOT_FOUND', `no trace ${request.params.traceId}`);
      return reply.code(204).send(null);
    },
  );
}
