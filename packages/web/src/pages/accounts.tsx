import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Body, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues, randomSecret } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { TenantOptions } from '../components/tenant-select.js';
import { useLoad } from '../components/use-load.js';

type Account = Ok<'/api/accounts', 'get'>[number];
type Role = Account['role'];
const column = createColumnHelper<Account>();

const roleNames: Record<Role, string> = {
  operator: 'Operator',
  tenant_admin: 'Tenant admin',
  user: 'Extension owner',
  member: 'Commune member',
};

interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  tenantId: string;
  extension: string;
  personId: string;
  password: string;
}

export function AccountsPage() {
  const me = useMe();
  const operator = me.kind === 'operator';
  const accounts = useLoad(() => unwrap(api.GET('/api/accounts', {})), []);
  const tenants = useLoad(() => unwrap(api.GET('/api/tenants')), []);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const roles: Role[] = operator ? ['operator', 'tenant_admin', 'user', 'member'] : ['tenant_admin', 'user'];
  const form = useForm<NewAccount>({
    defaultValues: {
      username: '',
      displayName: '',
      role: 'user',
      tenantId: me.tenantId ?? '',
      extension: '',
      personId: '',
      password: randomSecret(20),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const role = form.watch('role');

  const create = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setNotice(undefined);
    const body: Body<'/api/accounts', 'post'> = {
      username: values.username,
      displayName: values.displayName,
      role: values.role,
      password: values.password,
      ...(values.role === 'tenant_admin' || values.role === 'user'
        ? { tenantId: values.tenantId || null }
        : {}),
      ...(values.role === 'user' ? { extension: values.extension || null } : {}),
      ...(values.role === 'member' ? { personId: values.personId || null } : {}),
    };
    try {
      const created = await unwrap(api.POST('/api/accounts', { body }));
      setNotice(
        `Account ${created.username} created with the password ${values.password} — pass it on now; it is not shown again.`,
      );
      form.reset({
        ...values,
        username: '',
        displayName: '',
        extension: '',
        personId: '',
        password: randomSecret(20),
      });
      accounts.reload();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          (
            ['username', 'displayName', 'role', 'tenantId', 'extension', 'personId', 'password'] as const
          ).find((k) => k === path),
        ),
      );
    }
  });

  const resetPassword = async (account: Account) => {
    if (!window.confirm(`Set a new password for ${account.username}? Their sessions end.`)) return;
    const password = randomSecret(20);
    try {
      await unwrap(
        api.PATCH('/api/accounts/{accountId}', {
          params: { path: { accountId: account.id } },
          body: { password },
        }),
      );
      setNotice(`New password for ${account.username}: ${password} — pass it on now; it is not shown again.`);
    } catch (error) {
      setFailure(error);
    }
  };

  const remove = (account: Account) =>
    confirmedRequest(
      `Delete the account ${account.username}?`,
      () => unwrap(api.DELETE('/api/accounts/{accountId}', { params: { path: { accountId: account.id } } })),
      () => {
        setNotice(`Account ${account.username} deleted.`);
        accounts.reload();
      },
      setFailure,
    );

  const columns = [
    column.accessor('username', { header: 'User name' }),
    column.accessor('displayName', { header: 'Name' }),
    column.accessor((a) => roleNames[a.role], { id: 'role', header: 'Role' }),
    column.accessor((a) => [a.tenantId, a.extension, a.personId].filter(Boolean).join(' · ') || '—', {
      id: 'link',
      header: 'Tenant · extension · person',
    }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => (
        <span className="row-actions">
          <button
            type="button"
            className="secondary small"
            onClick={() => void resetPassword(c.row.original)}
          >
            New password <span className="visually-hidden">for {c.row.original.username}</span>
          </button>
          {c.row.original.id !== me.account?.id ? (
            <button type="button" className="danger small" onClick={() => void remove(c.row.original)}>
              Delete <span className="visually-hidden">{c.row.original.username}</span>
            </button>
          ) : null}
        </span>
      ),
    }),
  ];

  const tenantChoice = tenants.data?.find((t) => t.id === form.watch('tenantId'));
  return (
    <Page title="Accounts">
      <ErrorNotice error={failure ?? accounts.error} />
      {notice ? <StatusNotice>{notice}</StatusNotice> : null}
      {accounts.data ? (
        <DataTable caption="Accounts" columns={columns as never} data={accounts.data} empty="No accounts." />
      ) : (
        <Loading />
      )}
      <Section title="New account">
        <form onSubmit={create} className="form-grid" noValidate>
          <Field label="User name" error={errors.username?.message}>
            <input
              autoCapitalize="none"
              spellCheck={false}
              {...form.register('username', { required: 'Enter a user name' })}
            />
          </Field>
          <Field label="Name" error={errors.displayName?.message}>
            <input {...form.register('displayName', { required: 'Enter a name' })} />
          </Field>
          <Field label="Role" error={errors.role?.message}>
            <select {...form.register('role')}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleNames[r]}
                </option>
              ))}
            </select>
          </Field>
          {operator && (role === 'tenant_admin' || role === 'user') ? (
            <Field label="Tenant" error={errors.tenantId?.message}>
              <select {...form.register('tenantId')}>
                <TenantOptions tenants={tenants.data} none="Choose a tenant" />
              </select>
            </Field>
          ) : null}
          {role === 'user' ? (
            <Field
              label="Extension"
              hint={tenantChoice ? `an extension of ${tenantChoice.name}` : undefined}
              error={errors.extension?.message}
            >
              <input inputMode="numeric" {...form.register('extension')} />
            </Field>
          ) : null}
          {role === 'member' ? (
            <Field label="Commune person id" error={errors.personId?.message}>
              <input {...form.register('personId')} />
            </Field>
          ) : null}
          <Field
            label="Password"
            hint="generated; shown once after creation"
            error={errors.password?.message}
          >
            <input
              autoComplete="new-password"
              spellCheck={false}
              {...form.register('password', { required: 'Enter a password' })}
            />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={isSubmitting}>
              Create account
            </button>
          </div>
        </form>
      </Section>
    </Page>
  );
}
