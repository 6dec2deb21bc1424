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

interface RegisterValues {
  property: string;
  enterprise: string;
  kind: 'capital' | 'land';
  description: string;
  cost: string;
  book_value: string;
  effective_date: string;
}

/**
 * An enterprise records property it bought with its own cash (§3.2, §9).
 * Once the commune is incorporated it must sell it to the commune within
 * the grace period. Operators.
 */
export function RegisterPropertyForm({
  enterprises,
  currency,
  onDone,
}: {
  enterprises: readonly string[];
  currency: string;
  onDone: () => void;
}) {
  const command = useCommand('register-property', onDone);
  const form = useForm<RegisterValues>({
    defaultValues: {
      property: '',
      enterprise: enterprises[0] ?? '',
      kind: 'capital',
      description: '',
      cost: '',
      book_value: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const cost = parseMajor(values.cost);
    if (!cost.ok) return form.setError('cost', { message: cost.message });
    const book = values.book_value.trim() ? parseMajor(values.book_value, { allowZero: true }) : undefined;
    if (book && !book.ok) return form.setError('book_value', { message: book.message });
    const registered = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/register-property', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              property: values.property.trim(),
              enterprise: values.enterprise,
              kind: values.kind,
              description: values.description.trim(),
              cost_minor: cost.minor,
              ...(book?.ok ? { book_value_minor: book.minor } : {}),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'cost_minor') return 'cost';
          if (name === 'book_value_minor') return 'book_value';
          return name === 'property' || name === 'description' ? name : undefined;
        }),
    );
    if (registered) form.reset({ ...values, property: '', description: '', cost: '', book_value: '' });
  });
  return (
    <Section title="Record an enterprise's property">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          Property an enterprise buys with its own cash. After incorporation it must be sold to the commune
          within the bylaw grace period, or the enterprise is flagged.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Property recorded. {command.done}</StatusNotice> : null}
        <Field label="Property id" error={errors.property?.message}>
          <input {...form.register('property', { required: 'Enter an id' })} />
        </Field>
        <ChoiceField label="Owning enterprise" choices={enterprises} register={form.register('enterprise')} />
        <Field label="Kind">
          <select {...form.register('kind')}>
            <option value="capital">capital</option>
            <option value="land">land</option>
          </select>
        </Field>
        <Field label="Description" error={errors.description?.message}>
          <input {...form.register('description', { required: 'Describe it' })} />
        </Field>
        <Field label={`Cost (${currency})`} hint="in major units" error={errors.cost?.message}>
          <input inputMode="decimal" {...form.register('cost', { required: 'Enter the cost' })} />
        </Field>
        <Field label="Book value (optional)" hint="empty: the cost" error={errors.book_value?.message}>
          <input inputMode="decimal" {...form.register('book_value')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Record property
          </button>
        </div>
      </form>
    </Section>
  );
}

interface SaleValues {
  property: string;
  price: string;
  payment: 'outside' | 'currency';
  rent: string;
  currency: string;
  term_months: string;
  effective_date: string;
}

/**
 * Sale-leaseback (§5): the commune buys an enterprise's property, paying in
 * outside currency or its own, and leases it back to the enterprise at once.
 * Payment in bonds is made through the API (`payment: "bonds"` with the
 * bond terms). Operators.
 */
export function SaleLeasebackForm({
  held,
  currencies,
  onDone,
}: {
  held: readonly string[];
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('sell-property-to-commune', onDone);
  const form = useForm<SaleValues>({
    defaultValues: {
      property: held[0] ?? '',
      price: '',
      payment: 'outside',
      rent: '',
      currency: currencies[0] ?? 'EUR',
      term_months: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const price = values.price.trim() ? parseMajor(values.price) : undefined;
    if (price && !price.ok) return form.setError('price', { message: price.message });
    const rent = parseMajor(values.rent);
    if (!rent.ok) return form.setError('rent', { message: rent.message });
    const term = values.term_months.trim();
    if (term && !/^\d{1,4}$/.test(term)) return form.setError('term_months', { message: 'expected months' });
    const sold = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/sell-property-to-commune', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              property: values.property,
              payment: values.payment,
              ...(price?.ok ? { price_minor: price.minor } : {}),
              lease: {
                rent_minor: rent.minor,
                currency: values.currency,
                ...(term ? { term_months: Number(term) } : {}),
              },
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'price_minor') return 'price';
          if (name === 'rent_minor') return 'rent';
          return name === 'term_months' ? name : undefined;
        }),
    );
    if (sold) form.reset({ ...values, price: '', rent: '' });
  });
  return (
    <Section title="Buy an enterprise's property and lease it back">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Bought and leased back. {command.done}</StatusNotice> : null}
        <ChoiceField
          label="Enterprise property"
          hint={held.length ? undefined : 'no enterprise holds property'}
          error={errors.property?.message}
          choices={held}
          register={form.register('property', { required: 'Choose the property' })}
        />
        <Field label="Price (optional)" hint="empty: its book value" error={errors.price?.message}>
          <input inputMode="decimal" {...form.register('price')} />
        </Field>
        <Field label="Paid in">
          <select {...form.register('payment')}>
            <option value="outside">outside currency, from the treasury</option>
            <option value="currency">the commune's own currency</option>
          </select>
        </Field>
        <Field label="Rent a month" hint="in major units" error={errors.rent?.message}>
          <input inputMode="decimal" {...form.register('rent', { required: 'Enter the rent' })} />
        </Field>
        <ChoiceField label="Rent currency" choices={currencies} register={form.register('currency')} />
        <Field label="Lease term (months, optional)" error={errors.term_months?.message}>
          <input inputMode="numeric" {...form.register('term_months')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting || held.length === 0}>
            Buy and lease back
          </button>
        </div>
      </form>
    </Section>
  );
}
