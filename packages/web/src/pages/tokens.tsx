import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { type Me, useMe } from '../auth/session.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { TenantOptions } from '../components/tenant-select.js';
import { useLoad } from '../components/use-load.js';

type Token = Ok<'/api/tokens', 'get'>[number];
type Scope = Token['scope'];
const column = createColumnHelper<Token>();

const scopeNames: Record<Scope, string> = {
  operator: 'operator — everything',
  'operator:read': 'operator:read — read everything',
  'tenant:admin': 'tenant:admin — one tenant',
  'tenant:read': 'tenant:read — read one tenant',
  user: 'user — acts as you (your extension)',
  commune: 'commune — acts as you (your membership)',
};

function scopesFor(me: Me): Scope[] {
  switch (me.kind) {
    case 'operator':
      return ['operator', 'operator:read', 'tenant:admin', 'tenant:read'];
    case 'tenant':
      return ['tenant:admin', 'tenant:read'];
    case 'user':
      return ['user'];
    case 'member':
      return ['commune'];
  }
}

interface NewToken {
  label: string;
  scope: Scope;
  tenantId: string;
  expiresInDays: string;
}

export function TokensPage() {
  const me = useMe();
  const tokens = useLoad(() => unwrap(api.GET('/api/tokens')), []);
  const tenants = useLoad(
    async () => (me.kind === 'operator' ? unwrap(api.GET('/api/tenants')) : []),
    [me.kind],
  );
  const [failure, setFailure] = useState<unknown>(undefined);
  const [created, setCreated] = useState<string | undefined>(undefined);
  const scopes = scopesFor(me);
  const form = useForm<NewToken>({
    defaultValues: { label: '', scope: scopes[0] ?? 'user', tenantId: '', expiresInDays: '90' },
  });
  const { errors, isSubmitting } = form.formState;
  const scope = form.watch('scope');

  const create = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setCreated(undefined);
    try {
      const token = await unwrap(
        api.POST('/api/tokens', {
          body: {
            label: values.label,
            scope: values.scope,
            ...(me.kind === 'operator' && values.scope.startsWith('tenant:')
              ? { tenantId: values.tenantId }
              : {}),
            ...(values.expiresInDays ? { expiresInDays: Number(values.expiresInDays) } : {}),
          },
        }),
      );
      setCreated(token.token);
      form.reset({ ...values, label: '' });
      tokens.reload();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          (['label', 'scope', 'tenantId', 'expiresInDays'] as const).find((k) => k === path),
        ),
      );
    }
  });

  const revoke = (token: Token) =>
    confirmedRequest(
      `Revoke the token “${token.label}”? Scripts using it stop working.`,
      () => unwrap(api.DELETE('/api/tokens/{tokenId}', { params: { path: { tokenId: token.id } } })),
      () => tokens.reload(),
      setFailure,
    );

  const day = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
  const columns = [
    column.accessor('label', { header: 'Label' }),
    column.accessor('scope', { header: 'Scope' }),
    column.accessor((t) => t.tenantId ?? '—', { id: 'tenant', header: 'Tenant' }),
    column.accessor((t) => day(t.createdAt), { id: 'created', header: 'Created' }),
    column.accessor((t) => day(t.lastUsedAt), { id: 'used', header: 'Last used' }),
    column.accessor((t) => (t.expiresAt ? day(t.expiresAt) : 'never'), { id: 'expires', header: 'Expires' }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => (
        <button type="button" className="danger small" onClick={() => void revoke(c.row.original)}>
          Revoke <span className="visually-hidden">{c.row.original.label}</span>
        </button>
      ),
    }),
  ];

  return (
    <Page title="API tokens">
      <p className="muted">
        Tokens let scripts use the API (<code>Authorization: Bearer …</code>); see{' '}
        <a href="/openapi.json">/openapi.json</a>.
      </p>
      <ErrorNotice error={failure ?? tokens.error} />
      {created ? (
        <StatusNotice>
          Token created. Copy it now; it is not shown again: <code className="secret">{created}</code>
        </StatusNotice>
      ) : null}
      {tokens.data ? (
        <DataTable caption="API tokens" columns={columns as never} data={tokens.data} empty="No tokens." />
      ) : (
        <Loading />
      )}
      <Section title="New token">
        <form onSubmit={create} className="form-grid" noValidate>
          <Field label="Label" hint="what the token is for" error={errors.label?.message}>
            <input {...form.register('label', { required: 'Enter a label' })} />
          </Field>
          <Field label="Scope" error={errors.scope?.message}>
            <select {...form.register('scope')}>
              {scopes.map((s) => (
                <option key={s} value={s}>
                  {scopeNames[s]}
                </option>
              ))}
            </select>
          </Field>
          {me.kind === 'operator' && scope.startsWith('tenant:') ? (
            <Field label="Tenant" error={errors.tenantId?.message}>
              <select {...form.register('tenantId', { required: 'Choose a tenant' })}>
                <TenantOptions tenants={tenants.data} none="Choose a tenant" />
              </select>
            </Field>
          ) : null}
          <Field
            label="Expires after (days)"
            hint="empty: until revoked"
            error={errors.expiresInDays?.message}
          >
            <input type="number" min={1} max={3650} {...form.register('expiresInDays')} />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={isSubmitting}>
              Create token
            </button>
          </div>
        </form>
      </Section>
    </Page>
  );
}
