/**
 * Membership (venture-commune.md §3.1, §3.3, §3.4, §8): a share is earned by
 * labour alone, one per member; an eligible applicant who meets the threshold
 * is admitted, and nothing can refuse them.
 */
import { fromCentihours } from '../bylaws.js';
import type { CommandOf } from '../commands.js';
import type { MemberAdmitted } from '../events.js';
import { limits } from '../limits.js';
import { isEligible, labourCentihours, meetsThreshold, thresholdCentihours } from '../queries.js';
import {
  accept,
  type Context,
  type Decision,
  findPerson,
  isRefused,
  refuse,
  requireIncorporated,
} from './context.js';

export function admission(ctx: Context, person: string, via: MemberAdmitted['via']): MemberAdmitted {
  return {
    type: 'member-admitted',
    date: ctx.date,
    person,
    share: ctx.ids.next('share'),
    labour_centihours: labourCentihours(ctx.state, person),
    threshold_centihours: thresholdCentihours(ctx.state),
    via,
  };
}

function checkAdmissible(ctx: Context, person: string): Decision | null {
  const found = findPerson(ctx, person);
  if (isRefused(found)) return found;
  if (ctx.state.members.has(person))
    return refuse('ALREADY_MEMBER', `${person} already holds a share; a member holds exactly one`);
  if (!isEligible(ctx.state, person)) {
    return refuse(
      'NOT_ELIGIBLE',
      `${person} is not eligible: membership is open to those whose labour works commune property (employed by a leasing enterprise, or working for the commune)`,
    );
  }
  if (ctx.state.members.size >= limits.members)
    return refuse('INVALID', `the commune has reached ${limits.members} members`);
  return null;
}

export function apply(cmd: CommandOf<'apply'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? checkAdmissible(ctx, cmd.person);
  if (refused) return refused;
  if (ctx.state.applications.has(cmd.person)) {
    return refuse(
      'DUPLICATE',
      `${cmd.person} has already applied; they are admitted once their labour meets the threshold`,
    );
  }
  const filed = { type: 'application-filed', date: ctx.date, person: cmd.person } as const;
  if (!meetsThreshold(ctx.state, cmd.person)) return accept(filed);
  return accept(filed, admission(ctx, cmd.person, 'application'));
}

export function admitMember(cmd: CommandOf<'admit-member'>, ctx: Context): Decision {
  const refused = requireIncorporated(ctx) ?? checkAdmissible(ctx, cmd.person);
  if (refused) return refused;
  if (!meetsThreshold(ctx.state, cmd.person)) {
    return refuse(
      'INSUFFICIENT_LABOUR',
      `${cmd.person} has recorded ${fromCentihours(labourCentihours(ctx.state, cmd.person))} hours; the bylaws require ${ctx.state.bylaws.labour_threshold_hours}`,
    );
  }
  return accept(admission(ctx, cmd.person, 'admission'));
}

export function resign(cmd: CommandOf<'resign'>, ctx: Context): Decision {
  const person = findPerson(ctx, cmd.person);
  if (isRefused(person)) return person;
  const share = ctx.state.members.get(cmd.person);
  if (share === undefined) return refuse('NOT_MEMBER', `${cmd.person} is not a member`);
  return accept({ type: 'member-resigned', date: ctx.date, person: cmd.person, share });
}

/**
 * Applicants who qualify now are admitted now (§3.4): run after every
 * command, so no sequence of commands can leave a qualified applicant out.
 */
export function pendingAdmissions(ctx: Context): MemberAdmitted[] {
  const { state } = ctx;
  if (state.applications.size === 0 || state.meta.value.phase !== 'incorporated') return [];
  const pending = [...state.applications.values()].sort((a, b) =>
    a.filed_on < b.filed_on ? -1 : a.filed_on > b.filed_on ? 1 : a.person < b.person ? -1 : 1,
  );
  const admitted: MemberAdmitted[] = [];
  for (const application of pending) {
    const { person } = application;
    if (state.members.has(person) || !isEligible(state, person) || !meetsThreshold(state, person)) continue;
    if (state.members.size + admitted.length >= limits.members) break;
    admitted.push(admission(ctx, person, 'application'));
  }
  return admitted;
}
