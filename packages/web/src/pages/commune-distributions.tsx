import { createColumnHelper } from '@tanstack/react-table';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EffectiveDateField, month, today } from '../commune/command.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { money } from '../components/money.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Distribution = Ok<'/api/commune/distributions', 'get'>[number];
const column = createColumnHelper<Distribution>();

interface PeriodValues {
  period: string;
  effective_date: string;
}

const periodRule = {
  required: 'Enter the month',
  pattern: { value: /^\d{4}-(0[1-9]|1[0-2])$/, message: 'expected YYYY-MM' },
};

/** The two steps that settle a month: pay the bonds due, then distribute the rent (operators). */
function SettleMonth({ onDone }: { onDone: () => void }) {
  const schedule = useCommand('run-bond-schedule', onDone);
  const distribute = useCommand('distribute', onDone);
  const form = useForm<PeriodValues>({ defaultValues: { period: month(-1), effective_date: today() } });
  const { errors, isSubmitting } = form.formState;
  const mapIssues = (error: unknown) =>
    applyIssues(error, form.setError, (p) => (p === 'period' ? p : undefined));
  const runSchedule = form.handleSubmit((values) =>
    schedule.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/run-bond-schedule', {
            body: { idempotency_key, effective_date: values.effective_date, period: values.period },
          }),
        ),
      mapIssues,
    ),
  );
  const runDistribution = form.handleSubmit((values) =>
    distribute.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/distribute', {
            body: { idempotency_key, effective_date: values.effective_date, period: values.period },
          }),
        ),
      mapIssues,
    ),
  );
  return (
    <Section title="Settle a month">
      <form onSubmit={runDistribution} className="form-grid" noValidate>
        <p className="muted form-note">
          First pay the bond coupons and principal that fall due in the month (overdue ones first), then
          distribute its rent: bond service, the reserve, and the rest to every member alike. A month is
          distributed once, after it ends.
        </p>
        <ErrorNotice error={schedule.failure ?? distribute.failure} />
        {schedule.done ? <StatusNotice>Bond schedule: {schedule.done}</StatusNotice> : null}
        {distribute.done ? <StatusNotice>Distribution: {distribute.done}</StatusNotice> : null}
        <Field label="Month" hint="YYYY-MM" error={errors.period?.message}>
          <input {...form.register('period', periodRule)} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button
            type="button"
            className="secondary"
            disabled={isSubmitting}
            onClick={() => void runSchedule()}
          >
            Run the bond schedule
          </button>
          <button type="submit" disabled={isSubmitting}>
            Distribute the month
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Every distribution of rent, with the waterfall's arithmetic. */
export function CommuneDistributionsPage() {
  const me = useMe();
  const history = useLoad(() => unwrap(api.GET('/api/commune/distributions')), []);
  const newest = [...(history.data ?? [])].reverse();
  const columns = [
    column.accessor('period', { header: 'Period' }),
    column.accessor('currency', { header: 'Currency' }),
    column.accessor('date', { header: 'Paid on' }),
    column.accessor((d) => money(d.waterfall.received_minor, d.currency), { id: 'received', header: 'Rent' }),
    column.accessor((d) => money(d.waterfall.bond_service_minor, d.currency), {
      id: 'bonds',
      header: 'Bonds',
    }),
    column.accessor((d) => money(d.waterfall.reserve_minor, d.currency), {
      id: 'reserve',
      header: 'Reserve',
    }),
    column.accessor((d) => d.waterfall.members, { id: 'members', header: 'Members' }),
    column.accessor(
      (d) => (d.waterfall.policy === 'retain' ? 'kept by vote' : money(d.waterfall.each_minor, d.currency)),
      { id: 'each', header: 'Each member' },
    ),
    column.accessor((d) => money(d.waterfall.kept_minor, d.currency), { id: 'kept', header: 'Kept' }),
  ];
  return (
    <Page title="Distributions">
      <p>
        Rent pays bond holders first, then the reserve; what remains belongs to all members equally, to the
        cent. A cent that cannot be split stays in the commune.
      </p>
      <ErrorNotice error={history.error} />
      {!history.data ? (
        history.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <DataTable
            caption="Distribution history"
            columns={columns as never}
            data={newest}
            empty="None yet."
          />
          <Section title="The arithmetic">
            {newest.length === 0 ? <p className="muted">Nothing distributed yet.</p> : null}
            {newest.map((d, index) => (
              <details key={`${d.period}-${d.currency}`} open={index === 0} className="arithmetic">
                <summary>
                  {d.period}, {d.currency}
                </summary>
                <pre>{d.arithmetic.join('\n')}</pre>
              </details>
            ))}
          </Section>
          {me.kind === 'operator' ? <SettleMonth onDone={history.reload} /> : null}
        </>
      )}
    </Page>
  );
}
