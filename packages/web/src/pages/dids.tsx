import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DataTable } from '../components/data-table.js';
import { DestinationInput } from '../components/destination-input.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useDestinations } from '../components/use-destinations.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type Did = Ok<'/api/tenants/{tenantId}/dids', 'get'>[number];
const column = createColumnHelper<Did>();

interface DidValues {
  number: string;
  destination: string;
  name: string;
}

/** A tenant's phone numbers and where each rings; operators map and release them. */
export function DidsPage() {
  const me = useMe();
  const { tenantId = '' } = useParams();
  const operator = me.kind === 'operator';
  const dids = useLoad(
    () => unwrap(api.GET('/api/tenants/{tenantId}/dids', { params: { path: { tenantId } } })),
    [tenantId],
  );
  const options = useDestinations(tenantId);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const form = useForm<DidValues>({ defaultValues: { number: '', destination: '', name: '' } });
  const { errors, isSubmitting } = form.formState;

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setDone(undefined);
    try {
      const stored = await unwrap(
        api.PUT('/api/tenants/{tenantId}/dids/{number}', {
          params: { path: { tenantId, number: values.number.trim() } },
          body: {
            destination: values.destination.trim(),
            ...(values.name.trim() ? { name: values.name.trim() } : {}),
          },
        }),
      );
      setDone(`${stored.number} now rings ${stored.destination}.`);
      form.reset({ number: '', destination: '', name: '' });
      dids.reload();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          (['number', 'destination', 'name'] as const).find((k) => path.endsWith(k)),
        ),
      );
    }
  });

  const edit = (did: Did) => {
    form.reset({ number: did.number, destination: did.destination, name: did.name ?? '' });
    setDone(undefined);
    document.getElementById('did-form')?.scrollIntoView({ block: 'start' });
    form.setFocus('destination');
  };

  const release = (did: Did) =>
    confirmedRequest(
      `Release ${did.number} from ${tenantId}? Calls to it will no longer reach the tenant.`,
      () => {
        setFailure(undefined);
        setDone(undefined);
        return unwrap(
          api.DELETE('/api/tenants/{tenantId}/dids/{number}', {
            params: { path: { tenantId, number: did.number } },
          }),
        );
      },
      () => {
        setDone(`${did.number} released.`);
        dids.reload();
      },
      setFailure,
    );

  const columns = [
    column.accessor('number', { header: 'Number' }),
    column.accessor((d) => d.name ?? '', { id: 'name', header: 'Label' }),
    column.accessor('destination', { header: 'Rings' }),
    ...(operator
      ? [
          column.display({
            id: 'actions',
            header: 'Actions',
            cell: (c) => (
              <div className="row-actions">
                <button type="button" className="secondary small" onClick={() => edit(c.row.original)}>
                  Change {c.row.original.number}
                </button>
                <button type="button" className="danger small" onClick={() => void release(c.row.original)}>
                  Release {c.row.original.number}
                </button>
              </div>
            ),
          }),
        ]
      : []),
  ];

  return (
    <Page title={`Phone numbers of ${tenantId}`}>
      <ErrorNotice error={failure ?? dids.error} />
      {done ? <StatusNotice>{done}</StatusNotice> : null}
      <WhenLoaded load={dids}>
        {(data) => (
          <DataTable
            caption="DIDs"
            columns={columns as never}
            data={data}
            empty="This tenant has no numbers."
          />
        )}
      </WhenLoaded>
      {operator ? (
        <Section title="Map a number">
          <form id="did-form" onSubmit={save} className="form-grid" noValidate>
            <Field
              label="Phone number"
              hint="any form: +49 30 1234567, 0049…, or national in the tenant's country"
              error={errors.number?.message}
            >
              <input inputMode="tel" {...form.register('number', { required: 'Enter the number' })} />
            </Field>
            <Field
              label="Rings"
              hint="e.g. extension:1001, ringgroup:sales, ivr:main"
              error={errors.destination?.message}
            >
              <DestinationInput
                options={options}
                {...form.register('destination', { required: 'Enter where it rings' })}
              />
            </Field>
            <Field label="Label (optional)" hint="e.g. Berlin office" error={errors.name?.message}>
              <input {...form.register('name')} />
            </Field>
            <div className="form-actions">
              <button type="submit" disabled={isSubmitting}>
                Save number
              </button>
            </div>
          </form>
        </Section>
      ) : (
        <p className="muted">Numbers are bought from carriers and mapped by the operator.</p>
      )}
    </Page>
  );
}
