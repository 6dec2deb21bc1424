import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { useMe } from '../auth/session.js';
import { EffectiveDateField, today } from '../commune/command.js';
import { EndEmploymentForm } from '../commune/enterprise-forms.js';
import { ApplyForm, ResignForm } from '../commune/membership-forms.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Register = Ok<'/api/commune/members', 'get'>;
type Member = Register['members'][number];
type Eligible = Register['eligible_non_members'][number];
type Former = Register['former_members'][number];
const memberColumn = createColumnHelper<Member>();
const eligibleColumn = createColumnHelper<Eligible>();
const formerColumn = createColumnHelper<Former>();

const hours = (h: number) => h.toLocaleString(undefined, { maximumFractionDigits: 2 });

interface PersonValues {
  person: string;
  name: string;
  enterprise: string;
  effective_date: string;
}

/** Register a person and, optionally, employ them (operators). */
function RegisterPerson({ onDone }: { onDone: () => void }) {
  const command = useCommand('register-person', onDone);
  const form = useForm<PersonValues>({
    defaultValues: { person: '', name: '', enterprise: '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const registered = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/register-person', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              person: values.person.trim(),
              name: values.name.trim(),
            },
          }),
        ),
      (error) => applyIssues(error, form.setError, (p) => (p === 'person' || p === 'name' ? p : undefined)),
    );
    if (registered && values.enterprise.trim()) {
      await command.run(async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/employ', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              person: values.person.trim(),
              enterprise: values.enterprise.trim(),
            },
          }),
        ),
      );
    }
    if (registered) form.reset({ ...values, person: '', name: '' });
  });
  return (
    <Section title="Register a person">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field label="Person id" hint="letters, digits, . _ - (e.g. erin)" error={errors.person?.message}>
          <input {...form.register('person', { required: 'Enter an id' })} />
        </Field>
        <Field label="Full name" error={errors.name?.message}>
          <input {...form.register('name', { required: 'Enter a name' })} />
        </Field>
        <Field label="Employed by (optional)" hint="an enterprise id, e.g. telekommunisten">
          <input {...form.register('enterprise')} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Register person
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Admit an eligible person whose labour meets the threshold (operators). */
function AdmitButton({ person, onDone }: { person: Eligible; onDone: () => void }) {
  const command = useCommand('admit-member', onDone);
  const admit = () =>
    command.run(async (idempotency_key) =>
      unwrap(
        api.POST('/api/commune/admit-member', {
          body: { idempotency_key, effective_date: today(), person: person.person },
        }),
      ),
    );
  return (
    <>
      <button type="button" className="small" onClick={() => void admit()}>
        Admit {person.name}
      </button>
      <ErrorNotice error={command.failure} />
    </>
  );
}

/** The member register, with everyone eligible who is not (yet) a member. */
export function CommuneMembersPage() {
  const me = useMe();
  const register = useLoad(() => unwrap(api.GET('/api/commune/members')), []);
  const r = register.data;
  const operator = me.kind === 'operator';
  // A member sign-in applies or resigns as itself; the applying form stays to show its outcome.
  const [applied, setApplied] = useState(false);
  const isMember = r?.members.some((m) => m.person === me.personId) ?? false;

  const members = [
    memberColumn.accessor('name', { header: 'Name' }),
    memberColumn.accessor('person', { header: 'Id' }),
    memberColumn.accessor('share', { header: 'Share' }),
    memberColumn.accessor('admitted_on', { header: 'Admitted' }),
    memberColumn.accessor('labour_hours', { header: 'Labour (h)', cell: (c) => hours(c.getValue()) }),
  ];
  const eligible = [
    eligibleColumn.accessor('name', { header: 'Name' }),
    eligibleColumn.accessor('person', { header: 'Id' }),
    eligibleColumn.accessor((e) => e.employers.join(', ') || 'the commune', {
      id: 'employers',
      header: 'Works for',
    }),
    eligibleColumn.accessor((e) => `${hours(e.labour_hours)} of ${hours(e.threshold_hours)}`, {
      id: 'labour',
      header: 'Labour (h)',
    }),
    eligibleColumn.accessor((e) => (e.applied_on ? `applied ${e.applied_on}` : 'not applied'), {
      id: 'applied',
      header: 'Application',
    }),
    eligibleColumn.display({
      id: 'actions',
      header: 'Admission',
      cell: (c) =>
        c.row.original.meets_threshold ? (
          operator ? (
            <AdmitButton person={c.row.original} onDone={register.reload} />
          ) : (
            'may be admitted'
          )
        ) : (
          'needs more labour'
        ),
    }),
  ];
  const former = [
    formerColumn.accessor('name', { header: 'Name' }),
    formerColumn.accessor('share', { header: 'Share' }),
    formerColumn.accessor('admitted_on', { header: 'Admitted' }),
    formerColumn.accessor('resigned_on', { header: 'Resigned' }),
  ];

  return (
    <Page title="Members and eligible workers">
      <ErrorNotice error={register.error} />
      {!r ? (
        register.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            One member, one share, earned only by labour: {r.shares_outstanding} shares outstanding. The
            bylaws ask for {hours(r.threshold_hours)} hours of recorded labour; whoever works commune property
            is eligible and cannot be refused.
          </p>
          <DataTable caption="Members" columns={members as never} data={r.members} empty="No members yet." />
          <DataTable
            caption="Eligible, not members"
            columns={eligible as never}
            data={r.eligible_non_members}
            empty="Everyone eligible is a member."
          />
          {r.former_members.length > 0 ? (
            <DataTable caption="Former members" columns={former as never} data={r.former_members} empty="" />
          ) : null}
          {operator || !isMember || applied ? (
            <ApplyForm
              me={me}
              onDone={() => {
                setApplied(true);
                register.reload();
              }}
            />
          ) : null}
          {operator || isMember ? <ResignForm me={me} onDone={register.reload} /> : null}
          {operator ? (
            <>
              <RegisterPerson onDone={register.reload} />
              <EndEmploymentForm onDone={register.reload} />
            </>
          ) : null}
        </>
      )}
    </Page>
  );
}
