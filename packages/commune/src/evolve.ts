/**
 * `evolve(state, event) → state`: the one place the state changes. It trusts
 * the event (`decide` and the invariants vetted it) and reuses the state it is
 * given; wrap calls in `state.uow` to be able to undo them.
 */
import type { CommuneEvent, EventOf } from './events.js';
import { hasTransactions } from './events.js';
import { annualRent, key } from './queries.js';
import type { BondHolding, BondSeries, Lease, Proposal } from './records.js';
import type { CommuneState } from './state.js';

type Handlers = { [T in CommuneEvent['type']]: (state: CommuneState, event: EventOf<T>) => void };

function must<V>(value: V | undefined, what: string): V {
  if (value === undefined) throw new Error(`evolve: ${what} is missing`);
  return value;
}

function appendTo(
  state: CommuneState,
  table: 'employmentsByPerson' | 'heldByEnterprise',
  owner: string,
  id: string,
) {
  const list = state[table].get(owner) ?? [];
  state[table].set(owner, [...list, id]);
}

function removeFrom(state: CommuneState, table: 'heldByEnterprise', owner: string, id: string) {
  const list = state[table].get(owner);
  if (!list) return;
  const next = list.filter((item) => item !== id);
  if (next.length === 0) state[table].delete(owner);
  else state[table].set(owner, next);
}

function add(
  state: CommuneState,
  table: 'rentReceived' | 'rentReceivedByProperty',
  k: string,
  amount: bigint,
) {
  state[table].set(k, (state[table].get(k) ?? 0n) + amount);
}

function startLease(state: CommuneState, event: EventOf<'lease-started'>) {
  const lease: Lease = {
    id: event.lease,
    property: event.property,
    enterprise: event.enterprise,
    rent_minor: event.rent_minor,
    currency: event.currency,
    frequency: event.frequency,
    start: event.date,
    last_period: event.last_period,
    ended_on: null,
    end_reason: null,
    source: event.source,
  };
  state.leases.set(lease.id, lease);
  state.activeLease.set(lease.property, lease.id);
  state.activeLeaseCount.set(lease.enterprise, (state.activeLeaseCount.get(lease.enterprise) ?? 0) + 1);
  state.rentRollAnnual.set(state.rentRollAnnual.value + annualRent(lease));
  const property = must(state.properties.get(lease.property), `property ${lease.property}`);
  state.properties.set(property.id, { ...property, status: 'leased' });
  state.next('lease');
}

function setVote(proposal: Proposal, choice: 'yes' | 'no' | 'abstain'): Proposal {
  return { ...proposal, [choice]: proposal[choice] + 1 };
}

const handlers: Handlers = {
  'commune-incorporated'(state, event) {
    state.updateMeta({
      phase: 'incorporated',
      name: event.name,
      currency: event.currency,
      outside_currency: event.outside_currency,
      bylaws: event.bylaws,
      incorporated_on: event.date,
    });
  },
  'bylaws-amended'(state, event) {
    state.updateMeta({ bylaws: event.bylaws });
  },
  'person-registered'(state, event) {
    state.persons.set(event.person, {
      id: event.person,
      name: event.name,
      contact: event.contact,
      registered_on: event.date,
    });
  },
  'enterprise-founded'(state, event) {
    state.enterprises.set(event.enterprise, {
      id: event.enterprise,
      name: event.name,
      status: event.status,
      founded_on: event.date,
    });
  },
  'enterprise-joined-commune'(state, event) {
    const enterprise = must(state.enterprises.get(event.enterprise), `enterprise ${event.enterprise}`);
    state.enterprises.set(enterprise.id, { ...enterprise, status: 'commune-enterprise' });
  },
  'employment-started'(state, event) {
    state.employments.set(event.employment, {
      id: event.employment,
      person: event.person,
      enterprise: event.enterprise,
      from: event.date,
      to: null,
    });
    state.activeEmployment.set(key(event.person, event.enterprise), event.employment);
    appendTo(state, 'employmentsByPerson', event.person, event.employment);
    state.next('employment');
  },
  'employment-ended'(state, event) {
    const employment = must(state.employments.get(event.employment), `employment ${event.employment}`);
    state.employments.set(employment.id, { ...employment, to: event.date });
    state.activeEmployment.delete(key(employment.person, employment.enterprise));
  },
  'labour-recorded'(state, event) {
    const total = state.labour.get(event.person);
    state.labour.set(event.person, {
      person: event.person,
      centihours: (total?.centihours ?? 0) + event.centihours,
      commune_centihours:
        (total?.commune_centihours ?? 0) + (event.enterprise === null ? event.centihours : 0),
      records: (total?.records ?? 0) + 1,
      last_on: event.date,
    });
  },
  'application-filed'(state, event) {
    state.applications.set(event.person, { person: event.person, filed_on: event.date });
  },
  'member-admitted'(state, event) {
    state.shares.set(event.share, {
      id: event.share,
      person: event.person,
      issued_on: event.date,
      cancelled_on: null,
      labour_centihours: event.labour_centihours,
      threshold_centihours: event.threshold_centihours,
    });
    state.members.set(event.person, event.share);
    state.applications.delete(event.person);
    state.next('share');
  },
  'member-resigned'(state, event) {
    const share = must(state.shares.get(event.share), `share ${event.share}`);
    state.shares.set(share.id, { ...share, cancelled_on: event.date });
    state.members.delete(event.person);
    state.next('shares_cancelled');
  },
  'property-registered'(state, event) {
    state.properties.set(event.property, {
      id: event.property,
      kind: event.kind,
      description: event.description,
      currency: event.currency,
      cost_minor: event.cost_minor,
      book_value_minor: event.book_value_minor,
      owner: { enterprise: event.enterprise },
      acquired_on: event.date,
      held_since: event.held_since,
      status: 'held',
      series: null,
      last_auction_rent_minor: null,
    });
    if (event.held_since !== null) appendTo(state, 'heldByEnterprise', event.enterprise, event.property);
  },
  'acquisition-requested'(state, event) {
    state.requests.set(event.request, {
      id: event.request,
      enterprise: event.enterprise,
      property: event.property,
      kind: event.kind,
      description: event.description,
      price_minor: event.price_minor,
      seller: event.seller,
      rent_minor: event.rent_minor,
      currency: event.currency,
      frequency: event.frequency,
      term_months: event.term_months,
      requested_on: event.date,
      status: 'open',
      series: null,
    });
  },
  'acquisition-failed'(state, event) {
    const request = must(state.requests.get(event.request), `request ${event.request}`);
    state.requests.set(request.id, { ...request, status: 'failed' });
  },
  'property-acquired'(state, event) {
    state.properties.set(event.property, {
      id: event.property,
      kind: event.kind,
      description: event.description,
      currency: event.currency,
      cost_minor: event.cost_minor,
      book_value_minor: event.cost_minor,
      owner: { commune: true },
      acquired_on: event.date,
      held_since: null,
      status: 'vacant',
      series: event.series,
      last_auction_rent_minor: null,
    });
    if (event.series !== null) {
      const series = must(state.series.get(event.series), `series ${event.series}`);
      state.series.set(series.id, {
        ...series,
        property: series.property ?? event.property,
        earmarked_minor: series.earmarked_minor - event.cost_minor - event.released_minor,
      });
    }
    if (event.request !== null) {
      const request = must(state.requests.get(event.request), `request ${event.request}`);
      state.requests.set(request.id, { ...request, status: 'completed' });
    }
  },
  'property-transferred'(state, event) {
    const property = must(state.properties.get(event.property), `property ${event.property}`);
    state.properties.set(property.id, {
      ...property,
      owner: { commune: true },
      book_value_minor: event.price_minor,
      held_since: null,
      status: 'vacant',
      series: event.series ?? property.series,
    });
    removeFrom(state, 'heldByEnterprise', event.enterprise, event.property);
  },
  'lease-started'(state, event) {
    startLease(state, event);
  },
  'lease-ended'(state, event) {
    const lease = must(state.leases.get(event.lease), `lease ${event.lease}`);
    state.leases.set(lease.id, { ...lease, ended_on: event.date, end_reason: event.reason });
    state.activeLease.delete(lease.property);
    const count = (state.activeLeaseCount.get(lease.enterprise) ?? 1) - 1;
    if (count === 0) state.activeLeaseCount.delete(lease.enterprise);
    else state.activeLeaseCount.set(lease.enterprise, count);
    state.rentRollAnnual.set(state.rentRollAnnual.value - annualRent(lease));
    const property = must(state.properties.get(lease.property), `property ${lease.property}`);
    if (property.status === 'leased') state.properties.set(property.id, { ...property, status: 'vacant' });
  },
  'rent-auction-opened'(state, event) {
    state.rentAuctions.set(event.property, {
      property: event.property,
      opened_on: event.date,
      closes_on: event.closes_on,
      min_rent_minor: event.min_rent_minor,
      currency: event.currency,
      frequency: event.frequency,
      term_months: event.term_months,
      status: 'open',
      bids: [],
      winner: null,
    });
  },
  'rent-bid-placed'(state, event) {
    const auction = must(state.rentAuctions.get(event.property), `rent auction ${event.property}`);
    state.rentAuctions.set(event.property, {
      ...auction,
      bids: [
        ...auction.bids,
        {
          bid: event.bid,
          enterprise: event.enterprise,
          rent_minor: event.rent_minor,
          seq: event.seq,
          placed_on: event.date,
        },
      ],
    });
    state.next('bid');
  },
  'rent-auction-closed'(state, event) {
    const auction = must(state.rentAuctions.get(event.property), `rent auction ${event.property}`);
    state.rentAuctions.set(event.property, { ...auction, status: 'closed', winner: event.winner });
    if (event.winner !== null) {
      const property = must(state.properties.get(event.property), `property ${event.property}`);
      state.properties.set(property.id, { ...property, last_auction_rent_minor: event.winner.rent_minor });
    }
  },
  'property-liquidated'(state, event) {
    const property = must(state.properties.get(event.property), `property ${event.property}`);
    state.properties.set(property.id, { ...property, status: 'liquidated', book_value_minor: 0n });
  },
  'rent-invoiced'(state, event) {
    state.invoices.set(event.invoice, {
      id: event.invoice,
      lease: event.lease,
      property: event.property,
      enterprise: event.enterprise,
      period: event.period,
      currency: event.currency,
      amount_minor: event.amount_minor,
      due_on: event.due_on,
      paid_minor: 0n,
    });
    const openKey = key(event.enterprise, event.currency);
    state.openInvoices.set(openKey, [...(state.openInvoices.get(openKey) ?? []), event.invoice]);
  },
  'rent-paid'(state, event) {
    const openKey = key(event.enterprise, event.currency);
    let open = state.openInvoices.get(openKey) ?? [];
    const period = event.date.slice(0, 7);
    for (const allocation of event.allocations) {
      const invoice = must(state.invoices.get(allocation.invoice), `invoice ${allocation.invoice}`);
      const paid = invoice.paid_minor + allocation.amount_minor;
      state.invoices.set(invoice.id, { ...invoice, paid_minor: paid });
      if (paid === invoice.amount_minor) open = open.filter((id) => id !== invoice.id);
      add(
        state,
        'rentReceivedByProperty',
        key(period, event.currency, allocation.property),
        allocation.amount_minor,
      );
    }
    if (open.length === 0) state.openInvoices.delete(openKey);
    else state.openInvoices.set(openKey, open);
    add(state, 'rentReceived', key(period, event.currency), event.amount_minor);
  },
  'enterprise-funded'() {},
  'currency-redeemed'() {},
  'enterprise-revenue-recorded'() {},
  'enterprise-expense-recorded'() {},
  'bond-series-opened'(state, event) {
    const series: BondSeries = {
      id: event.series,
      purpose: event.purpose,
      request: event.request,
      property: event.property,
      face_minor: event.face_minor,
      quantity: event.quantity,
      term_months: event.term_months,
      coupon_frequency: event.coupon_frequency,
      per_bidder_cap_bp: event.per_bidder_cap_bp,
      opened_on: event.date,
      closes_on: event.closes_on,
      sale: 'auction',
      status: 'auction',
      coupon_bp: null,
      issued_on: null,
      bids: [],
      result: null,
      earmarked_minor: 0n,
    };
    state.series.set(series.id, series);
    if (event.request !== null) {
      const request = must(state.requests.get(event.request), `request ${event.request}`);
      state.requests.set(request.id, { ...request, status: 'financing', series: series.id });
    }
  },
  'bond-bid-placed'(state, event) {
    const series = must(state.series.get(event.series), `series ${event.series}`);
    state.series.set(series.id, {
      ...series,
      bids: [
        ...series.bids,
        {
          bid: event.bid,
          bidder: event.bidder,
          quantity: event.quantity,
          min_yield_bp: event.min_yield_bp,
          seq: event.seq,
          placed_on: event.date,
        },
      ],
    });
    state.next('bid');
  },
  'bond-auction-closed'(state, event) {
    const series = must(state.series.get(event.series), `series ${event.series}`);
    const { result } = event;
    if (!result.cleared) {
      state.series.set(series.id, { ...series, status: 'failed', result });
      return;
    }
    state.series.set(series.id, {
      ...series,
      status: 'issued',
      result,
      coupon_bp: result.stop_out_yield_bp,
      issued_on: event.date,
      earmarked_minor: series.face_minor * BigInt(series.quantity),
    });
    const byHolder = new Map<string, number>();
    for (const allotment of result.allotments) {
      if (allotment.allotted === 0) continue;
      byHolder.set(allotment.bidder, (byHolder.get(allotment.bidder) ?? 0) + allotment.allotted);
    }
    const holders = [...byHolder.keys()].map((bidder) => `person:${bidder}` as const);
    for (const holder of holders) {
      state.holdings.set(
        key(series.id, holder),
        emptyHolding(series.id, holder, byHolder.get(holder.slice(7)) ?? 0),
      );
    }
    state.holders.set(series.id, holders);
  },
  'bonds-issued-directly'(state, event) {
    state.series.set(event.series, {
      id: event.series,
      purpose: event.purpose,
      request: null,
      property: event.property,
      face_minor: event.face_minor,
      quantity: event.quantity,
      term_months: event.term_months,
      coupon_frequency: event.coupon_frequency,
      per_bidder_cap_bp: null,
      opened_on: event.date,
      closes_on: null,
      sale: 'direct',
      status: 'issued',
      coupon_bp: event.coupon_bp,
      issued_on: event.date,
      bids: [],
      result: null,
      earmarked_minor: 0n,
    });
    state.holdings.set(
      key(event.series, event.holder),
      emptyHolding(event.series, event.holder, event.quantity),
    );
    state.holders.set(event.series, [event.holder]);
  },
  'bond-schedule-run'(state, event) {
    const touched = new Set<string>();
    for (const payment of event.payments) {
      const holdingKey = key(payment.series, payment.holder);
      const holding = must(state.holdings.get(holdingKey), `holding ${holdingKey}`);
      state.holdings.set(holdingKey, {
        ...holding,
        coupons_paid_minor: holding.coupons_paid_minor + payment.coupon_paid_minor,
        principal_paid_minor: holding.principal_paid_minor + payment.principal_paid_minor,
        coupons_overdue_minor:
          holding.coupons_overdue_minor + payment.coupon_due_minor - payment.coupon_paid_minor,
        principal_overdue_minor:
          holding.principal_overdue_minor + payment.principal_due_minor - payment.principal_paid_minor,
      });
      touched.add(payment.series);
    }
    for (const id of touched) {
      const series = must(state.series.get(id), `series ${id}`);
      const redeemed = (state.holders.get(id) ?? []).every((holder) => {
        const holding = state.holdings.get(key(id, holder));
        return (
          holding !== undefined &&
          holding.principal_paid_minor === series.face_minor * BigInt(holding.quantity) &&
          holding.coupons_overdue_minor === 0n
        );
      });
      if (redeemed) state.series.set(id, { ...series, status: 'redeemed' });
    }
    state.bondRuns.set(event.period, {
      period: event.period,
      run_on: event.date,
      due_minor: event.due_minor,
      paid_minor: event.paid_minor,
      missed_minor: event.missed_minor,
    });
  },
  'distribution-made'(state, event) {
    state.distributions.set(key(event.period, event.waterfall.currency), {
      period: event.period,
      currency: event.waterfall.currency,
      date: event.date,
      waterfall: event.waterfall,
    });
    state.distributedPeriods.set(event.period, event.date);
  },
  'proposal-opened'(state, event) {
    state.proposals.set(event.proposal, {
      id: event.proposal,
      proposer: event.proposer,
      title: event.title,
      payload: event.payload,
      opened_on: event.date,
      closes_on: event.closes_on,
      status: 'open',
      yes: 0,
      no: 0,
      abstain: 0,
      members_at_close: null,
      executed: false,
      execution_error: null,
    });
  },
  'vote-cast'(state, event) {
    const proposal = must(state.proposals.get(event.proposal), `proposal ${event.proposal}`);
    state.votes.set(key(event.proposal, event.member), event.choice);
    state.proposals.set(proposal.id, setVote(proposal, event.choice));
  },
  'proposal-closed'(state, event) {
    const proposal = must(state.proposals.get(event.proposal), `proposal ${event.proposal}`);
    state.proposals.set(proposal.id, {
      ...proposal,
      status: event.passed ? 'passed' : 'failed',
      members_at_close: event.members,
      executed: event.executed,
      execution_error: event.execution_error,
    });
  },
};

function emptyHolding(series: string, holder: BondHolding['holder'], quantity: number): BondHolding {
  return {
    series,
    holder,
    quantity,
    coupons_paid_minor: 0n,
    principal_paid_minor: 0n,
    coupons_overdue_minor: 0n,
    principal_overdue_minor: 0n,
  };
}

function post(state: CommuneState, event: CommuneEvent): void {
  if (!hasTransactions(event)) return;
  for (const transaction of event.transactions) {
    const n = state.next('transaction');
    state.journal.push({
      n,
      date: event.date,
      event: event.type,
      currency: transaction.currency,
      memo: transaction.memo,
      lines: transaction.lines,
    });
    for (const line of transaction.lines) {
      const balanceKey = key(transaction.currency, line.account);
      state.balances.set(balanceKey, (state.balances.get(balanceKey) ?? 0n) + line.amount_minor);
    }
  }
}

export function evolve(state: CommuneState, event: CommuneEvent): CommuneState {
  (handlers[event.type] as (state: CommuneState, event: CommuneEvent) => void)(state, event);
  post(state, event);
  if (state.meta.value.last_date === null || event.date > state.meta.value.last_date) {
    state.updateMeta({ last_date: event.date });
  }
  return state;
}
