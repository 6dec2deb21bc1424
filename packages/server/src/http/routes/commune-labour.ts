/**
 * Labour records (venture-commune.md §3.1, §3.4) as the console shows them:
 * every registered person with their recorded hours, membership and
 * employers, and the latest `record-labour` commands from the log. The
 * commune keeps only totals in its state; the individual records are the
 * accepted commands themselves, read back from the log newest first.
 */
import type { CommandOf, CommuneState, LogEntry } from '@telekommune/commune';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommuneRuntime } from '../../commune-runtime.js';
import type { AppContext } from '../../context.js';
import type { PrincipalKind } from '../principal.js';

const readers: readonly PrincipalKind[] = ['operator', 'member'];

export const labourReportSchema = z.object({
  as_of: z.string().nullable().describe('YYYY-MM-DD of the latest command'),
  threshold_hours: z.number(),
  people: z.array(
    z.object({
      person: z.string(),
      name: z.string(),
      member: z.boolean(),
      employers: z.array(z.string()).describe('enterprises the person works for now'),
      labour_hours: z.number(),
      commune_hours: z.number().describe('hours worked for the commune directly'),
      records: z.number().int(),
      last_on: z.string().nullable(),
    }),
  ),
  records: z.array(
    z.object({
      seq: z.number().int(),
      date: z.string(),
      person: z.string(),
      enterprise: z.string().nullable().describe('null: labour for the commune directly'),
      hours: z.number(),
      note: z.string().nullable(),
    }),
  ),
  /** Records of the log not listed because of `limit`. */
  more: z.number().int(),
});

export type LabourReport = z.output<typeof labourReportSchema>;

function currentEmployers(state: CommuneState, person: string): string[] {
  const employers: string[] = [];
  for (const id of state.employmentsByPerson.get(person) ?? []) {
    const employment = state.employments.get(id);
    if (employment && employment.to === null) employers.push(employment.enterprise);
  }
  return employers;
}

/** People with their labour, and the latest `limit` labour records of `entries` (of one person when given). */
export function labourReport(
  state: CommuneState,
  entries: Iterable<LogEntry>,
  options: { readonly person?: string | undefined; readonly limit: number },
): LabourReport {
  const people = [...state.persons.values()]
    .filter((p) => options.person === undefined || p.id === options.person)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((p) => {
      const labour = state.labour.get(p.id);
      return {
        person: p.id,
        name: p.name,
        member: state.members.has(p.id),
        employers: currentEmployers(state, p.id),
        labour_hours: (labour?.centihours ?? 0) / 100,
        commune_hours: (labour?.commune_centihours ?? 0) / 100,
        records: labour?.records ?? 0,
        last_on: labour?.last_on ?? null,
      };
    });
  const records: LabourReport['records'][number][] = [];
  for (const entry of entries) {
    if (entry.command.type !== 'record-labour') continue;
    const command = entry.command as CommandOf<'record-labour'>;
    if (options.person !== undefined && command.person !== options.person) continue;
    records.push({
      seq: entry.seq,
      date: command.effective_date,
      person: command.person,
      enterprise: command.enterprise ?? null,
      hours: command.hours,
      note: command.note ?? null,
    });
  }
  records.reverse();
  return {
    as_of: state.meta.value.last_date,
    threshold_hours: state.bylaws.labour_threshold_hours,
    people,
    records: records.slice(0, options.limit),
    more: Math.max(0, records.length - options.limit),
  };
}

export function communeLabourRoutes(app: FastifyInstance, _ctx: AppContext, commune: CommuneRuntime): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = commune.service;

  api.get(
    '/api/commune/labour',
    {
      config: { principals: readers },
      schema: {
        tags: ['commune reports'],
        summary: 'People with their recorded labour, and the latest labour records (newest first)',
        querystring: z.object({
          person: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(1_000).default(100),
        }),
        response: { 200: labourReportSchema },
      },
    },
    async (request) => {
      const engine = await service.sync();
      const entries: LogEntry[] = [];
      for await (const entry of service.entries()) {
        if (entry.command.type === 'record-labour') entries.push(entry);
      }
      return labourReport(engine.state, entries, {
        person: request.query.person,
        limit: request.query.limit,
      });
    },
  );
}
