/**
 * `decide(command, state) → events | rejection` (venture-commune.md §11).
 * Pure: it reads the state and never changes it.
 */
import type { Command, ProposalPayload } from './commands.js';
import { bid, closeAuction, issueBonds, runBondSchedule } from './deciders/bonds.js';
import { type Context, type Decision, Ids } from './deciders/context.js';
import { distribute } from './deciders/distribution.js';
import {
  fundEnterprise,
  recordEnterpriseExpense,
  recordEnterpriseRevenue,
  redeemCurrency,
} from './deciders/enterprise-books.js';
import { closeProposal, propose, vote } from './deciders/governance.js';
import { amendBylaws, incorporate } from './deciders/incorporation.js';
import { bidRent, closeRentAuction, endLease, lease, offerProperty } from './deciders/lease.js';
import { admitMember, apply, resign } from './deciders/membership.js';
import { employ, endEmployment, foundEnterprise, recordLabour, registerPerson } from './deciders/people.js';
import {
  acquireProperty,
  liquidateProperty,
  registerProperty,
  requestAcquisition,
  sellPropertyToCommune,
} from './deciders/property.js';
import { payRent, runRentCycle } from './deciders/rent.js';
import type { CommuneState } from './state.js';

export type { Decision } from './deciders/context.js';

type Deciders = {
  [T in Command['type']]: (command: Extract<Command, { type: T }>, ctx: Context) => Decision;
};

const deciders: Deciders = {
  incorporate,
  'amend-bylaws': amendBylaws,
  'register-person': registerPerson,
  'found-enterprise': foundEnterprise,
  employ,
  'end-employment': endEmployment,
  'record-labour': recordLabour,
  apply,
  'admit-member': admitMember,
  resign,
  'register-property': registerProperty,
  'request-acquisition': requestAcquisition,
  'acquire-property': acquireProperty,
  'sell-property-to-commune': sellPropertyToCommune,
  lease,
  'end-lease': endLease,
  'offer-property': offerProperty,
  'bid-rent': bidRent,
  'close-rent-auction': closeRentAuction,
  'liquidate-property': liquidateProperty,
  'run-rent-cycle': runRentCycle,
  'pay-rent': payRent,
  'fund-enterprise': fundEnterprise,
  'redeem-currency': redeemCurrency,
  'record-enterprise-revenue': recordEnterpriseRevenue,
  'record-enterprise-expense': recordEnterpriseExpense,
  'issue-bonds': issueBonds,
  bid,
  'close-auction': closeAuction,
  'run-bond-schedule': runBondSchedule,
  distribute,
  propose,
  vote,
  'close-proposal': (command, ctx) => closeProposal(command, ctx, executePayload),
};

function dispatch(command: Command, ctx: Context): Decision {
  return (deciders[command.type] as (command: Command, ctx: Context) => Decision)(command, ctx);
}

/** A passed proposal's command, carried out under the proposal's authority (§10). */
function executePayload(payload: ProposalPayload, ctx: Context): Decision {
  const command = {
    ...payload,
    idempotency_key: `proposal:${ctx.proposal}`,
    effective_date: ctx.date,
  } as Command;
  return dispatch(command, ctx);
}

/**
 * The events a validated command causes in this state, before the engine's
 * follow-ups (admissions) and invariant checks. Dates never go back.
 */
export function decideCommand(command: Command, state: CommuneState, ids: Ids = new Ids(state)): Decision {
  const last = state.meta.value.last_date;
  if (last !== null && command.effective_date < last) {
    return {
      rejection: {
        code: 'OUT_OF_ORDER',
        message: `effective date ${command.effective_date} is before ${last}, the date of the last recorded command`,
      },
    };
  }
  return dispatch(command, { state, date: command.effective_date, ids, proposal: null });
}
