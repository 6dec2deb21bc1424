import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { destinationOptions } from '../components/destination-input.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import {
  destinationText,
  ForwardingFields,
  type ForwardingValues,
  forwardFrom,
  forwardingField,
} from '../components/forwarding-fields.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Extension = Ok<'/api/tenants/{tenantId}/extensions/{number}', 'get'>;

interface ExtensionValues extends ForwardingValues {
  name: string;
  password: string;
}

function valuesOf(e: Extension): ExtensionValues {
  return {
    name: e.name,
    password: e.password,
    dnd: e.dnd,
    ringTime_s: e.ringTime_s,
    always: destinationText(e.forward?.always),
    busy: destinationText(e.forward?.busy),
    noAnswer: destinationText(e.forward?.noAnswer),
    unreachable: destinationText(e.forward?.unreachable),
  };
}

function ExtensionForm({
  tenantId,
  extension,
  onSaved,
}: {
  tenantId: string;
  extension: Extension;
  onSaved: () => void;
}) {
  const navigate = useNavigate();
  const context = useLoad(async () => {
    const path = { params: { path: { tenantId } } };
    const [extensions, ringGroups] = await Promise.all([
      unwrap(api.GET('/api/tenants/{tenantId}/extensions', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/ring-groups', path)),
    ]);
    return { extensions, ringGroups };
  }, [tenantId]);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const form = useForm<ExtensionValues>({ defaultValues: valuesOf(extension) });
  const { errors, isSubmitting } = form.formState;
  const options = context.data ? destinationOptions(context.data.extensions, context.data.ringGroups) : [];

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    const forward = forwardFrom(values);
    try {
      await unwrap(
        api.PUT('/api/tenants/{tenantId}/extensions/{number}', {
          params: { path: { tenantId, number: extension.number } },
          body: {
            name: values.name,
            password: values.password,
            dnd: values.dnd,
            ringTime_s: values.ringTime_s,
            ...(Object.keys(forward).length > 0 ? { forward } : {}),
          },
        }),
      );
      setSaved(true);
      onSaved();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) =>
          path === 'name' || path === 'password' ? path : forwardingField(path),
        ),
      );
    }
  });

  const remove = async () => {
    if (!window.confirm(`Delete extension ${extension.number}?`)) return;
    try {
      await unwrap(
        api.DELETE('/api/tenants/{tenantId}/extensions/{number}', {
          params: { path: { tenantId, number: extension.number } },
        }),
      );
      navigate(`/tenants/${tenantId}/extensions`);
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <form onSubmit={save} noValidate>
      <ErrorNotice error={failure} />
      {saved ? <StatusNotice>Saved. Phones and calls use the change within a second.</StatusNotice> : null}
      <fieldset className="form-grid">
        <legend>Extension</legend>
        <Field label="Name" error={errors.name?.message}>
          <input {...form.register('name', { required: 'Enter a name' })} />
        </Field>
        <Field label="SIP password" error={errors.password?.message}>
          <input
            type={showPassword ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            {...form.register('password', { required: 'Enter a password' })}
          />
        </Field>
        <div className="field">
          <button
            type="button"
            className="secondary small"
            onClick={() => setShowPassword((s) => !s)}
            aria-pressed={showPassword}
          >
            {showPassword ? 'Hide password' : 'Show password'}
          </button>
        </div>
      </fieldset>
      <ForwardingFields register={form.register as never} errors={errors} options={options} />
      <div className="form-actions">
        <button type="submit" disabled={isSubmitting}>
          Save extension
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete extension
        </button>
      </div>
    </form>
  );
}

export function ExtensionPage() {
  const { tenantId = '', number = '' } = useParams();
  const extension = useLoad(
    () =>
      unwrap(
        api.GET('/api/tenants/{tenantId}/extensions/{number}', { params: { path: { tenantId, number } } }),
      ),
    [tenantId, number],
  );
  return (
    <Page
      title={`Extension ${number}`}
      actions={<Link to={`/tenants/${tenantId}/extensions`}>All extensions of {tenantId}</Link>}
    >
      <ErrorNotice error={extension.error} />
      {extension.data ? (
        <ExtensionForm
          key={`${tenantId}/${number}`}
          tenantId={tenantId}
          extension={extension.data}
          onSaved={() => undefined}
        />
      ) : extension.error ? null : (
        <Loading />
      )}
    </Page>
  );
}
