import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues, randomSecret } from '../components/forms.js';
import { ErrorNotice, Loading } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Extension = Ok<'/api/tenants/{tenantId}/extensions', 'get'>[number];
const column = createColumnHelper<Extension>();

interface NewExtension {
  number: string;
  name: string;
  password: string;
}

function forwardingSummary(e: Extension): string {
  const parts = [];
  if (e.dnd) parts.push('do not disturb');
  for (const [when, to] of Object.entries(e.forward ?? {})) if (to) parts.push(`${when} → ${to}`);
  return parts.join('; ') || '—';
}

export function ExtensionsPage() {
  const { tenantId = '' } = useParams();
  const navigate = useNavigate();
  const extensions = useLoad(
    () => unwrap(api.GET('/api/tenants/{tenantId}/extensions', { params: { path: { tenantId } } })),
    [tenantId],
  );
  const [failure, setFailure] = useState<unknown>(undefined);
  const form = useForm<NewExtension>({ defaultValues: { number: '', name: '', password: randomSecret() } });
  const { errors, isSubmitting } = form.formState;

  const create = form.handleSubmit(async (values) => {
    setFailure(undefined);
    if (extensions.data?.some((e) => e.number === values.number)) {
      form.setError('number', { message: `extension ${values.number} exists already` });
      return;
    }
    try {
      await unwrap(
        api.PUT('/api/tenants/{tenantId}/extensions/{number}', {
          params: { path: { tenantId, number: values.number } },
          body: { name: values.name, password: values.password },
        }),
      );
      navigate(`/tenants/${tenantId}/extensions/${values.number}`);
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          path === 'number' || path === 'name' || path === 'password' ? path : undefined,
        ),
      );
    }
  });

  const columns = [
    column.accessor('number', {
      header: 'Number',
      cell: (c) => <Link to={`/tenants/${tenantId}/extensions/${c.getValue()}`}>{c.getValue()}</Link>,
    }),
    column.accessor('name', { header: 'Name' }),
    column.accessor((e) => forwardingSummary(e), { id: 'forwarding', header: 'Forwarding' }),
    column.accessor('ringTime_s', { header: 'Rings (s)' }),
  ];

  return (
    <Page title={`Extensions of ${tenantId}`}>
      <ErrorNotice error={failure ?? extensions.error} />
      {extensions.data ? (
        <DataTable
          caption="Extensions"
          columns={columns as never}
          data={extensions.data}
          empty="No extensions yet."
        />
      ) : (
        <Loading />
      )}
      <Section title="New extension">
        <form onSubmit={create} className="form-grid" noValidate>
          <Field label="Number" hint="2 to 6 digits" error={errors.number?.message}>
            <input
              inputMode="numeric"
              {...form.register('number', {
                required: 'Enter a number',
                pattern: { value: /^[0-9]{2,6}$/, message: 'expected 2 to 6 digits' },
              })}
            />
          </Field>
          <Field label="Name" error={errors.name?.message}>
            <input {...form.register('name', { required: 'Enter a name' })} />
          </Field>
          <Field label="SIP password" hint="generated; the phone needs it" error={errors.password?.message}>
            <input
              autoComplete="off"
              spellCheck={false}
              {...form.register('password', {
                required: 'Enter a password',
                minLength: { value: 8, message: 'at least 8 characters' },
              })}
            />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={isSubmitting}>
              Create extension
            </button>
          </div>
        </form>
      </Section>
    </Page>
  );
}
