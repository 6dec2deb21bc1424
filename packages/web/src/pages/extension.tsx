import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { confirmedRequest } from '../components/confirmed-request.js';
import { destinationOptions } from '../components/destination-input.js';
import { EditorActions } from '../components/editor-actions.js';
import { CheckField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import {
  destinationText,
  ForwardingFields,
  type ForwardingValues,
  forwardFrom,
  forwardingField,
} from '../components/forwarding-fields.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type Extension = Ok<'/api/tenants/{tenantId}/extensions/{number}', 'get'>;

interface ExtensionValues extends ForwardingValues {
  name: string;
  password: string;
  hasBox: boolean;
  boxEnabled: boolean;
  pin: string;
  email: string;
  attachAudio: boolean;
  maxMessages: number;
  maxMessage_s: number;
}

function valuesOf(e: Extension): ExtensionValues {
  return {
    name: e.name,
    password: e.password,
    hasBox: e.voicemail !== undefined,
    boxEnabled: e.voicemail?.enabled ?? true,
    pin: e.voicemail?.pin ?? '',
    email: e.voicemail?.email ?? '',
    attachAudio: e.voicemail?.attachAudio ?? true,
    maxMessages: e.voicemail?.maxMessages ?? 100,
    maxMessage_s: e.voicemail?.maxMessage_s ?? 180,
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
    const [extensions, ringGroups, ivrs] = await Promise.all([
      unwrap(api.GET('/api/tenants/{tenantId}/extensions', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/ring-groups', path)),
      unwrap(api.GET('/api/tenants/{tenantId}/ivrs', path)),
    ]);
    return { extensions, ringGroups, ivrs };
  }, [tenantId]);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const form = useForm<ExtensionValues>({ defaultValues: valuesOf(extension) });
  const { errors, isSubmitting } = form.formState;
  const hasBox = form.watch('hasBox');
  const options = context.data
    ? destinationOptions(context.data.extensions, context.data.ringGroups, context.data.ivrs)
    : [];

  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    const forward = forwardFrom(values);
    // The extension is replaced as a whole: keep what this form does not show (outbound calling, fraud limits).
    const { number: _number, forward: _forward, voicemail, ...kept } = extension;
    const { email: _email, ...box } = voicemail ?? {};
    try {
      await unwrap(
        api.PUT('/api/tenants/{tenantId}/extensions/{number}', {
          params: { path: { tenantId, number: extension.number } },
          body: {
            ...kept,
            name: values.name,
            password: values.password,
            dnd: values.dnd,
            ringTime_s: values.ringTime_s,
            ...(Object.keys(forward).length > 0 ? { forward } : {}),
            ...(values.hasBox
              ? {
                  voicemail: {
                    ...box,
                    enabled: values.boxEnabled,
                    pin: values.pin.trim(),
                    ...(values.email.trim() ? { email: values.email.trim() } : {}),
                    attachAudio: values.attachAudio,
                    maxMessages: values.maxMessages,
                    maxMessage_s: values.maxMessage_s,
                  },
                }
              : {}),
          },
        }),
      );
      setSaved(true);
      onSaved();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) => {
          if (path === 'name' || path === 'password') return path;
          if (path.startsWith('voicemail.')) {
            const leaf = path.slice('voicemail.'.length);
            return (['pin', 'email', 'maxMessages', 'maxMessage_s'] as const).find((k) => k === leaf);
          }
          return forwardingField(path);
        }),
      );
    }
  });

  const remove = () =>
    confirmedRequest(
      `Delete extension ${extension.number}?`,
      () =>
        unwrap(
          api.DELETE('/api/tenants/{tenantId}/extensions/{number}', {
            params: { path: { tenantId, number: extension.number } },
          }),
        ),
      () => navigate(`/tenants/${tenantId}/extensions`),
      setFailure,
    );

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
      <fieldset className="form-grid">
        <legend>Voicemail</legend>
        <CheckField label="Has a voicemail box">
          <input {...form.register('hasBox')} />
        </CheckField>
        {hasBox ? (
          <>
            <CheckField label="Box takes messages">
              <input {...form.register('boxEnabled')} />
            </CheckField>
            <Field label="PIN" hint="4 to 12 digits, for *97 and *98" error={errors.pin?.message}>
              <input
                inputMode="numeric"
                autoComplete="off"
                {...form.register('pin', {
                  required: 'Enter a PIN',
                  pattern: { value: /^[0-9]{4,12}$/, message: 'expected 4 to 12 digits' },
                })}
              />
            </Field>
            <Field label="E-mail notices to (optional)" error={errors.email?.message}>
              <input type="email" {...form.register('email')} />
            </Field>
            <CheckField label="Attach the recording to the e-mail">
              <input {...form.register('attachAudio')} />
            </CheckField>
            <Field label="Messages kept" hint="1 to 1000" error={errors.maxMessages?.message}>
              <input
                type="number"
                min={1}
                max={1000}
                {...form.register('maxMessages', { valueAsNumber: true })}
              />
            </Field>
            <Field label="Longest message (s)" hint="10 to 600" error={errors.maxMessage_s?.message}>
              <input
                type="number"
                min={10}
                max={600}
                {...form.register('maxMessage_s', { valueAsNumber: true })}
              />
            </Field>
          </>
        ) : null}
      </fieldset>
      <EditorActions noun="extension" submitting={isSubmitting} onDelete={() => void remove()} />
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
      <WhenLoaded load={extension}>
        {(data) => (
          <ExtensionForm
            key={`${tenantId}/${number}`}
            tenantId={tenantId}
            extension={data}
            onSaved={() => undefined}
          />
        )}
      </WhenLoaded>
    </Page>
  );
}
