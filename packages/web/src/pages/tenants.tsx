import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Tenant = Ok<'/api/tenants', 'get'>[number];
const column = createColumnHelper<Tenant>();

interface NewTenant {
  id: string;
  name: string;
  domain: string;
}

export function TenantsPage() {
  const tenants = useLoad(() => unwrap(api.GET('/api/tenants')), []);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const form = useForm<NewTenant>({ defaultValues: { id: '', name: '', domain: '' } });
  const { errors, isSubmitting } = form.formState;

  const create = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setDone(undefined);
    try {
      await unwrap(
        api.PUT('/api/tenants/{tenantId}', {
          params: { path: { tenantId: values.id } },
          body: { name: values.name, domain: values.domain, extensions: [], ringGroups: [] },
        }),
      );
      setDone(`Tenant ${values.id} created.`);
      form.reset();
      tenants.reload();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          path === 'id' || path === 'name' || path === 'domain' ? path : undefined,
        ),
      );
    }
  });

  const remove = (tenant: Tenant) =>
    confirmedRequest(
      `Delete tenant ${tenant.id} with its ${tenant.extensions} extensions? This cannot be undone.`,
      () => {
        setFailure(undefined);
        return unwrap(api.DELETE('/api/tenants/{tenantId}', { params: { path: { tenantId: tenant.id } } }));
      },
      () => {
        setDone(`Tenant ${tenant.id} deleted.`);
        tenants.reload();
      },
      setFailure,
    );

  const columns = [
    column.accessor('id', {
      header: 'Id',
      cell: (c) => <Link to={`/tenants/${c.getValue()}/extensions`}>{c.getValue()}</Link>,
    }),
    column.accessor('name', { header: 'Name' }),
    column.accessor('domain', { header: 'SIP domain' }),
    column.accessor('extensions', { header: 'Extensions' }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => (
        <button type="button" className="danger small" onClick={() => void remove(c.row.original)}>
          Delete <span className="visually-hidden">tenant {c.row.original.id}</span>
        </button>
      ),
    }),
  ];

  return (
    <Page title="Tenants">
      <ErrorNotice error={failure ?? tenants.error} />
      {done ? <StatusNotice>{done}</StatusNotice> : null}
      {tenants.data ? (
        <DataTable caption="Tenants" columns={columns as never} data={tenants.data} empty="No tenants yet." />
      ) : (
        <Loading />
      )}
      <Section title="New tenant">
        <form onSubmit={create} className="form-grid" noValidate>
          <Field
            label="Id"
            hint="lowercase letters, digits and hyphens; used in URLs"
            error={errors.id?.message}
          >
            <input
              {...form.register('id', {
                required: 'Enter an id',
                pattern: {
                  value: /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/,
                  message: 'lowercase letters, digits and inner hyphens',
                },
              })}
            />
          </Field>
          <Field label="Name" error={errors.name?.message}>
            <input {...form.register('name', { required: 'Enter a name' })} />
          </Field>
          <Field label="SIP domain" hint="e.g. acme.example" error={errors.domain?.message}>
            <input {...form.register('domain', { required: 'Enter a SIP domain' })} />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={isSubmitting}>
              Create tenant
            </button>
          </div>
        </form>
      </Section>
    </Page>
  );
}
