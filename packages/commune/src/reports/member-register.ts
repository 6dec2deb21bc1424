/**
 * The member register (venture-commune.md §3.4, §12): members with their one
 * share, former members, and eligible non-members, so the commune sees whom
 * its property employs without a share.
 */
import { fromCentihours } from '../bylaws.js';
import type { IsoDate } from '../dates.js';
import { employersOf, holdsLease, isEligible, labourCentihours, meetsThreshold } from '../queries.js';
import type { CommuneState } from '../state.js';

export interface MemberRow {
  readonly person: string;
  readonly name: string;
  readonly share: string;
  readonly admitted_on: IsoDate;
  readonly labour_hours: number;
}

export interface FormerMemberRow {
  readonly person: string;
  readonly name: string;
  readonly share: string;
  readonly admitted_on: IsoDate;
  readonly resigned_on: IsoDate;
}

export interface EligibleRow {
  readonly person: string;
  readonly name: string;
  readonly employers: readonly string[];
  readonly labour_hours: number;
  readonly threshold_hours: number;
  readonly meets_threshold: boolean;
  readonly applied_on: IsoDate | null;
}

export interface MemberRegister {
  readonly as_of: IsoDate | null;
  readonly members: readonly MemberRow[];
  readonly shares_outstanding: number;
  readonly former_members: readonly FormerMemberRow[];
  /** Whose labour works commune property without a share: they may apply, and cannot be refused. */
  readonly eligible_non_members: readonly EligibleRow[];
  readonly threshold_hours: number;
}

export function memberRegister(state: CommuneState): MemberRegister {
  const name = (person: string) => state.persons.get(person)?.name ?? person;
  const members: MemberRow[] = [];
  const former: FormerMemberRow[] = [];
  for (const share of state.shares.values()) {
    if (share.cancelled_on === null) {
      members.push({
        person: share.person,
        name: name(share.person),
        share: share.id,
        admitted_on: share.issued_on,
        labour_hours: fromCentihours(labourCentihours(state, share.person)),
      });
    } else {
      former.push({
        person: share.person,
        name: name(share.person),
        share: share.id,
        admitted_on: share.issued_on,
        resigned_on: share.cancelled_on,
      });
    }
  }
  const eligible: EligibleRow[] = [];
  for (const person of state.persons.values()) {
    if (state.members.has(person.id) || !isEligible(state, person.id)) continue;
    eligible.push({
      person: person.id,
      name: person.name,
      employers: employersOf(state, person.id).filter((e) => holdsLease(state, e)),
      labour_hours: fromCentihours(labourCentihours(state, person.id)),
      threshold_hours: state.bylaws.labour_threshold_hours,
      meets_threshold: meetsThreshold(state, person.id),
      applied_on: state.applications.get(person.id)?.filed_on ?? null,
    });
  }
  return {
    as_of: state.meta.value.last_date,
    members,
    shares_outstanding: state.sharesOutstanding(),
    former_members: former,
    eligible_non_members: eligible.sort((a, b) => (a.person < b.person ? -1 : 1)),
    threshold_hours: state.bylaws.labour_threshold_hours,
  };
}
