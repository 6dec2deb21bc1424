import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { CallsPerHourChart } from '../components/calls-chart.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { TenantOptions } from '../components/tenant-select.js';
import { useLoad } from '../components/use-load.js';

type Cdr = Ok<'/api/cdrs', 'get'>[number];
const column = createColumnHelper<Cdr>();
const hour_ms = 3_600_000;
const dispositionChoices: readonly Cdr['disposition'][] = [
  'answered',
  'busy',
  'no-answer',
  'unavailable',
  'declined',
  'not-found',
  'cancelled',
  'rejected',
  'failed',
];

interface Filters {
  tenant: string;
  from: string;
  to: string;
  number: string;
  disposition: '' | Cdr['disposition'];
  direction: '' | Cdr['direction'];
}

/** A datetime-local value (local time) as an ISO instant, or undefined when empty. */
function instant(local: string): string | undefined {
  return local ? new Date(local).toISOString() : undefined;
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function queryOf(f: Filters) {
  const from = instant(f.from);
  const to = instant(f.to);
  return {
    ...(f.tenant ? { tenant: f.tenant } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(f.number ? { number: f.number } : {}),
    ...(f.disposition ? { disposition: f.disposition } : {}),
    ...(f.direction ? { direction: f.direction } : {}),
  };
}

export function CdrsPage() {
  const me = useMe();
  const tenants = useLoad(
    async () => (me.kind === 'operator' ? unwrap(api.GET('/api/tenants')) : []),
    [me.kind],
  );
  const initial: Filters = {
    tenant: '',
    from: localInput(Date.now() - 24 * hour_ms),
    to: '',
    number: '',
    disposition: '',
    direction: '',
  };
  const [filters, setFilters] = useState<Filters>(initial);
  const form = useForm<Filters>({ defaultValues: initial });
  const cdrs = useLoad(
    () => unwrap(api.GET('/api/cdrs', { params: { query: { ...queryOf(filters), limit: 1000 } } })),
    [filters],
  );
  const csv = `/api/cdrs?${new URLSearchParams({ ...queryOf(filters), limit: '10000', format: 'csv' } as Record<string, string>)}`;
  const from_ms = filters.from ? Date.parse(instant(filters.from)!) : Date.now() - 24 * hour_ms;
  const to_ms = filters.to ? Date.parse(instant(filters.to)!) : Date.now();
  const hours = Math.min(24 * 31, Math.max(1, Math.ceil((to_ms - from_ms) / hour_ms) + 1));

  const columns = [
    column.accessor((c) => new Date(c.start).toLocaleString(), { id: 'start', header: 'Started' }),
    ...(me.kind === 'operator' ? [column.accessor('tenantId', { header: 'Tenant' })] : []),
    column.accessor('direction', { header: 'Direction' }),
    column.accessor((c) => (c.callerName ? `${c.callerName} <${c.caller}>` : c.caller), {
      id: 'caller',
      header: 'From',
    }),
    column.accessor('callee', { header: 'To' }),
    column.accessor((c) => c.answeredBy ?? '—', { id: 'answeredBy', header: 'Answered by' }),
    column.accessor('disposition', { header: 'Outcome' }),
    column.accessor('billable_s', { header: 'Talk (s)' }),
  ];

  return (
    <Page
      title="Call records"
      actions={
        <a className="button secondary" href={csv} download="cdrs.csv">
          Export CSV
        </a>
      }
    >
      <form className="filters form-grid" onSubmit={form.handleSubmit((values) => setFilters(values))}>
        {me.kind === 'operator' ? (
          <Field label="Tenant">
            <select {...form.register('tenant')}>
              <TenantOptions tenants={tenants.data} none="All tenants" />
            </select>
          </Field>
        ) : null}
        <Field label="From">
          <input type="datetime-local" {...form.register('from')} />
        </Field>
        <Field label="Until">
          <input type="datetime-local" {...form.register('to')} />
        </Field>
        <Field label="Number" hint="caller or callee">
          <input {...form.register('number')} />
        </Field>
        <Field label="Outcome">
          <select {...form.register('disposition')}>
            <option value="">Any</option>
            {dispositionChoices.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Direction">
          <select {...form.register('direction')}>
            <option value="">Any</option>
            <option value="internal">Internal</option>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit">Show calls</button>
        </div>
      </form>
      <ErrorNotice error={cdrs.error} />
      {cdrs.data ? (
        <>
          <Section title="Calls per hour">
            <CallsPerHourChart cdrs={cdrs.data} from_ms={from_ms} hours={hours} />
          </Section>
          <DataTable caption="Calls" columns={columns as never} data={cdrs.data} empty="No calls match." />
        </>
      ) : (
        <Loading />
      )}
    </Page>
  );
}
