import { useForm } from 'react-hook-form';
import { api, unwrap } from '../api/client.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { parseMajor } from '../components/money.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Section } from '../components/page.js';
import { EffectiveDateField, today } from './command.js';
import { useCommand } from './use-command.js';

const bodyField = (path: string) => path.replace(/^body\./, '');

interface FoundValues {
  enterprise: string;
  name: string;
  opening_cash: string;
  effective_date: string;
}

/**
 * Found an enterprise (a worker co-op before incorporation, a commune
 * enterprise after); operators. Only a co-op starts with its workers'
 * cash: afterwards the commune funds enterprises (§9).
 */
export function FoundEnterpriseForm({
  currency,
  incorporated,
  onDone,
}: {
  currency: string;
  incorporated: boolean;
  onDone: () => void;
}) {
  const command = useCommand('found-enterprise', onDone);
  const form = useForm<FoundValues>({
    defaultValues: { enterprise: '', name: '', opening_cash: '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const cash = values.opening_cash.trim()
      ? parseMajor(values.opening_cash, { allowZero: true })
      : undefined;
    if (cash && !cash.ok) return form.setError('opening_cash', { message: cash.message });
    const founded = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/found-enterprise', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              enterprise: values.enterprise.trim(),
              name: values.name.trim(),
              ...(cash?.ok ? { opening_cash_minor: cash.minor } : {}),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'opening_cash_minor') return 'opening_cash';
          return name === 'enterprise' || name === 'name' ? name : undefined;
        }),
    );
    if (founded) form.reset({ ...values, enterprise: '', name: '', opening_cash: '' });
  });
  return (
    <Section title="Found an enterprise">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Founded. {command.done}</StatusNotice> : null}
        <Field label="Enterprise id" hint="letters, digits, . _ -" error={errors.enterprise?.message}>
          <input {...form.register('enterprise', { required: 'Enter an id' })} />
        </Field>
        <Field label="Name" error={errors.name?.message}>
          <input {...form.register('name', { required: 'Enter a name' })} />
        </Field>
        {incorporated ? (
          <p className="muted form-note">
            It starts with no cash of its own: fund it in commune currency on the Currency page.
          </p>
        ) : (
          <Field
            label={`Opening cash (${currency}, optional)`}
            hint="what its workers bring, in major units"
            error={errors.opening_cash?.message}
          >
            <input inputMode="decimal" {...form.register('opening_cash')} />
          </Field>
        )}
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Found enterprise
          </button>
        </div>
      </form>
    </Section>
  );
}

interface EmploymentValues {
  person: string;
  enterprise: string;
  effective_date: string;
}

/** Record that a person has stopped working for an enterprise; operators. */
export function EndEmploymentForm({ onDone }: { onDone: () => void }) {
  const command = useCommand('end-employment', onDone);
  const form = useForm<EmploymentValues>({
    defaultValues: { person: '', enterprise: '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const ended = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/end-employment', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              person: values.person.trim(),
              enterprise: values.enterprise.trim(),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          return name === 'person' || name === 'enterprise' ? name : undefined;
        }),
    );
    if (ended) form.reset({ ...values, person: '' });
  });
  return (
    <Section title="End an employment">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          A member keeps their share; someone not yet a member is no longer eligible through this enterprise.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field label="Person" error={errors.person?.message}>
          <input {...form.register('person', { required: 'Enter the person' })} />
        </Field>
        <Field label="Enterprise" error={errors.enterprise?.message}>
          <input {...form.register('enterprise', { required: 'Enter the enterprise' })} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            End employment
          </button>
        </div>
      </form>
    </Section>
  );
}
