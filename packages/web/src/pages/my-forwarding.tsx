import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { applyIssues } from '../components/forms.js';
import {
  destinationText,
  ForwardingFields,
  type ForwardingValues,
  forwardFrom,
  forwardingField,
} from '../components/forwarding-fields.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

type Mine = Ok<'/api/me/extension', 'get'>;

function valuesOf(m: Mine): ForwardingValues {
  return {
    dnd: m.dnd,
    ringTime_s: m.ringTime_s,
    always: destinationText(m.forward.always),
    busy: destinationText(m.forward.busy),
    noAnswer: destinationText(m.forward.noAnswer),
    unreachable: destinationText(m.forward.unreachable),
  };
}

function ForwardingForm({ mine }: { mine: Mine }) {
  const [failure, setFailure] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [reveal, setReveal] = useState(false);
  const form = useForm<ForwardingValues>({ defaultValues: valuesOf(mine) });
  const options = [
    { value: `voicemail:${mine.number}`, label: 'My voicemail' },
    { value: 'hangup', label: 'Hang up' },
  ];
  const save = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setSaved(false);
    try {
      const updated = await unwrap(
        api.PUT('/api/me/forwarding', {
          body: { dnd: values.dnd, ringTime_s: values.ringTime_s, forward: forwardFrom(values) },
        }),
      );
      form.reset(valuesOf(updated));
      setSaved(true);
    } catch (error) {
      setFailure(applyIssues(error, form.setError, forwardingField));
    }
  });
  return (
    <>
      <Section title="My phone">
        <dl className="facts">
          <dt>Extension</dt>
          <dd>
            {mine.number} ({mine.name})
          </dd>
          <dt>SIP user and domain</dt>
          <dd>
            {mine.number}@{mine.domain}
          </dd>
          <dt>SIP password</dt>
          <dd>
            <code>{reveal ? mine.sipPassword : '••••••••••••'}</code>{' '}
            <button
              type="button"
              className="secondary small"
              aria-pressed={reveal}
              onClick={() => setReveal((r) => !r)}
            >
              {reveal ? 'Hide' : 'Show'}
            </button>
          </dd>
        </dl>
      </Section>
      <form onSubmit={save} noValidate>
        <ErrorNotice error={failure} />
        {saved ? <StatusNotice>Saved. Your calls follow the new settings now.</StatusNotice> : null}
        <ForwardingFields register={form.register} errors={form.formState.errors} options={options} />
        <div className="form-actions">
          <button type="submit" disabled={form.formState.isSubmitting}>
            Save forwarding
          </button>
        </div>
      </form>
    </>
  );
}

export function MyForwardingPage() {
  const mine = useLoad(() => unwrap(api.GET('/api/me/extension')), []);
  return (
    <Page title="My forwarding">
      <ErrorNotice error={mine.error} />
      <WhenLoaded load={mine}>{(data) => <ForwardingForm mine={data} />}</WhenLoaded>
    </Page>
  );
}
