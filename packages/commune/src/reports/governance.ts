/**
 * Governance (venture-commune.md §10, §12): the bylaws in force, and every
 * proposal with its tally and the votes cast (one member, one vote; the log
 * the members read holds the same votes).
 */
import type { Bylaws } from '../bylaws.js';
import type { ProposalPayload } from '../commands.js';
import type { IsoDate } from '../dates.js';
import type { CommuneState } from '../state.js';

export type VoteChoice = 'yes' | 'no' | 'abstain';

export interface ProposalRow {
  readonly proposal: string;
  readonly title: string;
  readonly proposer: string;
  /** The command the proposal carries out if it passes. */
  readonly kind: ProposalPayload['type'];
  readonly payload: ProposalPayload;
  readonly opened_on: IsoDate;
  readonly closes_on: IsoDate;
  readonly status: 'open' | 'passed' | 'failed';
  readonly yes: number;
  readonly no: number;
  readonly abstain: number;
  /** Members when it closed (the quorum's base); null while open. */
  readonly members_at_close: number | null;
  readonly executed: boolean;
  readonly execution_error: string | null;
  /** Votes cast, by member id. */
  readonly votes: readonly { readonly member: string; readonly choice: VoteChoice }[];
}

export interface GovernanceReport {
  readonly as_of: IsoDate | null;
  readonly members: number;
  /** Votes a proposal needs cast to be quorate, with today's membership. */
  readonly quorum_votes: number;
  readonly bylaws: Bylaws;
  /** Newest first. */
  readonly proposals: readonly ProposalRow[];
}

export function governanceReport(state: CommuneState): GovernanceReport {
  const votes = new Map<string, { member: string; choice: VoteChoice }[]>();
  for (const [key, choice] of state.votes.entries()) {
    // Keys are `proposal member`; ids have no spaces (schema-primitives `id`).
    const [proposal = '', member = ''] = key.split(' ');
    const list = votes.get(proposal) ?? [];
    list.push({ member, choice });
    votes.set(proposal, list);
  }
  const proposals = [...state.proposals.values()]
    .sort((a, b) =>
      a.opened_on !== b.opened_on ? (a.opened_on < b.opened_on ? 1 : -1) : a.id < b.id ? -1 : 1,
    )
    .map(
      (p): ProposalRow => ({
        proposal: p.id,
        title: p.title,
        proposer: p.proposer,
        kind: p.payload.type,
        payload: p.payload,
        opened_on: p.opened_on,
        closes_on: p.closes_on,
        status: p.status,
        yes: p.yes,
        no: p.no,
        abstain: p.abstain,
        members_at_close: p.members_at_close,
        executed: p.executed,
        execution_error: p.execution_error,
        votes: (votes.get(p.id) ?? []).sort((a, b) => (a.member < b.member ? -1 : 1)),
      }),
    );
  const members = state.members.size;
  return {
    as_of: state.meta.value.last_date,
    members,
    quorum_votes: Math.ceil((state.bylaws.quorum_bp * members) / 10_000),
    bylaws: state.bylaws,
    proposals,
  };
}
