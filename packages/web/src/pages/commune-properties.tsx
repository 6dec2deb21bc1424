import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EffectiveDateField, month, today } from '../commune/command.js';
import { FoundEnterpriseForm } from '../commune/enterprise-forms.js';
import { EndLeaseForm, LeaseForm, RequestAcquisitionForm } from '../commune/leasing-forms.js';
import { RegisterPropertyForm, SaleLeasebackForm } from '../commune/sale-leaseback-forms.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { ChoiceField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { money, parseMajor } from '../components/money.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type RentRoll = Ok<'/api/commune/rent-roll', 'get'>;
type Property = RentRoll['properties'][number];
type Enterprise = RentRoll['enterprises'][number];
type Arrears = Property['arrears'];
const propertyColumn = createColumnHelper<Property>();
const enterpriseColumn = createColumnHelper<Enterprise>();

/** Arrears per currency, with their ages: `EUR 450.00 (31-60 days: EUR 450.00)`. */
function arrearsText(arrears: Arrears): string {
  const parts = Object.entries(arrears)
    .filter(([, a]) => a.total_minor !== '0')
    .map(([currency, a]) => {
      const ages = (
        [
          ['0-30', a.days_0_30_minor],
          ['31-60', a.days_31_60_minor],
          ['61-90', a.days_61_90_minor],
          ['over 90', a.days_over_90_minor],
        ] as const
      )
        .filter(([, v]) => v !== '0')
        .map(([label, v]) => `${label} days: ${money(v, currency)}`);
      return `${money(a.total_minor, currency)} (${ages.join('; ')})`;
    });
  return parts.join(', ') || 'none';
}

interface CycleValues {
  period: string;
  effective_date: string;
}

function RunRentCycle({ onDone }: { onDone: () => void }) {
  const command = useCommand('run-rent-cycle', onDone);
  const form = useForm<CycleValues>({ defaultValues: { period: month(), effective_date: today() } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit((values) =>
    command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/run-rent-cycle', {
            body: { idempotency_key, effective_date: values.effective_date, period: values.period },
          }),
        ),
      (error) => applyIssues(error, form.setError, (p) => (p === 'period' ? p : undefined)),
    ),
  );
  return (
    <Section title="Run the rent cycle">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          One invoice per active lease for the month; running it again raises nothing new. It also ends
          expired leases and leases unpaid past the bylaw limit.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field label="Rent period" hint="YYYY-MM" error={errors.period?.message}>
          <input
            {...form.register('period', {
              required: 'Enter the month',
              pattern: { value: /^\d{4}-(0[1-9]|1[0-2])$/, message: 'expected YYYY-MM' },
            })}
          />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Raise rent invoices
          </button>
        </div>
      </form>
    </Section>
  );
}

interface PaymentValues {
  enterprise: string;
  amount: string;
  currency: string;
  effective_date: string;
}

function PayRent({
  enterprises,
  currencies,
  onDone,
}: {
  enterprises: readonly Enterprise[];
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('pay-rent', onDone);
  const form = useForm<PaymentValues>({
    defaultValues: {
      enterprise: enterprises[0]?.enterprise ?? '',
      amount: '',
      currency: currencies[0] ?? 'EUR',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const chosen = enterprises.find((e) => e.enterprise === form.watch('enterprise'));
  const owed = chosen ? arrearsText(chosen.arrears) : '';
  const submit = form.handleSubmit(async (values) => {
    const amount = parseMajor(values.amount);
    if (!amount.ok) {
      form.setError('amount', { message: amount.message });
      return;
    }
    const paid = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/pay-rent', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              enterprise: values.enterprise,
              amount_minor: amount.minor,
              currency: values.currency,
            },
          }),
        ),
      (error) => applyIssues(error, form.setError, (p) => (p === 'amount_minor' ? 'amount' : undefined)),
    );
    if (paid) form.reset({ ...values, amount: '' });
  });
  return (
    <Section title="Record a rent payment">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          Settles the oldest invoices first. The commune takes nothing beyond rent invoiced; rent in its own
          currency is retired.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field
          label="Enterprise"
          hint={chosen ? `owes ${owed}` : undefined}
          error={errors.enterprise?.message}
        >
          <select {...form.register('enterprise', { required: 'Choose the enterprise' })}>
            {enterprises.map((e) => (
              <option key={e.enterprise} value={e.enterprise}>
                {e.name} ({e.enterprise})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Amount" hint="in major units, e.g. 790.00" error={errors.amount?.message}>
          <input inputMode="decimal" {...form.register('amount', { required: 'Enter the amount' })} />
        </Field>
        <ChoiceField label="Currency" choices={currencies} register={form.register('currency')} />
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Record payment
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The rent roll: who rents what, for how much, arrears by age, vacancies, and property held past grace. */
export function CommunePropertiesPage() {
  const me = useMe();
  const [asOf, setAsOf] = useState('');
  const roll = useLoad(
    () => unwrap(api.GET('/api/commune/rent-roll', { params: { query: asOf ? { as_of: asOf } : {} } })),
    [asOf],
  );
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const r = roll.data;
  const currencies = summary.data ? [summary.data.outside_currency, summary.data.currency] : ['EUR'];

  const properties = [
    propertyColumn.accessor('property', { header: 'Property' }),
    propertyColumn.accessor('description', { header: 'Description' }),
    propertyColumn.accessor((p) => (p.vacant ? 'vacant' : (p.tenant ?? '—')), {
      id: 'tenant',
      header: 'Tenant',
    }),
    propertyColumn.accessor(
      (p) =>
        p.contract_rent_minor && p.currency
          ? `${money(p.contract_rent_minor, p.currency)} ${p.frequency ?? ''}`
          : '—',
      { id: 'rent', header: 'Contract rent' },
    ),
    propertyColumn.accessor((p) => money(p.annual_rent_minor, p.currency ?? currencies[0] ?? ''), {
      id: 'annual',
      header: 'A year',
    }),
    propertyColumn.accessor((p) => arrearsText(p.arrears), { id: 'arrears', header: 'Arrears' }),
    propertyColumn.accessor((p) => money(p.book_value_minor, currencies[0] ?? ''), {
      id: 'book',
      header: 'Book value',
    }),
    propertyColumn.accessor((p) => p.series ?? '—', { id: 'series', header: 'Financed by' }),
    propertyColumn.accessor(
      (p) => (p.on_auction_until ? `on auction until ${p.on_auction_until}` : p.status),
      {
        id: 'status',
        header: 'Status',
      },
    ),
  ];
  const enterprises = [
    enterpriseColumn.accessor('name', { header: 'Enterprise' }),
    enterpriseColumn.accessor('status', { header: 'Kind' }),
    enterpriseColumn.accessor('leases', { header: 'Leases' }),
    enterpriseColumn.accessor((e) => arrearsText(e.arrears), { id: 'arrears', header: 'Arrears' }),
    enterpriseColumn.accessor((e) => e.held_property.join(', ') || '—', {
      id: 'held',
      header: 'Holds property',
    }),
    enterpriseColumn.accessor(
      (e) => (e.flagged ? `FLAGGED: past grace (${e.past_grace.join(', ')})` : 'in good standing'),
      { id: 'flag', header: 'Standing' },
    ),
  ];

  return (
    <Page title="Properties and leases">
      <div className="filters form-grid">
        <Field label="Age arrears as of" hint="empty: the latest command's date">
          <input type="date" value={asOf} onChange={(event) => setAsOf(event.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={roll.error} />
      {!r ? (
        roll.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            Rent roll as of {r.as_of}: {money(r.annual_rent_roll_minor, currencies[0] ?? '')} a year at par.
          </p>
          <DataTable
            caption="Rent roll"
            columns={properties as never}
            data={r.properties}
            empty="No property yet."
          />
          <DataTable
            caption="Enterprises"
            columns={enterprises as never}
            data={r.enterprises}
            empty="No enterprises yet."
          />
          {me.kind === 'operator' && summary.data ? (
            <>
              <RunRentCycle onDone={roll.reload} />
              <PayRent enterprises={r.enterprises} currencies={currencies} onDone={roll.reload} />
              <EndLeaseForm
                leased={r.properties.filter((p) => !p.vacant).map((p) => p.property)}
                onDone={roll.reload}
              />
              <LeaseForm
                vacant={r.properties.filter((p) => p.vacant && !p.on_auction_until).map((p) => p.property)}
                enterprises={r.enterprises.map((e) => e.enterprise)}
                currencies={currencies}
                onDone={roll.reload}
              />
              <RequestAcquisitionForm
                enterprises={r.enterprises.map((e) => e.enterprise)}
                currencies={currencies}
                onDone={roll.reload}
              />
              <RegisterPropertyForm
                enterprises={r.enterprises.map((e) => e.enterprise)}
                currency={currencies[0] ?? 'EUR'}
                onDone={roll.reload}
              />
              {summary.data.phase === 'incorporated' ? (
                <SaleLeasebackForm
                  held={r.properties.filter((p) => p.owner !== 'commune').map((p) => p.property)}
                  currencies={currencies}
                  onDone={roll.reload}
                />
              ) : null}
              <FoundEnterpriseForm
                currency={currencies[0] ?? 'EUR'}
                incorporated={summary.data.phase === 'incorporated'}
                onDone={roll.reload}
              />
            </>
          ) : null}
        </>
      )}
    </Page>
  );
}
