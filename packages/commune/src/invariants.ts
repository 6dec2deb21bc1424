/**
 * The four properties of venture-commune.md §3 and the ledger's own rules, as
 * checks. `checkCommand` runs after every command inside its unit of work and
 * looks only at what the command did (cheap enough for every command);
 * `checkInvariants` re-examines the whole state (tests and audits).
 */
import { toCentihours } from './bylaws.js';
import { periodEnd } from './dates.js';
import type { CommuneEvent } from './events.js';
import { hasTransactions } from './events.js';
import { accountOwner, commune } from './ledger/account.js';
import { imbalance, type Transaction } from './ledger/transaction.js';
import {
  annualRent,
  balance,
  currencyCap,
  currencyOutstanding,
  heldPastGrace,
  isEligible,
  key,
  labourCentihours,
  meetsThreshold,
  sharesAt,
} from './queries.js';
import type { Rejection, RejectionCode } from './rejection.js';
import type { CommuneState } from './state.js';

export interface Violation {
  readonly invariant: string;
  readonly code: RejectionCode;
  readonly message: string;
}

function violation(invariant: string, code: RejectionCode, message: string): Violation {
  return { invariant, code, message };
}

const enterpriseCash = /^enterprise:[^/]+\/asset\/cash$/;

/** Rules every single transaction obeys, judged with the event that posted it. */
function checkTransaction(event: CommuneEvent, transaction: Transaction): Violation | null {
  const unbalanced = imbalance(transaction);
  if (unbalanced)
    return violation('debits equal credits', 'UNBALANCED_TRANSACTION', `${event.type}: ${unbalanced}`);
  let touchesCommune = false;
  let drainsEnterpriseCash = false;
  for (const line of transaction.lines) {
    if (
      line.account.startsWith('commune/income/') &&
      line.amount_minor < 0n &&
      event.type !== 'rent-invoiced'
    ) {
      return violation(
        'return is rent, never income',
        'COMMUNE_TAKES_NO_INCOME',
        `${event.type} credits ${line.account}: the commune's income is rent alone`,
      );
    }
    if (accountOwner(line.account) === 'commune') touchesCommune = true;
    if (enterpriseCash.test(line.account) && line.amount_minor < 0n) drainsEnterpriseCash = true;
  }
  if (
    touchesCommune &&
    drainsEnterpriseCash &&
    event.type !== 'rent-paid' &&
    event.type !== 'currency-redeemed'
  ) {
    return violation(
      'return is rent, never income',
      'COMMUNE_TAKES_NO_INCOME',
      `${event.type} moves an enterprise's cash to the commune other than as rent against an invoice`,
    );
  }
  return null;
}

/**
 * Checks after a command's events were applied (inside its unit of work).
 * Returns the first violation; the engine then rolls the command back.
 */
export function checkCommand(state: CommuneState, events: readonly CommuneEvent[]): Rejection | null {
  const first = commandViolations(state, events)[0];
  return first ? { code: first.code, message: `invariant "${first.invariant}": ${first.message}` } : null;
}

function commandViolations(state: CommuneState, events: readonly CommuneEvent[]): Violation[] {
  const found: Violation[] = [];
  let issuesCurrency = false;
  let touchesCurrency = false;
  const admitted = new Set<string>();
  for (const event of events) {
    if (hasTransactions(event)) {
      for (const transaction of event.transactions) {
        const bad = checkTransaction(event, transaction);
        if (bad) found.push(bad);
        for (const line of transaction.lines) {
          if (line.account === commune.currencyOutstanding) {
            touchesCurrency = true;
            if (line.amount_minor < 0n) issuesCurrency = true;
          }
        }
      }
    }
    switch (event.type) {
      case 'member-admitted': {
        if (admitted.has(event.person)) {
          found.push(
            violation('one member, one share', 'ALREADY_MEMBER', `${event.person} was admitted twice`),
          );
        }
        admitted.add(event.person);
        const threshold = toCentihours(state.bylaws.labour_threshold_hours);
        if (event.threshold_centihours !== threshold || labourCentihours(state, event.person) < threshold) {
          found.push(
            violation(
              'ownership only by labour',
              'INSUFFICIENT_LABOUR',
              `${event.person} lacks the labour for a share`,
            ),
          );
        }
        if (event.via !== 'incorporation' && !isEligible(state, event.person)) {
          found.push(violation('open membership', 'NOT_ELIGIBLE', `${event.person} is not eligible`));
        }
        break;
      }
      case 'lease-started':
        if (event.source !== 'leaseback' && heldPastGrace(state, event.enterprise, event.date).length > 0) {
          found.push(
            violation(
              'no enterprise holds property past grace',
              'PROPERTY_HELD_BY_ENTERPRISE',
              `${event.enterprise} takes a new lease while holding property past the grace period`,
            ),
          );
        }
        break;
      case 'enterprise-funded':
        if (heldPastGrace(state, event.enterprise, event.date).length > 0) {
          found.push(
            violation(
              'no enterprise holds property past grace',
              'PROPERTY_HELD_BY_ENTERPRISE',
              `${event.enterprise} is funded while holding property past the grace period`,
            ),
          );
        }
        break;
      case 'distribution-made': {
        const bad = checkDistribution(state, event);
        if (bad) found.push(bad);
        break;
      }
      default:
        break;
    }
  }
  if (state.sharesOutstanding() !== state.members.size) {
    found.push(
      violation(
        'shares outstanding equal members',
        'ALREADY_MEMBER',
        `${state.sharesOutstanding()} shares outstanding for ${state.members.size} members`,
      ),
    );
  }
  if (touchesCurrency) {
    const outstanding = currencyOutstanding(state);
    if (outstanding < 0n) {
      found.push(
        violation('currency within its cap', 'CURRENCY_CAP_EXCEEDED', 'more currency retired than issued'),
      );
    }
    if (issuesCurrency && outstanding > currencyCap(state)) {
      found.push(
        violation(
          'currency within its cap',
          'CURRENCY_CAP_EXCEEDED',
          `${outstanding} outstanding exceeds the cap of ${currencyCap(state)}`,
        ),
      );
    }
  }
  return found;
}

function checkDistribution(
  state: CommuneState,
  event: Extract<CommuneEvent, { type: 'distribution-made' }>,
): Violation | null {
  const w = event.waterfall;
  const name = 'equal distribution';
  if (w.received_minor !== w.bond_service_minor + w.reserve_minor + w.distributed_minor + w.kept_minor) {
    return violation(
      name,
      'UNEQUAL_DISTRIBUTION',
      `${event.period}: the waterfall does not add up to the rent received`,
    );
  }
  if (w.distributed_minor !== w.each_minor * BigInt(event.members.length)) {
    return violation(name, 'UNEQUAL_DISTRIBUTION', `${event.period}: members were not paid the same amount`);
  }
  if (w.policy === 'distribute' && w.members > 0 && w.kept_minor >= BigInt(w.members)) {
    return violation(
      name,
      'UNEQUAL_DISTRIBUTION',
      `${event.period}: kept ${w.kept_minor}, enough to pay every member more`,
    );
  }
  const expected = sharesAt(state, periodEnd(event.period)).map((share) => share.person);
  if (expected.length !== event.members.length || expected.some((person, i) => event.members[i] !== person)) {
    return violation(
      name,
      'UNEQUAL_DISTRIBUTION',
      `${event.period}: the members paid are not the members at the period's end`,
    );
  }
  for (const transaction of event.transactions) {
    for (const line of transaction.lines) {
      if (
        line.account.startsWith('commune/liability/dividends-payable/') &&
        line.amount_minor < 0n &&
        line.amount_minor !== -w.each_minor
      ) {
        return violation(
          name,
          'UNEQUAL_DISTRIBUTION',
          `${line.account} is credited ${-line.amount_minor}, not ${w.each_minor}`,
        );
      }
    }
  }
  return null;
}

/** Every invariant over the whole state. An empty list means the commune is sound. */
export function checkInvariants(state: CommuneState): Violation[] {
  const found: Violation[] = [];
  const meta = state.meta.value;

  // Ledger: every transaction balanced, balances equal the journal, each currency's books sum to zero.
  const sums = new Map<string, bigint>();
  for (const entry of state.journal.items()) {
    const transaction = { currency: entry.currency, memo: entry.memo, lines: entry.lines };
    const bad = checkTransaction({ type: entry.event } as CommuneEvent, transaction);
    if (bad) found.push(bad);
    for (const line of entry.lines) {
      const k = key(entry.currency, line.account);
      sums.set(k, (sums.get(k) ?? 0n) + line.amount_minor);
    }
  }
  const totals = new Map<string, bigint>();
  for (const [k, amount] of state.balances.entries()) {
    if ((sums.get(k) ?? 0n) !== amount) {
      found.push(
        violation(
          'ledger equals journal',
          'UNBALANCED_TRANSACTION',
          `${k}: balance ${amount}, journal ${sums.get(k) ?? 0n}`,
        ),
      );
    }
    const currency = k.slice(0, k.indexOf(' '));
    totals.set(currency, (totals.get(currency) ?? 0n) + amount);
  }
  for (const [currency, total] of totals) {
    if (total !== 0n)
      found.push(
        violation(
          'debits equal credits',
          'UNBALANCED_TRANSACTION',
          `${currency} trial balance is off by ${total}`,
        ),
      );
  }

  // Ownership only by labour; equal ownership.
  const holders = new Set<string>();
  let outstanding = 0;
  for (const share of state.shares.values()) {
    if (share.labour_centihours < share.threshold_centihours) {
      found.push(
        violation(
          'ownership only by labour',
          'INSUFFICIENT_LABOUR',
          `share ${share.id} was issued without the labour`,
        ),
      );
    }
    if (share.cancelled_on !== null) continue;
    outstanding += 1;
    if (holders.has(share.person))
      found.push(violation('one member, one share', 'ALREADY_MEMBER', `${share.person} holds two shares`));
    holders.add(share.person);
    if (state.members.get(share.person) !== share.id) {
      found.push(
        violation(
          'shares outstanding equal members',
          'ALREADY_MEMBER',
          `share ${share.id} is not on the register`,
        ),
      );
    }
  }
  if (outstanding !== state.members.size || outstanding !== state.sharesOutstanding()) {
    found.push(
      violation(
        'shares outstanding equal members',
        'ALREADY_MEMBER',
        `${outstanding} shares, ${state.members.size} members`,
      ),
    );
  }

  // Open membership: nobody who qualifies is left waiting.
  for (const application of state.applications.values()) {
    if (
      !state.members.has(application.person) &&
      isEligible(state, application.person) &&
      meetsThreshold(state, application.person)
    ) {
      found.push(
        violation('open membership', 'NOT_ELIGIBLE', `${application.person} qualifies and is not admitted`),
      );
    }
  }

  // Distributions add up and pay everyone alike.
  for (const distribution of state.distributions.values()) {
    const w = distribution.waterfall;
    if (w.received_minor !== w.bond_service_minor + w.reserve_minor + w.distributed_minor + w.kept_minor) {
      found.push(
        violation(
          'equal distribution',
          'UNEQUAL_DISTRIBUTION',
          `${distribution.period} ${distribution.currency} does not add up`,
        ),
      );
    }
    if (w.policy === 'distribute' && w.members > 0 && w.kept_minor >= BigInt(w.members)) {
      found.push(
        violation(
          'equal distribution',
          'UNEQUAL_DISTRIBUTION',
          `${distribution.period} kept more than a remainder`,
        ),
      );
    }
  }

  // Currency: never negative, equal to its liability account.
  if (currencyOutstanding(state) < 0n) {
    found.push(
      violation('currency within its cap', 'CURRENCY_CAP_EXCEEDED', 'more currency retired than issued'),
    );
  }

  // Leases, the rent roll and property status agree.
  let rentRoll = 0n;
  const leasesByProperty = new Map<string, number>();
  for (const lease of state.leases.values()) {
    if (lease.ended_on !== null) continue;
    rentRoll += annualRent(lease);
    leasesByProperty.set(lease.property, (leasesByProperty.get(lease.property) ?? 0) + 1);
    if (state.activeLease.get(lease.property) !== lease.id) {
      found.push(
        violation(
          'one lease per property',
          'PROPERTY_LEASED',
          `lease ${lease.id} is not the active lease of ${lease.property}`,
        ),
      );
    }
  }
  for (const [property, count] of leasesByProperty) {
    if (count > 1)
      found.push(
        violation('one lease per property', 'PROPERTY_LEASED', `${property} has ${count} active leases`),
      );
  }
  if (rentRoll !== state.rentRollAnnual.value) {
    found.push(
      violation('rent roll', 'INVALID', `rent roll ${state.rentRollAnnual.value}, leases say ${rentRoll}`),
    );
  }
  for (const property of state.properties.values()) {
    const leased = leasesByProperty.has(property.id);
    if ((property.status === 'leased') !== leased) {
      found.push(
        violation(
          'property status',
          'INVALID',
          `${property.id} is ${property.status} with ${leased ? 'a' : 'no'} lease`,
        ),
      );
    }
  }

  // Rent: receivables equal unpaid invoices.
  const unpaid = new Map<string, bigint>();
  for (const invoice of state.invoices.values()) {
    if (invoice.paid_minor > invoice.amount_minor || invoice.paid_minor < 0n) {
      found.push(
        violation('rent paid against invoices', 'COMMUNE_TAKES_NO_INCOME', `${invoice.id} is overpaid`),
      );
    }
    const k = key(invoice.currency, commune.rentReceivable(invoice.enterprise));
    unpaid.set(k, (unpaid.get(k) ?? 0n) + invoice.amount_minor - invoice.paid_minor);
  }
  for (const [k, amount] of unpaid) {
    if ((state.balances.get(k) ?? 0n) !== amount) {
      found.push(
        violation(
          'rent paid against invoices',
          'COMMUNE_TAKES_NO_INCOME',
          `${k} is ${state.balances.get(k) ?? 0n}, unpaid invoices ${amount}`,
        ),
      );
    }
  }

  // Bonds: holdings add up to the series; bonds payable equal principal not yet repaid.
  for (const series of state.series.values()) {
    if (series.status === 'auction' || series.status === 'failed') continue;
    let quantity = 0;
    for (const holder of state.holders.get(series.id) ?? []) {
      const holding = state.holdings.get(key(series.id, holder));
      if (!holding) continue;
      quantity += holding.quantity;
      const owed = series.face_minor * BigInt(holding.quantity) - holding.principal_paid_minor;
      const payable = -balance(state, commune.bonds(series.id, holder), meta.outside_currency);
      if (payable !== owed) {
        found.push(
          violation(
            'bonds payable',
            'UNBALANCED_TRANSACTION',
            `${series.id} owes ${holder} ${owed}, books say ${payable}`,
          ),
        );
      }
    }
    if (quantity !== series.quantity) {
      found.push(
        violation('bonds allotted', 'INVALID', `${series.id}: ${quantity} of ${series.quantity} bonds held`),
      );
    }
  }
  return found;
}
