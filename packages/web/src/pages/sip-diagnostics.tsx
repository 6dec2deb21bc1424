import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Trace = Ok<'/api/traces', 'get'>[number];
type TraceDetail = Ok<'/api/traces/{traceId}', 'get'>;
type Ban = Ok<'/api/security/bans', 'get'>[number];
const traceColumn = createColumnHelper<Trace>();
const banColumn = createColumnHelper<Ban>();

interface NewTrace {
  match: string;
  address: string;
  duration_s: string;
}

const time = (iso: string) => new Date(iso).toLocaleString();

/** Operators: SIP traces on demand (start, read, download as pcap) and banned sources (lift a ban). */
export function SipDiagnosticsPage() {
  const traces = useLoad(() => unwrap(api.GET('/api/traces')), []);
  const bans = useLoad(() => unwrap(api.GET('/api/security/bans')), []);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [started, setStarted] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<TraceDetail | undefined>(undefined);
  const form = useForm<NewTrace>({ defaultValues: { match: '', address: '', duration_s: '300' } });
  const { errors, isSubmitting } = form.formState;

  const start = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setStarted(undefined);
    try {
      const trace = await unwrap(
        api.POST('/api/traces', {
          body: {
            ...(values.match ? { match: values.match } : {}),
            ...(values.address ? { address: values.address } : {}),
            duration_s: Number(values.duration_s),
          },
        }),
      );
      setStarted(trace.id);
      traces.reload();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          (['match', 'address', 'duration_s'] as const).find((k) => k === path),
        ),
      );
    }
  });

  const show = async (trace: Trace) => {
    setFailure(undefined);
    try {
      setOpen(await unwrap(api.GET('/api/traces/{traceId}', { params: { path: { traceId: trace.id } } })));
      traces.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  const stop = async (trace: Trace) => {
    setFailure(undefined);
    try {
      await unwrap(api.POST('/api/traces/{traceId}/stop', { params: { path: { traceId: trace.id } } }));
      traces.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  const remove = (trace: Trace) =>
    confirmedRequest(
      `Delete the trace ${trace.id} and its ${trace.messages} messages?`,
      () => unwrap(api.DELETE('/api/traces/{traceId}', { params: { path: { traceId: trace.id } } })),
      () => {
        if (open?.id === trace.id) setOpen(undefined);
        traces.reload();
      },
      setFailure,
    );

  const lift = (ban: Ban) =>
    confirmedRequest(
      `Lift the ban on ${ban.address}? Its requests are answered again at once.`,
      () =>
        unwrap(api.DELETE('/api/security/bans/{address}', { params: { path: { address: ban.address } } })),
      () => bans.reload(),
      setFailure,
    );

  const traceColumns = [
    traceColumn.accessor('id', { header: 'Trace' }),
    traceColumn.accessor((t) => [t.match, t.address].filter(Boolean).join(' · ') || 'everything', {
      id: 'filter',
      header: 'Filter',
    }),
    traceColumn.accessor('state', { header: 'State' }),
    traceColumn.accessor('messages', { header: 'Messages' }),
    traceColumn.accessor((t) => time(t.until), { id: 'until', header: 'Until' }),
    traceColumn.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => {
        const trace = c.row.original;
        return (
          <span className="row-actions">
            <button type="button" className="small" onClick={() => void show(trace)}>
              Show <span className="visually-hidden">{trace.id}</span>
            </button>
            <a className="button small" href={`/api/traces/${trace.id}/pcap`} download>
              pcap <span className="visually-hidden">of {trace.id}</span>
            </a>
            {trace.state === 'recording' ? (
              <button type="button" className="small" onClick={() => void stop(trace)}>
                Stop <span className="visually-hidden">{trace.id}</span>
              </button>
            ) : null}
            <button type="button" className="danger small" onClick={() => void remove(trace)}>
              Delete <span className="visually-hidden">{trace.id}</span>
            </button>
          </span>
        );
      },
    }),
  ];
  const banColumns = [
    banColumn.accessor('address', { header: 'Address' }),
    banColumn.accessor((b) => time(b.until), { id: 'until', header: 'Banned until' }),
    banColumn.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => (
        <button type="button" className="small" onClick={() => void lift(c.row.original)}>
          Lift ban <span className="visually-hidden">on {c.row.original.address}</span>
        </button>
      ),
    }),
  ];

  return (
    <Page title="SIP diagnostics">
      <ErrorNotice error={failure ?? traces.error ?? bans.error} />
      {started ? <StatusNotice>Trace {started} is recording.</StatusNotice> : null}
      <Section title="SIP traces">
        <p className="muted">
          Record the signalling that contains some text (a tenant's domain, an extension, a number, a Call-ID)
          or comes from one address, then read it here or open the pcap in Wireshark.
        </p>
        {traces.data ? (
          <DataTable
            caption="SIP traces"
            columns={traceColumns as never}
            data={traces.data}
            empty="No traces."
          />
        ) : (
          <Loading />
        )}
        <form onSubmit={start} className="form-grid" noValidate>
          <Field
            label="Containing"
            hint="e.g. acme.example or 1001@; empty: any"
            error={errors.match?.message}
          >
            <input {...form.register('match')} />
          </Field>
          <Field label="Far-end address" hint="an IP address; empty: any" error={errors.address?.message}>
            <input {...form.register('address')} />
          </Field>
          <Field label="For (seconds)" hint="1 to 3600" error={errors.duration_s?.message}>
            <input
              type="number"
              min={1}
              max={3600}
              {...form.register('duration_s', { required: 'Enter a duration' })}
            />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={isSubmitting}>
              Start trace
            </button>
          </div>
        </form>
        {open ? (
          <section aria-label={`Trace ${open.id}`} className="trace">
            <h3>
              Trace {open.id}: {open.records.length} messages
            </h3>
            {open.records.map((r) => (
              <details key={r.n}>
                <summary>
                  {time(r.at)} {r.direction === 'in' ? '←' : '→'} {r.remote} ({r.transport}):{' '}
                  {r.text.split('\r\n')[0]}
                </summary>
                <pre>{r.text}</pre>
              </details>
            ))}
          </section>
        ) : null}
      </Section>
      <Section title="Banned sources">
        <p className="muted">
          Addresses that failed SIP authentication too often get no answer at all until their ban runs out.
        </p>
        {bans.data ? (
          <DataTable
            caption="Banned sources"
            columns={banColumns as never}
            data={bans.data}
            empty="No address is banned."
          />
        ) : (
          <Loading />
        )}
      </Section>
    </Page>
  );
}
