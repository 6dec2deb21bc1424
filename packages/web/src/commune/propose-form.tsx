import { useForm } from 'react-hook-form';
import { api, type Body, unwrap } from '../api/client.js';
import type { Me } from '../auth/session.js';
import { ChoiceField, Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { Section } from '../components/page.js';
import { EffectiveDateField, month, today } from './command.js';
import { buildPayload, type ProposalFields, payloadFieldFor, proposalKinds } from './proposal-payload.js';
import { useCommand } from './use-command.js';

type ProposeBody = Body<'/api/commune/propose', 'post'>;

interface ProposeValues extends ProposalFields {
  proposal: string;
  proposer: string;
  title: string;
  closes_on: string;
  effective_date: string;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Put a question to the members (§10): members propose as themselves, operators name the proposer. */
export function ProposeForm({
  me,
  currencies,
  onDone,
}: {
  me: Me;
  currencies: readonly string[];
  onDone: () => void;
}) {
  const command = useCommand('propose', onDone);
  const member = me.kind === 'member';
  const form = useForm<ProposeValues>({
    defaultValues: {
      proposal: '',
      proposer: member ? (me.personId ?? '') : '',
      title: '',
      closes_on: inDays(7),
      effective_date: today(),
      kind: 'amend-bylaws',
      labour_threshold_hours: '',
      reserve_rate: '',
      quorum: '',
      majority: '',
      grace_period_days: '',
      distribution_policy: '',
      period: month(-1),
      policy: 'retain',
      property: '',
      enterprise: '',
      rent: '',
      currency: currencies[0] ?? 'EUR',
      term_months: '',
      property_kind: 'capital',
      description: '',
      cost: '',
      seller: '',
      paid_from: 'treasury',
      buyer: '',
      proceeds: '',
    },
  });
  const { errors, isSubmitting } = form.formState;
  const kind = form.watch('kind');
  const text = (name: keyof ProposeValues, label: string, hint?: string, required?: string) => (
    <Field label={label} hint={hint} error={errors[name]?.message}>
      <input {...form.register(name, required ? { required } : {})} />
    </Field>
  );

  const submit = form.handleSubmit(async (values) => {
    const built = buildPayload(values);
    if (!built.ok) {
      form.setError(built.field, { message: built.message });
      return;
    }
    const proposed = await command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/propose', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              proposal: values.proposal.trim(),
              proposer: values.proposer.trim(),
              title: values.title.trim(),
              closes_on: values.closes_on,
              payload: built.payload as ProposeBody['payload'],
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = path.replace(/^body\./, '');
          if (name === 'proposal' || name === 'proposer' || name === 'title' || name === 'closes_on')
            return name;
          return payloadFieldFor(path);
        }),
    );
    if (proposed) form.reset({ ...values, proposal: '', title: '' });
  });

  return (
    <Section title="Make a proposal">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          One member, one vote. When voting closes the proposal passes with the bylaw quorum and majority, and
          its command is then carried out under the same rules as any other: no vote can suspend an invariant.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Proposal made. {command.done}</StatusNotice> : null}
        {text('proposal', 'Proposal id', 'letters, digits, . _ - (e.g. threshold-400)', 'Enter an id')}
        <Field
          label="Proposer"
          hint={member ? 'members propose as themselves' : 'a member id'}
          error={errors.proposer?.message}
        >
          <input readOnly={member} {...form.register('proposer', { required: 'Enter the proposer' })} />
        </Field>
        {text('title', 'Title', 'what the members decide', 'Enter a title')}
        <Field label="Voting closes on" hint="YYYY-MM-DD" error={errors.closes_on?.message}>
          <input type="date" {...form.register('closes_on', { required: 'Enter the closing date' })} />
        </Field>
        <Field label="Kind of decision">
          <select {...form.register('kind')}>
            {Object.entries(proposalKinds).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {kind === 'amend-bylaws' ? (
          <fieldset className="form-grid">
            <legend>Bylaw changes (empty: unchanged)</legend>
            {text('labour_threshold_hours', 'Labour threshold (hours)', 'e.g. 400')}
            {text('reserve_rate', 'Reserve rate (%)', 'of rent left after bond service, e.g. 10')}
            {text('quorum', 'Quorum (%)', 'of members who must vote, e.g. 50')}
            {text('majority', 'Majority (%)', 'yes must exceed this share of yes and no, e.g. 50')}
            {text('grace_period_days', 'Grace period (days)', 'for property an enterprise holds')}
            <Field label="Distribution policy">
              <select {...form.register('distribution_policy')}>
                <option value="">unchanged</option>
                <option value="distribute">distribute the surplus equally</option>
                <option value="retain">keep the surplus for acquisitions</option>
              </select>
            </Field>
          </fieldset>
        ) : null}
        {kind === 'distribute' ? (
          <fieldset className="form-grid">
            <legend>The month’s surplus</legend>
            {text('period', 'Month', 'YYYY-MM', 'Enter the month')}
            <Field label="Policy">
              <select {...form.register('policy')}>
                <option value="distribute">distribute equally to the members</option>
                <option value="retain">keep for acquisitions</option>
              </select>
            </Field>
          </fieldset>
        ) : null}
        {kind === 'lease' ? (
          <fieldset className="form-grid">
            <legend>The lease</legend>
            {text('property', 'Property', 'a vacant commune property', 'Enter the property')}
            {text('enterprise', 'Enterprise', 'the tenant', 'Enter the enterprise')}
            {text('rent', 'Rent a month', 'in major units, e.g. 230.00', 'Enter the rent')}
            <ChoiceField
              label="Currency"
              error={errors.currency?.message}
              choices={currencies}
              register={form.register('currency')}
            />
            {text('term_months', 'Term (months, optional)', 'empty: open-ended')}
          </fieldset>
        ) : null}
        {kind === 'acquire-property' ? (
          <fieldset className="form-grid">
            <legend>The property</legend>
            {text('property', 'Property', 'a new property id', 'Enter the property')}
            <Field label="Kind">
              <select {...form.register('property_kind')}>
                <option value="capital">capital</option>
                <option value="land">land</option>
              </select>
            </Field>
            {text('description', 'Description', undefined, 'Describe it')}
            {text('cost', 'Cost', 'in major units', 'Enter the cost')}
            {text('seller', 'Seller', undefined, 'Name the seller')}
            <Field label="Paid from">
              <select {...form.register('paid_from')}>
                <option value="treasury">the treasury</option>
                <option value="reserve">the reserve</option>
              </select>
            </Field>
          </fieldset>
        ) : null}
        {kind === 'liquidate-property' ? (
          <fieldset className="form-grid">
            <legend>The sale</legend>
            {text('property', 'Property', 'a vacant commune property', 'Enter the property')}
            {text('buyer', 'Buyer', undefined, 'Name the buyer')}
            {text('proceeds', 'Proceeds', 'in major units', 'Enter the proceeds')}
          </fieldset>
        ) : null}
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Propose
          </button>
        </div>
      </form>
    </Section>
  );
}
