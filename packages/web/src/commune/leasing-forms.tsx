import { useForm } from 'react-hook-form';
import { api, unwrap } from '../api/client.js';
import { ChoiceField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { parseMajor } from '../components/money.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Section } from '../components/page.js';
import { EffectiveDateField, today } from './command.js';
import { useCommand } from './use-command.js';

const bodyField = (path: string) => path.replace(/^body\.(lease\.)?/, '');

function termOf(text: string): { ok: true; months: number | undefined } | { ok: false } {
  const term = text.trim();
  if (!term) return { ok: true, months: undefined };
  return /^\d{1,4}$/.test(term) ? { ok: true, months: Number(term) } : { ok: false };
}

interface LeaseValues {
  property: string;
  enterprise: string;
  rent: string;
  currency: string;
  term_months: string;
  effective_date: string;
}

/** Lease a vacant commune property to an enterprise (§5); the bylaws may reserve this for a vote. */
export function LeaseForm({
  vacant,
  enterprises,
  currencies,
  onDone,
}: {
  vacant: readonly string[];
  enterprises: readonly string[];
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('lease', onDone);
  const form = useForm<LeaseValues>({
    defaultValues: {
      property: vacant[0] ?? '',
      enterprise: enterprises[0] ?? '',
      rent: '',
      currency: currencies[0] ?? 'EUR',
      term_months: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const rent = parseMajor(values.rent);
    if (!rent.ok) return form.setError('rent', { message: rent.message });
    const term = termOf(values.term_months);
    if (!term.ok) return form.setError('term_months', { message: 'expected months' });
    const leased = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/lease', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              property: values.property.trim(),
              enterprise: values.enterprise.trim(),
              rent_minor: rent.minor,
              currency: values.currency,
              ...(term.months ? { term_months: term.months } : {}),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'rent_minor') return 'rent';
          return name === 'property' || name === 'enterprise' || name === 'term_months' ? name : undefined;
        }),
    );
    if (leased) form.reset({ ...values, rent: '' });
  });
  return (
    <Section title="Lease a vacant property">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Leased. {command.done}</StatusNotice> : null}
        <Field
          label="Property"
          hint={vacant.length ? `vacant: ${vacant.join(', ')}` : 'no property is vacant'}
          error={errors.property?.message}
        >
          <input {...form.register('property', { required: 'Enter the property' })} />
        </Field>
        <Field label="Tenant enterprise" hint={enterprises.join(', ')} error={errors.enterprise?.message}>
          <input {...form.register('enterprise', { required: 'Enter the enterprise' })} />
        </Field>
        <Field label="Rent a month" hint="in major units" error={errors.rent?.message}>
          <input inputMode="decimal" {...form.register('rent', { required: 'Enter the rent' })} />
        </Field>
        <ChoiceField label="Currency" choices={currencies} register={form.register('currency')} />
        <Field label="Term (months, optional)" error={errors.term_months?.message}>
          <input inputMode="numeric" {...form.register('term_months')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Start the lease
          </button>
        </div>
      </form>
    </Section>
  );
}

/** End an active lease (surrendered or expired): the property returns to the commune, to be re-let. */
export function EndLeaseForm({ leased, onDone }: { leased: readonly string[]; onDone: () => void }) {
  const command = useCommand('end-lease', onDone);
  const form = useForm<{ property: string; reason: 'surrendered' | 'expired'; effective_date: string }>({
    defaultValues: { property: leased[0] ?? '', reason: 'surrendered', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    if (!window.confirm(`End the lease of ${values.property}? It becomes vacant.`)) return;
    await command.run(async (idempotency_key) =>
      unwrap(
        api.POST('/api/commune/end-lease', {
          body: {
            idempotency_key,
            effective_date: values.effective_date,
            property: values.property,
            reason: values.reason,
          },
        }),
      ),
    );
  });
  return (
    <Section title="End a lease">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Lease ended. {command.done}</StatusNotice> : null}
        <ChoiceField label="Leased property" choices={leased} register={form.register('property')} />
        <Field label="Reason">
          <select {...form.register('reason')}>
            <option value="surrendered">surrendered by the tenant</option>
            <option value="expired">expired</option>
          </select>
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" className="danger" disabled={isSubmitting || leased.length === 0}>
            End lease
          </button>
        </div>
      </form>
    </Section>
  );
}

interface RequestValues {
  request: string;
  enterprise: string;
  property: string;
  kind: 'capital' | 'land';
  description: string;
  price: string;
  seller: string;
  rent: string;
  currency: string;
  term_months: string;
  effective_date: string;
}

/**
 * An enterprise asks the commune to acquire property for it, offering a
 * lease (§5); a bond series then finances it, and if it clears the property
 * is bought and leased at once.
 */
export function RequestAcquisitionForm({
  enterprises,
  currencies,
  onDone,
}: {
  enterprises: readonly string[];
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('request-acquisition', onDone);
  const form = useForm<RequestValues>({
    defaultValues: {
      request: '',
      enterprise: enterprises[0] ?? '',
      property: '',
      kind: 'capital',
      description: '',
      price: '',
      seller: '',
      rent: '',
      currency: currencies[0] ?? 'EUR',
      term_months: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const price = parseMajor(values.price);
    if (!price.ok) return form.setError('price', { message: price.message });
    const rent = parseMajor(values.rent);
    if (!rent.ok) return form.setError('rent', { message: rent.message });
    const term = termOf(values.term_months);
    if (!term.ok) return form.setError('term_months', { message: 'expected months' });
    const requested = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/request-acquisition', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              request: values.request.trim(),
              enterprise: values.enterprise.trim(),
              property: values.property.trim(),
              kind: values.kind,
              description: values.description.trim(),
              price_minor: price.minor,
              seller: values.seller.trim(),
              lease: {
                rent_minor: rent.minor,
                currency: values.currency,
                ...(term.months ? { term_months: term.months } : {}),
              },
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'price_minor') return 'price';
          if (name === 'rent_minor') return 'rent';
          const own = ['request', 'enterprise', 'property', 'description', 'seller', 'term_months'] as const;
          return own.find((field) => field === name);
        }),
    );
    if (requested) form.reset({ ...values, request: '', property: '', description: '', price: '', rent: '' });
  });
  return (
    <Section title="Request an acquisition">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          The enterprise offers the lease it will pay; then issue a bond series for the request on the Bonds
          page. Nothing is bought unless the bond sale clears.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Requested. {command.done}</StatusNotice> : null}
        <Field label="Request id" hint="e.g. server-5" error={errors.request?.message}>
          <input {...form.register('request', { required: 'Enter an id' })} />
        </Field>
        <Field label="Requesting enterprise" hint={enterprises.join(', ')} error={errors.enterprise?.message}>
          <input {...form.register('enterprise', { required: 'Enter the enterprise' })} />
        </Field>
        <Field label="New property id" error={errors.property?.message}>
          <input {...form.register('property', { required: 'Enter the property id' })} />
        </Field>
        <Field label="Kind">
          <select {...form.register('kind')}>
            <option value="capital">capital</option>
            <option value="land">land</option>
          </select>
        </Field>
        <Field label="Description" error={errors.description?.message}>
          <input {...form.register('description', { required: 'Describe it' })} />
        </Field>
        <Field label="Price" hint="in major units" error={errors.price?.message}>
          <input inputMode="decimal" {...form.register('price', { required: 'Enter the price' })} />
        </Field>
        <Field label="Seller" error={errors.seller?.message}>
          <input {...form.register('seller', { required: 'Name the seller' })} />
        </Field>
        <Field label="Rent offered a month" hint="in major units" error={errors.rent?.message}>
          <input inputMode="decimal" {...form.register('rent', { required: 'Enter the rent' })} />
        </Field>
        <ChoiceField label="Currency" choices={currencies} register={form.register('currency')} />
        <Field label="Lease term (months, optional)" error={errors.term_months?.message}>
          <input inputMode="numeric" {...form.register('term_months')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Request acquisition
          </button>
        </div>
      </form>
    </Section>
  );
}
