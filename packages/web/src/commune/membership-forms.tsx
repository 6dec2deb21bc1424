import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api, unwrap } from '../api/client.js';
import type { Me } from '../auth/session.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Section } from '../components/page.js';
import { type CommandOutcome, EffectiveDateField, today } from './command.js';
import { useCommand } from './use-command.js';

interface PersonValues {
  person: string;
  effective_date: string;
}

const personField = (path: string) => (path.replace(/^body\./, '') === 'person' ? 'person' : undefined);

/** Whether an accepted `apply` also admitted the applicant (the threshold was met). */
function admitted(outcome: CommandOutcome | undefined): boolean {
  return outcome?.status === 'accepted' && outcome.events.some((e) => e.type === 'member-admitted');
}

/**
 * Apply for membership (§3.4, §8): whoever works commune property may; an
 * applicant who meets the labour threshold is admitted at once, and one who
 * does not yet is admitted as soon as their labour does. Members (and
 * people with a member sign-in) apply as themselves; operators for anyone.
 */
export function ApplyForm({ me, onDone }: { me: Me; onDone: () => void }) {
  const command = useCommand('apply', onDone);
  const self = me.kind === 'member';
  const [wasAdmitted, setAdmitted] = useState(false);
  const form = useForm<PersonValues>({
    defaultValues: { person: self ? (me.personId ?? '') : '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const outcome = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/apply', {
            body: { idempotency_key, effective_date: values.effective_date, person: values.person.trim() },
          }),
        ),
      (error) => applyIssues(error, form.setError, personField),
    );
    setAdmitted(admitted(outcome));
  });
  return (
    <Section title="Apply for membership">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          Open to whoever works commune property. With enough recorded labour the share is issued at once;
          otherwise as soon as the labour meets the threshold. Nobody can refuse an eligible applicant.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? (
          <StatusNotice>
            {wasAdmitted ? 'Admitted: one member, one share.' : 'Application filed.'} {command.done}
          </StatusNotice>
        ) : null}
        <Field
          label="Applicant"
          hint={self ? 'you apply as yourself' : 'a registered person id'}
          error={errors.person?.message}
        >
          <input readOnly={self} {...form.register('person', { required: 'Enter the person' })} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Apply
          </button>
        </div>
      </form>
    </Section>
  );
}

/**
 * Resign (§8): the share is cancelled, nothing is paid for it, and the
 * person may apply again later under the same rules. Asks first.
 */
export function ResignForm({ me, onDone }: { me: Me; onDone: () => void }) {
  const command = useCommand('resign', onDone);
  const self = me.kind === 'member';
  const form = useForm<PersonValues>({
    defaultValues: { person: self ? (me.personId ?? '') : '', effective_date: today() },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const person = values.person.trim();
    if (!window.confirm(`Resign ${person}'s membership? The share is cancelled; nothing is paid for it.`))
      return;
    await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/resign', {
            body: { idempotency_key, effective_date: values.effective_date, person },
          }),
        ),
      (error) => applyIssues(error, form.setError, personField),
    );
  });
  return (
    <Section title="Resign">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          The share is cancelled, never sold or handed on; a former member may apply again later.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Resigned. {command.done}</StatusNotice> : null}
        <Field
          label="Member resigning"
          hint={self ? 'you resign as yourself' : 'a member id'}
          error={errors.person?.message}
        >
          <input readOnly={self} {...form.register('person', { required: 'Enter the member' })} />
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" className="danger" disabled={isSubmitting}>
            Resign
          </button>
        </div>
      </form>
    </Section>
  );
}
