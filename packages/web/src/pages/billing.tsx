import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useParams } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { month } from '../commune/command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Statement = Ok<'/api/tenants/{tenantId}/statements/{period}', 'get'>;
type Suspension = Ok<'/api/tenants/{tenantId}/fraud', 'get'>['suspensions'][number];
type Tenant = Ok<'/api/tenants/{tenantId}', 'get'>;
type Fraud = NonNullable<Tenant['fraud']>;
const destinationColumn = createColumnHelper<Statement['byDestination'][number]>();
const entryColumn = createColumnHelper<Statement['entries'][number]>();
const suspensionColumn = createColumnHelper<Suspension>();

interface EntryValues {
  kind: 'topup' | 'payment' | 'adjustment';
  amount: string;
  note: string;
}

function BalanceEntry({
  tenantId,
  currency,
  onDone,
}: {
  tenantId: string;
  currency: string;
  onDone: () => void;
}) {
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const form = useForm<EntryValues>({ defaultValues: { kind: 'topup', amount: '', note: '' } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setFailure(undefined);
    setDone(undefined);
    try {
      const entry = await unwrap(
        api.POST('/api/tenants/{tenantId}/balance/entries', {
          params: { path: { tenantId } },
          body: { kind: values.kind, amount: values.amount.trim(), note: values.note.trim() },
        }),
      );
      setDone(`Recorded. The balance is now ${entry.balance} ${currency}.`);
      form.reset({ ...values, amount: '', note: '' });
      onDone();
    } catch (error) {
      setFailure(applyIssues(error, form.setError, (p) => (p === 'amount' || p === 'note' ? p : undefined)));
    }
  });
  return (
    <Section title="Credit or debit the balance">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={failure} />
        {done ? <StatusNotice>{done}</StatusNotice> : null}
        <Field label="Kind">
          <select {...form.register('kind')}>
            <option value="topup">Top-up</option>
            <option value="payment">Payment received</option>
            <option value="adjustment">Adjustment (may be negative)</option>
          </select>
        </Field>
        <Field label={`Amount (${currency})`} hint="e.g. 25.00" error={errors.amount?.message}>
          <input inputMode="decimal" {...form.register('amount', { required: 'Enter the amount' })} />
        </Field>
        <Field label="Note" hint="e.g. bank transfer 2025-06-03" error={errors.note?.message}>
          <input {...form.register('note', { required: 'Say what it is' })} />
        </Field>
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Record entry
          </button>
        </div>
      </form>
    </Section>
  );
}

function StatementView({ tenantId }: { tenantId: string }) {
  const [period, setPeriod] = useState(month());
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const statement = useLoad(
    async () =>
      valid
        ? unwrap(
            api.GET('/api/tenants/{tenantId}/statements/{period}', {
              params: { path: { tenantId, period } },
            }),
          )
        : undefined,
    [tenantId, period],
  );
  const s = statement.data;
  const destinations = [
    destinationColumn.accessor('destination', { header: 'Destination' }),
    destinationColumn.accessor('calls', { header: 'Calls' }),
    destinationColumn.accessor('billableSeconds', { header: 'Billed (s)' }),
    destinationColumn.accessor('price', { header: 'Price' }),
  ];
  const entries = [
    entryColumn.accessor((e) => new Date(e.at).toLocaleString(), { id: 'at', header: 'When' }),
    entryColumn.accessor('kind', { header: 'Kind' }),
    entryColumn.accessor('amount', { header: 'Amount' }),
    entryColumn.accessor('note', { header: 'Note' }),
  ];
  return (
    <Section title="Monthly statement">
      <div className="form-grid">
        <Field label="Month" hint="YYYY-MM (UTC)" error={valid ? undefined : 'expected YYYY-MM'}>
          <input type="month" value={period} onChange={(event) => setPeriod(event.target.value)} />
        </Field>
        {valid ? (
          <div className="field">
            <a
              className="button secondary"
              href={`/api/tenants/${tenantId}/statements/${period}/csv`}
              download
            >
              Download CSV
            </a>
          </div>
        ) : null}
      </div>
      <ErrorNotice error={statement.error} />
      {s ? (
        <>
          <dl className="facts">
            <dt>Opening balance</dt>
            <dd>
              {s.openingBalance} {s.currency}
            </dd>
            <dt>Calls</dt>
            <dd>
              {s.callCount} calls, {s.billableSeconds} s billed: {s.callCharges} {s.currency} (invoiced{' '}
              {s.invoiced})
            </dd>
            <dt>Credits</dt>
            <dd>
              {s.credits} {s.currency}
            </dd>
            <dt>Closing balance</dt>
            <dd>
              {s.closingBalance} {s.currency}
            </dd>
          </dl>
          <DataTable
            caption="Calls by destination"
            columns={destinations as never}
            data={s.byDestination}
            empty="No outside calls this month."
          />
          <DataTable
            caption="Balance entries"
            columns={entries as never}
            data={s.entries}
            empty="No entries."
          />
        </>
      ) : statement.loading ? (
        <Loading />
      ) : null}
    </Section>
  );
}

interface LimitValues {
  maxConcurrentCalls: string;
  maxSpendPerDay: string;
  extensionConcurrent: string;
  extensionSpend: string;
  blockedPrefixes: string;
}

function limitsOf(f: Fraud | undefined): LimitValues {
  return {
    maxConcurrentCalls: f?.maxConcurrentCalls?.toString() ?? '',
    maxSpendPerDay: f?.maxSpendPerDay ?? '',
    extensionConcurrent: f?.perExtension?.maxConcurrentCalls?.toString() ?? '',
    extensionSpend: f?.perExtension?.maxSpendPerDay ?? '',
    blockedPrefixes: f?.blockedPrefixes?.join(', ') ?? '',
  };
}

/** The tenant's fraud limits; saving stores the tenant with the new limits (operators). */
function FraudLimits({
  tenant,
  editable,
  onSaved,
}: {
  tenant: Tenant;
  editable: boolean;
  onSaved: () => void;
}) {
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const form = useForm<LimitValues>({ defaultValues: limitsOf(tenant.fraud) });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (v) => {
    setFailure(undefined);
    setDone(false);
    const {
      maxConcurrentCalls: _c,
      maxSpendPerDay: _s,
      perExtension: oldPerExtension,
      blockedPrefixes: _p,
      ...otherFraud
    } = tenant.fraud ?? {};
    const { maxConcurrentCalls: _ec, maxSpendPerDay: _es, ...otherPerExtension } = oldPerExtension ?? {};
    const perExtension = {
      ...otherPerExtension,
      ...(v.extensionConcurrent.trim() ? { maxConcurrentCalls: Number(v.extensionConcurrent) } : {}),
      ...(v.extensionSpend.trim() ? { maxSpendPerDay: v.extensionSpend.trim() } : {}),
    };
    const prefixes = v.blockedPrefixes
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    const fraud: Fraud = {
      ...otherFraud,
      ...(v.maxConcurrentCalls.trim() ? { maxConcurrentCalls: Number(v.maxConcurrentCalls) } : {}),
      ...(v.maxSpendPerDay.trim() ? { maxSpendPerDay: v.maxSpendPerDay.trim() } : {}),
      ...(Object.keys(perExtension).length > 0 ? { perExtension } : {}),
      ...(prefixes.length > 0 ? { blockedPrefixes: prefixes } : {}),
    };
    try {
      const { id, ...body } = tenant;
      await unwrap(
        api.PUT('/api/tenants/{tenantId}', {
          params: { path: { tenantId: id } },
          body: { ...body, fraud },
        }),
      );
      setDone(true);
      onSaved();
    } catch (error) {
      setFailure(
        applyIssues(error, form.setError, (path) => {
          if (path.includes('perExtension'))
            return path.endsWith('maxConcurrentCalls') ? 'extensionConcurrent' : 'extensionSpend';
          if (path.includes('blockedPrefixes')) return 'blockedPrefixes';
          if (path.endsWith('maxConcurrentCalls')) return 'maxConcurrentCalls';
          if (path.endsWith('maxSpendPerDay')) return 'maxSpendPerDay';
          return undefined;
        }),
      );
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <ErrorNotice error={failure} />
      {done ? <StatusNotice>Limits saved.</StatusNotice> : null}
      <fieldset className="form-grid" disabled={!editable}>
        <legend>Limits on outside calls</legend>
        <Field
          label="Calls at once, whole tenant"
          hint="empty: 10"
          error={errors.maxConcurrentCalls?.message}
        >
          <input inputMode="numeric" {...form.register('maxConcurrentCalls')} />
        </Field>
        <Field label="Spend per day, whole tenant" hint="empty: 50.00" error={errors.maxSpendPerDay?.message}>
          <input inputMode="decimal" {...form.register('maxSpendPerDay')} />
        </Field>
        <Field
          label="Calls at once, per extension"
          hint="empty: 2"
          error={errors.extensionConcurrent?.message}
        >
          <input inputMode="numeric" {...form.register('extensionConcurrent')} />
        </Field>
        <Field
          label="Spend per day, per extension"
          hint="empty: 20.00"
          error={errors.extensionSpend?.message}
        >
          <input inputMode="decimal" {...form.register('extensionSpend')} />
        </Field>
        <Field
          label="Blocked prefixes"
          hint="E.164, comma separated, e.g. +53, +4990"
          error={errors.blockedPrefixes?.message}
        >
          <input {...form.register('blockedPrefixes')} />
        </Field>
      </fieldset>
      {editable ? (
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Save limits
          </button>
        </div>
      ) : null}
    </form>
  );
}

/** A tenant's balance, statements and fraud guard: suspensions, today's usage and limits. */
export function BillingPage() {
  const me = useMe();
  const operator = me.kind === 'operator';
  const { tenantId = '' } = useParams();
  const path = { params: { path: { tenantId } } };
  const balance = useLoad(() => unwrap(api.GET('/api/tenants/{tenantId}/balance', path)), [tenantId]);
  const fraud = useLoad(() => unwrap(api.GET('/api/tenants/{tenantId}/fraud', path)), [tenantId]);
  const tenant = useLoad(() => unwrap(api.GET('/api/tenants/{tenantId}', path)), [tenantId]);
  const [failure, setFailure] = useState<unknown>(undefined);

  const lift = async (s: Suspension) => {
    setFailure(undefined);
    try {
      await unwrap(
        api.DELETE('/api/tenants/{tenantId}/fraud/suspensions', {
          params: { path: { tenantId }, query: s.extension ? { extension: s.extension } : {} },
        }),
      );
      fraud.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  const suspensions = [
    suspensionColumn.accessor((s) => (s.extension ? `extension ${s.extension}` : 'the whole tenant'), {
      id: 'scope',
      header: 'Suspended',
    }),
    suspensionColumn.accessor('reason', { header: 'Why' }),
    suspensionColumn.accessor((s) => new Date(s.since).toLocaleString(), { id: 'since', header: 'Since' }),
    ...(operator
      ? [
          suspensionColumn.display({
            id: 'lift',
            header: 'Action',
            cell: (c) => (
              <button type="button" className="small" onClick={() => void lift(c.row.original)}>
                Lift{' '}
                {c.row.original.extension ? `suspension of ${c.row.original.extension}` : 'tenant suspension'}
              </button>
            ),
          }),
        ]
      : []),
  ];
  const b = balance.data;
  return (
    <Page title={`Billing and fraud guard of ${tenantId}`}>
      <ErrorNotice error={balance.error ?? failure} />
      {b ? (
        <ul className="figures" aria-label="Balance">
          <li className="figure">
            <span className="figure-label">Balance</span>
            <span className="figure-value">
              {b.balance} {b.currency}
            </span>
          </li>
          <li className="figure">
            <span className="figure-label">Billing</span>
            <span className="figure-value">
              {b.mode}
              {b.creditLimit ? `, credit ${b.creditLimit}` : ''}
            </span>
          </li>
          <li className="figure">
            <span className="figure-label">Outside calls</span>
            <span className="figure-value">{b.canCall ? 'allowed' : 'BLOCKED (no credit)'}</span>
          </li>
          {fraud.data ? (
            <li className="figure">
              <span className="figure-label">Today</span>
              <span className="figure-value">
                {fraud.data.concurrentCalls} calls now, {fraud.data.spentToday} spent
              </span>
            </li>
          ) : null}
        </ul>
      ) : balance.error ? null : (
        <Loading />
      )}
      {operator && b ? (
        <BalanceEntry tenantId={tenantId} currency={b.currency} onDone={balance.reload} />
      ) : null}
      <Section title="Fraud guard">
        <ErrorNotice error={fraud.error ?? tenant.error} />
        {fraud.data ? (
          <DataTable
            caption="Suspensions"
            columns={suspensions as never}
            data={fraud.data.suspensions}
            empty="Nothing is suspended."
          />
        ) : null}
        {tenant.data ? (
          <FraudLimits key={tenantId} tenant={tenant.data} editable={operator} onSaved={tenant.reload} />
        ) : null}
      </Section>
      <StatementView tenantId={tenantId} />
    </Page>
  );
}
