import { createColumnHelper } from '@tanstack/react-table';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { api, type Ok, unwrap } from '../api/client.js';
import { type Me, useMe } from '../auth/session.js';
import { EffectiveDateField, today } from '../commune/command.js';
import { ProposeForm } from '../commune/propose-form.js';
import { useCommand } from '../commune/use-command.js';
import { DataTable } from '../components/data-table.js';
import { Field } from '../components/field.js';
import { applyIssues } from '../components/forms.js';
import { percent } from '../components/money.js';
import { ErrorNotice, Loading, StatusNotice } from '../components/notices.js';
import { Page, Section } from '../components/page.js';
import { useLoad } from '../components/use-load.js';

type Governance = Ok<'/api/commune/proposals', 'get'>;
type Proposal = Governance['proposals'][number];
const column = createColumnHelper<Proposal>();

function outcome(p: Proposal): string {
  if (p.status === 'open') return `open until ${p.closes_on}`;
  const verdict = `${p.status} (${p.yes} yes, ${p.no} no, ${p.abstain} abstain of ${p.members_at_close} members)`;
  if (p.status === 'failed') return verdict;
  return p.executed ? `${verdict}; carried out` : `${verdict}; not carried out: ${p.execution_error}`;
}

/** Keeps a form's chosen proposal among the open ones as proposals open and close. */
function useOpenChoice(chosen: string, open: readonly Proposal[], choose: (proposal: string) => void) {
  const first = open[0]?.proposal ?? '';
  const stillOpen = open.some((p) => p.proposal === chosen);
  useEffect(() => {
    if (!stillOpen && chosen !== first) choose(first);
  }, [stillOpen, chosen, first, choose]);
}

interface VoteValues {
  proposal: string;
  member: string;
  choice: 'yes' | 'no' | 'abstain';
  effective_date: string;
}

/** One member, one vote: members vote as themselves, operators record a member's vote. */
function VoteForm({ me, open, onDone }: { me: Me; open: readonly Proposal[]; onDone: () => void }) {
  const command = useCommand('vote', onDone);
  const member = me.kind === 'member';
  const form = useForm<VoteValues>({
    defaultValues: {
      proposal: open[0]?.proposal ?? '',
      member: member ? (me.personId ?? '') : '',
      choice: 'yes',
      effective_date: today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  const chosen = open.find((p) => p.proposal === form.watch('proposal'));
  useOpenChoice(form.watch('proposal'), open, (proposal) => form.setValue('proposal', proposal));
  const submit = form.handleSubmit((values) =>
    command.run(
      async (idempotency_key) =>
        unwrap(
          api.POST('/api/commune/vote', {
            body: {
              idempotency_key,
              effective_date: values.effective_date,
              proposal: values.proposal,
              member: values.member.trim(),
              choice: values.choice,
            },
          }),
        ),
      (error) =>
        applyIssues(error, form.setError, (path) => {
          const name = path.replace(/^body\./, '');
          return name === 'member' || name === 'choice' || name === 'proposal' ? name : undefined;
        }),
    ),
  );
  return (
    <Section title="Vote">
      <form onSubmit={submit} className="form-grid" noValidate>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>Vote cast. {command.done}</StatusNotice> : null}
        <Field
          label="Proposal"
          hint={chosen ? `${chosen.title}; voting closes on ${chosen.closes_on}` : undefined}
          error={errors.proposal?.message}
        >
          <select {...form.register('proposal', { required: 'Choose the proposal' })}>
            {open.map((p) => (
              <option key={p.proposal} value={p.proposal}>
                {p.proposal}: {p.title}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Member"
          hint={member ? 'members vote as themselves' : 'a member id'}
          error={errors.member?.message}
        >
          <input readOnly={member} {...form.register('member', { required: 'Enter the member' })} />
        </Field>
        <fieldset className="checks">
          <legend>Your vote</legend>
          {(['yes', 'no', 'abstain'] as const).map((choice) => (
            <label key={choice}>
              <input type="radio" value={choice} {...form.register('choice')} /> {choice}
            </label>
          ))}
        </fieldset>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting}>
            Cast vote
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Count the votes once voting has closed, and carry out a passed proposal (operators). */
function CloseForm({ open, onDone }: { open: readonly Proposal[]; onDone: () => void }) {
  const command = useCommand('close-proposal', onDone);
  const first = open[0];
  const form = useForm<{ proposal: string; effective_date: string }>({
    defaultValues: {
      proposal: first?.proposal ?? '',
      effective_date: first && first.closes_on > today() ? first.closes_on : today(),
    },
  });
  const { errors, isSubmitting } = form.formState;
  useOpenChoice(form.watch('proposal'), open, (proposal) => form.setValue('proposal', proposal));
  const submit = form.handleSubmit((values) =>
    command.run(async (idempotency_key) =>
      unwrap(
        api.POST('/api/commune/close-proposal', {
          body: { idempotency_key, effective_date: values.effective_date, proposal: values.proposal },
        }),
      ),
    ),
  );
  return (
    <Section title="Close a proposal">
      <form onSubmit={submit} className="form-grid" noValidate>
        <p className="muted form-note">
          On or after its closing date: the votes are counted against the bylaw quorum and majority; a
          proposal that passes is carried out at once, or its refusal is recorded.
        </p>
        <ErrorNotice error={command.failure} />
        {command.done ? <StatusNotice>{command.done}</StatusNotice> : null}
        <Field
          label="Proposal to close"
          hint={open.length === 0 ? 'no proposal is open' : undefined}
          error={errors.proposal?.message}
        >
          <select {...form.register('proposal', { required: 'Choose the proposal' })}>
            {open.map((p) => (
              <option key={p.proposal} value={p.proposal}>
                {p.proposal} (closes {p.closes_on})
              </option>
            ))}
          </select>
        </Field>
        <EffectiveDateField register={form.register} error={errors.effective_date?.message} />
        <div className="form-actions">
          <button type="submit" disabled={isSubmitting || open.length === 0}>
            Count the votes
          </button>
        </div>
      </form>
    </Section>
  );
}

function Bylaws({ g }: { g: Governance }) {
  const b = g.bylaws;
  return (
    <Section title="Bylaws in force">
      <dl className="facts">
        <dt>Labour threshold</dt>
        <dd>{b.labour_threshold_hours} hours</dd>
        <dt>Quorum</dt>
        <dd>
          {percent(b.quorum_bp)} of members ({g.quorum_votes} of {g.members} today)
        </dd>
        <dt>Majority</dt>
        <dd>yes above {percent(b.majority_bp)} of yes and no</dd>
        <dt>Reserve rate</dt>
        <dd>{percent(b.reserve_rate_bp)}</dd>
        <dt>Distribution policy</dt>
        <dd>
          {b.distribution_policy === 'distribute' ? 'distribute the surplus equally' : 'keep the surplus'}
        </dd>
        <dt>Currency cap</dt>
        <dd>{percent(b.rent_backing_ratio_bp)} of the annual rent roll</dd>
        <dt>Grace period</dt>
        <dd>{b.grace_period_days} days</dd>
        <dt>Decided only by vote</dt>
        <dd>{b.votes_required_for.join(', ') || 'nothing'}</dd>
      </dl>
    </Section>
  );
}

/** Governance (§10): the bylaws, proposals and their votes; propose, vote and close. */
export function CommuneGovernancePage() {
  const me = useMe();
  const governance = useLoad(() => unwrap(api.GET('/api/commune/proposals')), []);
  const summary = useLoad(() => unwrap(api.GET('/api/commune')), []);
  const g = governance.data;
  const currencies = summary.data ? [summary.data.outside_currency, summary.data.currency] : ['EUR'];
  const open = g?.proposals.filter((p) => p.status === 'open') ?? [];

  const columns = [
    column.accessor('proposal', { header: 'Proposal' }),
    column.accessor('title', { header: 'Title' }),
    column.accessor('kind', { header: 'Carries out' }),
    column.accessor('proposer', { header: 'Proposer' }),
    column.accessor((p) => `${p.yes} / ${p.no} / ${p.abstain}`, {
      id: 'tally',
      header: 'Yes / no / abstain',
    }),
    column.accessor((p) => p.votes.map((v) => `${v.member}: ${v.choice}`).join(', ') || '—', {
      id: 'votes',
      header: 'Votes cast',
    }),
    column.accessor(outcome, { id: 'outcome', header: 'Outcome' }),
  ];

  return (
    <Page title="Governance">
      <ErrorNotice error={governance.error} />
      {!g ? (
        governance.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            One member, one vote: {g.members} members. A proposal needs {g.quorum_votes} votes cast and a
            majority of yes to pass.
          </p>
          <DataTable
            caption="Proposals"
            columns={columns as never}
            data={g.proposals}
            empty="No proposals yet."
          />
          {open.length > 0 ? <VoteForm me={me} open={open} onDone={governance.reload} /> : null}
          <ProposeForm me={me} currencies={currencies} onDone={governance.reload} />
          {me.kind === 'operator' && g.proposals.length > 0 ? (
            <CloseForm open={open} onDone={governance.reload} />
          ) : null}
          <Bylaws g={g} />
        </>
      )}
    </Page>
  );
}
