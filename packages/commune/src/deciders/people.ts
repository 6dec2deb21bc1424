/**
 * People, enterprises, employment and labour (venture-commune.md §2, §8, §9).
 */
import { toCentihours } from '../bylaws.js';
import type { CommandOf } from '../commands.js';
import { enterpriseAccounts } from '../ledger/account.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import { key } from '../queries.js';
import {
  accept,
  type Context,
  type Decision,
  findEnterprise,
  findPerson,
  isRefused,
  refuse,
  requireIncorporated,
} from './context.js';

export function registerPerson(cmd: CommandOf<'register-person'>, ctx: Context): Decision {
  if (ctx.state.persons.has(cmd.person))
    return refuse('DUPLICATE', `person "${cmd.person}" is already registered`);
  return accept({
    type: 'person-registered',
    date: ctx.date,
    person: cmd.person,
    name: cmd.name,
    contact: cmd.contact ?? null,
  });
}

export function foundEnterprise(cmd: CommandOf<'found-enterprise'>, ctx: Context): Decision {
  const { state } = ctx;
  if (state.enterprises.has(cmd.enterprise)) {
    return refuse('DUPLICATE', `enterprise "${cmd.enterprise}" already exists`);
  }
  const incorporated = state.meta.value.phase === 'incorporated';
  const opening = cmd.opening_cash_minor ?? 0n;
  if (incorporated && opening > 0n) {
    return refuse(
      'INVALID',
      'after incorporation an enterprise is funded by the commune (fund-enterprise) or its own revenue: outsiders may lend, never own',
    );
  }
  const accounts = enterpriseAccounts(cmd.enterprise);
  const transactions = [];
  if (opening > 0n) {
    transactions.push(
      new TransactionBuilder(state.meta.value.outside_currency, `${cmd.name}: workers' opening capital`)
        .move(accounts.cash, accounts.workersCapital, opening)
        .build(),
    );
  }
  return accept({
    type: 'enterprise-founded',
    date: ctx.date,
    enterprise: cmd.enterprise,
    name: cmd.name,
    status: incorporated ? 'commune-enterprise' : 'co-op',
    transactions,
  });
}

export function employ(cmd: CommandOf<'employ'>, ctx: Context): Decision {
  const person = findPerson(ctx, cmd.person);
  if (isRefused(person)) return person;
  const enterprise = findEnterprise(ctx, cmd.enterprise);
  if (isRefused(enterprise)) return enterprise;
  if (ctx.state.activeEmployment.has(key(cmd.person, cmd.enterprise))) {
    return refuse('DUPLICATE', `${cmd.person} already works for ${cmd.enterprise}`);
  }
  return accept({
    type: 'employment-started',
    date: ctx.date,
    employment: ctx.ids.next('employment'),
    person: cmd.person,
    enterprise: cmd.enterprise,
  });
}

export function endEmployment(cmd: CommandOf<'end-employment'>, ctx: Context): Decision {
  const employment = ctx.state.activeEmployment.get(key(cmd.person, cmd.enterprise));
  if (employment === undefined) {
    return refuse('NOT_EMPLOYED', `${cmd.person} does not work for ${cmd.enterprise}`);
  }
  return accept({ type: 'employment-ended', date: ctx.date, employment });
}

export function recordLabour(cmd: CommandOf<'record-labour'>, ctx: Context): Decision {
  const person = findPerson(ctx, cmd.person);
  if (isRefused(person)) return person;
  const enterprise = cmd.enterprise ?? null;
  if (enterprise === null) {
    const refused = requireIncorporated(ctx);
    if (refused) return refused;
  } else {
    const found = findEnterprise(ctx, enterprise);
    if (isRefused(found)) return found;
    if (!ctx.state.activeEmployment.has(key(cmd.person, enterprise))) {
      return refuse('NOT_EMPLOYED', `${cmd.person} does not work for ${enterprise}; employ them first`);
    }
  }
  return accept({
    type: 'labour-recorded',
    date: ctx.date,
    person: cmd.person,
    enterprise,
    centihours: toCentihours(cmd.hours),
    note: cmd.note ?? null,
  });
}
