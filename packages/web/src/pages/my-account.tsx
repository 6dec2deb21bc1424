import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Session = Ok<'/api/sessions', 'get'>[number];
const column = createColumnHelper<Session>();

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

export function MyAccountPage() {
  const me = useMe();
  const sessions = useLoad(() => unwrap(api.GET('/api/sessions')), []);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const form = useForm<PasswordValues>({
    defaultValues: { currentPassword: '', newPassword: '', repeat: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const change = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setNotice(undefined);
    try {
      await unwrap(
        api.POST('/api/auth/password', {
          body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
        }),
      );
      form.reset();
      setNotice('Password changed. Your other sessions have ended.');
      sessions.reload();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          path === 'currentPassword' || path === 'newPassword' ? path : undefined,
        ),
      );
    }
  });

  const end = async (session: Session) => {
    try {
      await unwrap(api.DELETE('/api/sessions/{sessionId}', { params: { path: { sessionId: session.id } } }));
      sessions.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  const columns = [
    column.accessor((s) => new Date(s.createdAt).toLocaleString(), { id: 'since', header: 'Signed in' }),
    column.accessor((s) => new Date(s.lastSeenAt).toLocaleString(), { id: 'seen', header: 'Last seen' }),
    column.accessor('sourceAddress', { header: 'From' }),
    column.accessor('userAgent', { header: 'Browser' }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) =>
        c.row.original.current ? (
          <span>this one</span>
        ) : (
          <button type="button" className="secondary small" onClick={() => void end(c.row.original)}>
            Sign out there
          </button>
        ),
    }),
  ];

  return (
    <Page title="My account">
      {me.account ? (
        <dl className="facts">
          <dt>User name</dt>
          <dd>{me.account.username}</dd>
          <dt>Name</dt>
          <dd>{me.account.displayName}</dd>
          <dt>Password changed</dt>
          <dd>{new Date(me.account.passwordChangedAt).toLocaleString()}</dd>
        </dl>
      ) : (
        <p>You are using an API token, which has no account of its own.</p>
      )}
      <ErrorNotice error={failure ?? sessions.error} />
      {notice ? <StatusNotice>{notice}</StatusNotice> : null}
      <Section title="Change password">
        <form onSubmit={change} className="form-grid" noValidate>
          <Field label="Current password" error={errors.currentPassword?.message}>
            <input
              type="password"
              autoComplete="current-password"
              {...form.register('currentPassword', { required: 'Enter your current password' })}
            />
          </Field>
          <Field label="New password" hint="at least 10 characters" error={errors.newPassword?.message}>
            <input
              type="password"
              autoComplete="new-password"
              {...form.register('newPassword', {
                required: 'Enter a new password',
                minLength: { value: 10, message: 'at least 10 characters' },
              })}
            />
          </Field>
          <Field label="New password again" error={errors.repeat?.message}>
            <input
              type="password"
              autoComplete="new-password"
              {...form.register('repeat', {
                validate: (value, all) => value === all.newPassword || 'The two passwords differ',
              })}
            />
          </Field>
          <div className="form-actions">
            <button type="submit" disabled={isSubmitting}>
              Change password
            </button>
          </div>
        </form>
      </Section>
      <Section title="Where you are signed in">
        {sessions.data ? (
          <DataTable
            caption="Sessions"
            columns={columns as never}
            data={sessions.data}
            empty="No sessions."
          />
        ) : (
          <Loading />
        )}
      </Section>
    </Page>
  );
}
