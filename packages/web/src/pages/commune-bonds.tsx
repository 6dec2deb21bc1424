import { createColumnHelper } from '@tanstack/react-table';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EffectiveDateField, today } from '../commune/command.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { money, parseMajor, parsePercent, percent } from '../components/money.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

export type BondRegister = Ok<'/api/commune/bonds', 'get'>;
export type Series = BondRegister['series'][number];
const seriesColumn = createColumnHelper<Series>();
const runColumn = createColumnHelper<BondRegister['runs'][number]>();

export const couponsPerYear: Record<number, string> = {
  1: 'yearly',
  2: 'half-yearly',
  4: 'quarterly',
  12: 'monthly',
};

export function seriesStatus(s: Series): string {
  if (s.status === 'auction') return `auction, bids sealed until ${s.closes_on ?? '—'}`;
  if (s.in_default) return `${s.status}, IN DEFAULT`;
  return s.status;
}

interface IssueValues {
  series: string;
  purpose: string;
  request: string;
  face: string;
  quantity: number;
  term_months: number;
  coupon_frequency: string;
  closes_on: string;
  cap: string;
  effective_date: string;
}

/** Open a bond series for auction (operators; by vote where the bylaws say so). */
function IssueBonds({ currency, onDone }: { currency: string; onDone: () => void }) {
  const command = useCommand('issue-bonds', onDone);
  const form = useForm<IssueValues>({
    defaultValues: {
      series: '',
      purpose: '',
      request: '',
      face: '100.00',
      quantity: 60,
      term_months: 36,
      coupon_frequency: '4',
      closes_on: today(),
      cap: '',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const face = parseMajor(values.face);
    if (!face.ok) return form.setError('face', { message: face.message });
    const cap = values.cap.trim() ? parsePercent(values.cap) : undefined;
    if (cap && !cap.ok) return form.setError('cap', { message: cap.message });
    const issued = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/issue-bonds', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              series: values.series.trim(),
              purpose: values.purpose.trim(),
              ...(values.request.trim() ? { request: values.request.trim() } : {}),
              face_minor: face.minor,
              quantity: values.quantity,
              term_months: values.term_months,
              coupon_frequency: Number(values.coupon_frequency) as 1 | 2 | 4 | 12,
              closes_on: values.closes_on,
              ...(cap?.ok ? { per_bidder_cap_bp: cap.bp } : {}),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (p) =>
          p === 'face_minor'
            ? 'face'
            : p === 'per_bidder_cap_bp'
              ? 'cap'
              : (['series', 'purpose', 'request', 'quantity', 'term_months', 'closes_on'] as const).find(
                  (k) => k === p,
                ),
        ),
    );
    if (issued) form.reset({ ...values, series: '', purpose: '', request: '' });
  });
  return (
    <Section title="Open a series for auction">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field label="Series id" error={errors.series?.message}>
          <input {...form.register('series', { required: 'Enter an id' })} />
        </Field>
        <Field label="Purpose" error={errors.purpose?.message}>
          <input {...form.register('purpose', { required: 'Say what it finances' })} />
        </Field>
        <Field
          label="Acquisition request (optional)"
          hint="the property bought when it clears"
          error={errors.request?.message}
        >
          <input {...form.register('request')} />
        </Field>
        <Field label={`Face value per bond (${currency})`} error={errors.face?.message}>
          <input inputMode="decimal" {...form.register('face', { required: 'Enter the face value' })} />
        </Field>
        <Field label="Bonds offered" error={errors.quantity?.message}>
          <input type="number" min={1} {...form.register('quantity', { valueAsNumber: true })} />
        </Field>
        <Field label="Term (months)" error={errors.term_months?.message}>
          <input type="number" min={1} {...form.register('term_months', { valueAsNumber: true })} />
        </Field>
        <Field label="Coupons">
          <select {...form.register('coupon_frequency')}>
            {Object.entries(couponsPerYear).map(([n, label]) => (
              <option key={n} value={n}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Bids sealed until" error={errors.closes_on?.message}>
          <input type="date" {...form.register('closes_on', { required: 'Enter the closing date' })} />
        </Field>
        <Field label="Most one bidder may get (%)" hint="optional, e.g. 50" error={errors.cap?.message}>
          <input inputMode="decimal" {...form.register('cap')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Open the auction
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Bond series: auctions open and closed, what is owed to holders, and bond schedule runs. */
export function CommuneBondsPage() {
  const me = useMe();
  const bonds = useLoad(() => unwrap(api.GET('/api/commune/bonds')), []);
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const b = bonds.data;
  const currency = summary.data?.outside_currency ?? 'EUR';
  const series = [
    seriesColumn.accessor('series', {
      header: 'Series',
      cell: (c) => <Link to={`/commune/bonds/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link>,
    }),
    seriesColumn.accessor('purpose', { header: 'Purpose' }),
    seriesColumn.accessor((s) => seriesStatus(s), { id: 'status', header: 'Status' }),
    seriesColumn.accessor((s) => `${s.quantity} × ${money(s.face_minor, currency)}`, {
      id: 'size',
      header: 'Size',
    }),
    seriesColumn.accessor((s) => (s.coupon_bp === null ? '—' : percent(s.coupon_bp)), {
      id: 'coupon',
      header: 'Coupon',
    }),
    seriesColumn.accessor((s) => `${s.term_months} months, ${couponsPerYear[s.coupon_frequency] ?? ''}`, {
      id: 'term',
      header: 'Term',
    }),
    seriesColumn.accessor((s) => (s.status === 'auction' ? `${s.sealed_bids} sealed` : (s.maturity ?? '—')), {
      id: 'bids',
      header: 'Bids / matures',
    }),
  ];
  const runs = [
    runColumn.accessor('period', { header: 'Period' }),
    runColumn.accessor('run_on', { header: 'Run on' }),
    runColumn.accessor((r) => money(r.due_minor, currency), { id: 'due', header: 'Due' }),
    runColumn.accessor((r) => money(r.paid_minor, currency), { id: 'paid', header: 'Paid' }),
    runColumn.accessor((r) => money(r.missed_minor, currency), { id: 'missed', header: 'Missed' }),
  ];
  return (
    <Page title="Bonds and auctions">
      <ErrorNotice error={bonds.error} />
      {!b ? (
        bonds.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            Outsiders may lend, never own. Series are sold by uniform-price auction: bids are accepted from
            the lowest yield up until the series is filled, and every accepted bid gets the highest accepted
            yield. Principal outstanding: {money(b.outstanding_principal_minor, currency)}; overdue:{' '}
            {money(b.overdue_minor, currency)}.
          </p>
          <DataTable
            caption="Bond series"
            columns={series as never}
            data={b.series}
            empty="No bonds issued."
          />
          <DataTable
            caption="Bond schedule runs"
            columns={runs as never}
            data={b.runs}
            empty="The bond schedule has not run yet."
          />
          {me.kind === 'operator' ? <IssueBonds currency={currency} onDone={bonds.reload} /> : null}
        </>
      )}
    </Page>
  );
}
