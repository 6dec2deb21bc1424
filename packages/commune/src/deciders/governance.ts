/**
 * Governance (venture-commune.md §10): one member, one vote. A proposal
 * carries a governed command; when it closes with quorum and majority the
 * command is carried out under the same rules as any other, so no vote can
 * suspend an invariant.
 */
import type { CommandOf, ProposalPayload } from '../commands.js';
import type { CommuneEvent } from '../events.js';
import { key } from '../queries.js';
import { accept, type Context, checkWindow, type Decision, refuse, requireIncorporated } from './context.js';

export function propose(cmd: CommandOf<'propose'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? checkWindow(ctx, cmd.closes_on);
  if (refused) return refused;
  if (!ctx.state.members.has(cmd.proposer))
    return refuse('NOT_MEMBER', `${cmd.proposer} is not a member; only members propose`);
  if (ctx.state.proposals.has(cmd.proposal))
    return refuse('DUPLICATE', `proposal "${cmd.proposal}" already exists`);
  return accept({
    type: 'proposal-opened',
    date: ctx.date,
    proposal: cmd.proposal,
    proposer: cmd.proposer,
    title: cmd.title,
    payload: cmd.payload,
    closes_on: cmd.closes_on,
  });
}

export function vote(cmd: CommandOf<'vote'>, ctx: Context): Decision {
  const proposal = ctx.state.proposals.get(cmd.proposal);
  if (!proposal) return refuse('NOT_FOUND', `no proposal "${cmd.proposal}"`);
  if (proposal.status !== 'open' || ctx.date > proposal.closes_on) {
    return refuse('PROPOSAL_CLOSED', `voting on ${proposal.id} closed on ${proposal.closes_on}`);
  }
  if (!ctx.state.members.has(cmd.member))
    return refuse('NOT_MEMBER', `${cmd.member} is not a member; only members vote`);
  if (ctx.state.votes.has(key(cmd.proposal, cmd.member))) {
    return refuse('ALREADY_VOTED', `${cmd.member} has voted on ${proposal.id}; one member, one vote`);
  }
  return accept({
    type: 'vote-cast',
    date: ctx.date,
    proposal: proposal.id,
    member: cmd.member,
    choice: cmd.choice,
  });
}

export function closeProposal(
  cmd: CommandOf<'close-proposal'>,
  ctx: Context,
  execute: (payload: ProposalPayload, ctx: Context) => Decision,
): Decision {
  const proposal = ctx.state.proposals.get(cmd.proposal);
  if (!proposal) return refuse('NOT_FOUND', `no proposal "${cmd.proposal}"`);
  if (proposal.status !== 'open') return refuse('PROPOSAL_CLOSED', `${proposal.id} is already closed`);
  if (ctx.date < proposal.closes_on)
    return refuse('PERIOD_OPEN', `voting on ${proposal.id} is open until ${proposal.closes_on}`);
  const members = ctx.state.members.size;
  const cast = proposal.yes + proposal.no + proposal.abstain;
  const bylaws = ctx.state.bylaws;
  const quorum = cast * 10_000 >= bylaws.quorum_bp * members;
  const majority = proposal.yes * 10_000 > bylaws.majority_bp * (proposal.yes + proposal.no);
  const passed = members > 0 && quorum && majority;
  let effects: readonly CommuneEvent[] = [];
  let error: string | null = null;
  if (passed) {
    const outcome = execute(proposal.payload, { ...ctx, proposal: proposal.id });
    if ('rejection' in outcome) error = `${outcome.rejection.code}: ${outcome.rejection.message}`;
    else effects = outcome.events;
  }
  return accept(
    {
      type: 'proposal-closed',
      date: ctx.date,
      proposal: proposal.id,
      passed,
      yes: proposal.yes,
      no: proposal.no,
      abstain: proposal.abstain,
      members,
      executed: passed && error === null,
      execution_error: error,
    },
    ...effects,
  );
}
