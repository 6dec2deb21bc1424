import { createColumnHelper } from '@tanstack/react-table';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EffectiveDateField, today } from '../commune/command.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Report = Ok<'/api/commune/labour', 'get'>;
type Person = Report['people'][number];
type LabourRecord = Report['records'][number];
const personColumn = createColumnHelper<Person>();
const recordColumn = createColumnHelper<LabourRecord>();

const hours = (h: number) =>
  h.toLocaleString(undefined, { minimumFractionDigits: 0, maximumFractionDigits: 2 });

interface LabourValues {
  person: string;
  enterprise: string;
  hours: string;
  note: string;
  effective_date: string;
}

function RecordLabour({ people, onDone }: { people: readonly Person[]; onDone: () => void }) {
  const command = useCommand('record-labour', onDone);
  const peopleList = useId();
  const form = useForm<LabourValues>({
    defaultValues: { person: '', enterprise: '', hours: '', note: '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const person = people.find((p) => p.person === form.watch('person').trim());
  const submit = form.handleSubmit(async (values) => {
    const recorded = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/record-labour', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              person: values.person.trim(),
              ...(values.enterprise.trim() ? { enterprise: values.enterprise.trim() } : { enterprise: null }),
              hours: Number(values.hours),
              ...(values.note.trim() ? { note: values.note.trim() } : {}),
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (p) =>
          (['person', 'enterprise', 'hours', 'note'] as const).find((k) => k === p),
        ),
    );
    if (recorded) form.reset({ ...values, hours: '', note: '' });
  });
  return (
    <Section title="Record labour">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field
          label="Person"
          hint={person ? person.name : 'a registered person id'}
          error={errors.person?.message}
        >
          <input
            list={peopleList}
            autoComplete="off"
            {...form.register('person', { required: 'Enter a person' })}
          />
        </Field>
        <datalist id={peopleList}>
          {people.map((p) => (
            <option key={p.person} value={p.person}>
              {p.name}
            </option>
          ))}
        </datalist>
        <Field
          label="For enterprise"
          hint={
            person?.employers.length
              ? `works for ${person.employers.join(', ')}; empty: for the commune directly`
              : 'empty: for the commune directly'
          }
          error={errors.enterprise?.message}
        >
          <input {...form.register('enterprise')} />
        </Field>
        <Field label="Hours" hint="up to 744, at most two decimals (7.5)" error={errors.hours?.message}>
          <input
            inputMode="decimal"
            {...form.register('hours', {
              required: 'Enter the hours',
              pattern: { value: /^\d{1,3}(\.\d{1,2})?$/, message: 'expected hours such as 7.5' },
            })}
          />
        </Field>
        <Field label="Note (optional)" error={errors.note?.message}>
          <input {...form.register('note')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Record labour
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Everyone's recorded labour against the threshold, and the latest labour records. */
export function CommuneLabourPage() {
  const me = useMe();
  const report = useLoad(
    () => unwrap(api.GET('/api/commune/labour', { params: { query: { limit: 200 } } })),
    [],
  );
  const r = report.data;
  const people = [
    personColumn.accessor('name', { header: 'Name' }),
    personColumn.accessor('person', { header: 'Id' }),
    personColumn.accessor((p) => (p.member ? 'member' : '—'), { id: 'member', header: 'Member' }),
    personColumn.accessor((p) => p.employers.join(', ') || '—', { id: 'employers', header: 'Works for' }),
    personColumn.accessor('labour_hours', { header: 'Labour (h)', cell: (c) => hours(c.getValue()) }),
    personColumn.accessor('records', { header: 'Records' }),
    personColumn.accessor((p) => p.last_on ?? '—', { id: 'last', header: 'Last recorded' }),
  ];
  const records = [
    recordColumn.accessor('date', { header: 'Date' }),
    recordColumn.accessor('person', { header: 'Person' }),
    recordColumn.accessor((r) => r.enterprise ?? 'the commune', { id: 'enterprise', header: 'For' }),
    recordColumn.accessor('hours', { header: 'Hours', cell: (c) => hours(c.getValue()) }),
    recordColumn.accessor((r) => r.note ?? '', { id: 'note', header: 'Note' }),
    recordColumn.accessor('seq', { header: 'Log entry' }),
  ];
  return (
    <Page title="Labour records">
      <ErrorNotice error={report.error} />
      {!r ? (
        report.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            Only labour earns ownership. Membership needs {hours(r.threshold_hours)} recorded hours; an
            applicant who reaches it is admitted at once.
          </p>
          <DataTable
            caption="People and their labour"
            columns={people as never}
            data={r.people}
            empty="Nobody yet."
          />
          <DataTable
            caption="Latest labour records"
            columns={records as never}
            data={r.records}
            empty="No labour recorded yet."
          />
          {r.more > 0 ? <p className="muted">{r.more} older records are not shown.</p> : null}
          {me.kind === 'operator' ? <RecordLabour people={r.people} onDone={report.reload} /> : null}
        </>
      )}
    </Page>
  );
}
