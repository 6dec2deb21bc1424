import { useForm } from 'react-hook-form';
import { api, unwrap } from '../api/client.js';
import { ChoiceField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { parseMajor } from '../components/money.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Section } from '../components/page.js';
import { EffectiveDateField, today } from './command.js';
import { useCommand } from './use-command.js';

const bodyField = (path: string) => path.replace(/^body\./, '');

interface AmountValues {
  enterprise: string;
  amount: string;
  effective_date: string;
}

const currencyActs = {
  'fund-enterprise': {
    title: 'Fund an enterprise',
    note: 'The commune invests in an enterprise by issuing its own currency, up to the cap.',
    button: 'Issue and invest',
  },
  'redeem-currency': {
    title: 'Buy back currency',
    note: 'The commune buys its currency back from an enterprise at par, paying from its reserve (if the bylaws allow).',
    button: 'Buy back',
  },
} as const;

/** Issue commune currency to an enterprise, or buy it back (venture-commune.md §4); operators. */
export function CurrencyForm({
  act,
  enterprises,
  currency,
  onDone,
}: {
  act: keyof typeof currencyActs;
  enterprises: readonly string[];
  currency: string;
  onDone: () => void;
}) {
  const text = currencyActs[act];
  const command = useCommand(act, onDone);
  const form = useForm<AmountValues>({
    defaultValues: { enterprise: enterprises[0] ?? '', amount: '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const amount = parseMajor(values.amount);
    if (!amount.ok) return form.setError('amount', { message: amount.message });
    const body = {
      effective_date: values.effective_date,
      enterprise: values.enterprise,
      amount_minor: amount.minor,
    };
    const done = await command.run(
      async (idempotency_key) =>
        unwrap(
          act === 'fund-enterprise'
            ? api.POST('/api/commune/fund-enterprise', { body: { idempotency_key, ...body } })
            : api.POST('/api/commune/redeem-currency', { body: { idempotency_key, ...body } }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) =>
          bodyField(path) === 'amount_minor' ? 'amount' : undefined,
        ),
    );
    if (done) form.reset({ ...values, amount: '' });
  });
  return (
    <Section title={text.title}>
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">{text.note}</p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <ChoiceField label="Enterprise" choices={enterprises} register={form.register('enterprise')} />
        <Field label={`Amount (${currency})`} hint="in major units" error={errors.amount?.message}>
          <input inputMode="decimal" {...form.register('amount', { required: 'Enter the amount' })} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            {text.button}
          </button>
        </div>
      </form>
    </Section>
  );
}

interface EntryValues {
  kind: 'revenue' | 'expense';
  enterprise: string;
  amount: string;
  currency: string;
  category: string;
  payee: string;
  note: string;
  effective_date: string;
}

/**
 * Record an enterprise's own revenue or expense (§5): its books show that it
 * keeps its entire product and pays the commune only rent. Operators.
 */
export function EnterpriseEntryForm({
  enterprises,
  currencies,
  onDone,
}: {
  enterprises: readonly string[];
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('record-enterprise-entry', onDone);
  const form = useForm<EntryValues>({
    defaultValues: {
      kind: 'revenue',
      enterprise: enterprises[0] ?? '',
      amount: '',
      currency: currencies[0] ?? 'EUR',
      category: '',
      payee: '',
      note: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const kind = form.watch('kind');
  const submit = form.handleSubmit(async (values) => {
    const amount = parseMajor(values.amount);
    if (!amount.ok) return form.setError('amount', { message: amount.message });
    const common = {
      effective_date: values.effective_date,
      enterprise: values.enterprise,
      amount_minor: amount.minor,
      currency: values.currency,
      ...(values.category.trim() ? { category: values.category.trim() } : {}),
      ...(values.note.trim() ? { note: values.note.trim() } : {}),
    };
    const recorded = await command.run(
      async (idempotency_key) =>
        unwrap(
          values.kind === 'revenue'
            ? api.POST('/api/commune/record-enterprise-revenue', { body: { idempotency_key, ...common } })
            : api.POST('/api/commune/record-enterprise-expense', {
                body: {
                  idempotency_key,
                  ...common,
                  ...(values.payee.trim() ? { payee: values.payee.trim() } : {}),
                },
              }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = bodyField(path);
          if (name === 'amount_minor') return 'amount';
          return name === 'category' || name === 'payee' || name === 'note' ? name : undefined;
        }),
    );
    if (recorded) form.reset({ ...values, amount: '', note: '' });
  });
  return (
    <Section title="Record enterprise revenue or expense">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          An enterprise keeps its entire product: its revenue and costs go to its own books, never to the
          commune's.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <fieldset className="checks">
          <legend>Entry</legend>
          <label>
            <input type="radio" value="revenue" {...form.register('kind')} /> revenue
          </label>
          <label>
            <input type="radio" value="expense" {...form.register('kind')} /> expense
          </label>
        </fieldset>
        <ChoiceField label="Enterprise" choices={enterprises} register={form.register('enterprise')} />
        <Field label="Amount" hint="in major units" error={errors.amount?.message}>
          <input inputMode="decimal" {...form.register('amount', { required: 'Enter the amount' })} />
        </Field>
        <ChoiceField label="Currency" choices={currencies} register={form.register('currency')} />
        <Field label="Category (optional)" hint="e.g. pbx-subscriptions" error={errors.category?.message}>
          <input {...form.register('category')} />
        </Field>
        {kind === 'expense' ? (
          <Field label="Payee (optional)" error={errors.payee?.message}>
            <input {...form.register('payee')} />
          </Field>
        ) : null}
        <Field label="Note (optional)" error={errors.note?.message}>
          <input {...form.register('note')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Record {kind}
          </button>
        </div>
      </form>
    </Section>
  );
}
