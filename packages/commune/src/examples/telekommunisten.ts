/**
 * The worked example of venture-commune.md §13, as a journal: the
 * Telekommunisten co-operative's three workers record their labour, sell
 * hosted PBX service and buy servers, phone numbers and carrier capacity with
 * the earnings; the commune is incorporated, buys that property with bonds and
 * leases it back; a bond auction finances a new server; rent flows for some
 * months to bond holders, the reserve and, equally, the members.
 *
 * Used by the demo seed and by end-to-end tests.
 */
import type { Command } from '../commands.js';
import { JournalBuilder } from '../journal.js';

const months = ['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06'];
const communeMonths = ['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12'];
const nextMonth: Record<string, string> = {
  '2023-07': '2023-08',
  '2023-08': '2023-09',
  '2023-09': '2023-10',
  '2023-10': '2023-11',
  '2023-11': '2023-12',
  '2023-12': '2024-01',
};

export const telekommunisten = {
  commune: 'telekommune',
  enterprise: 'telekommunisten',
  workers: ['ada', 'bruno', 'chiara'],
  newcomer: 'dmitri',
  lenders: ['lena', 'otto', 'pia'],
} as const;

export function telekommunistenJournal(): Command[] {
  const j = new JournalBuilder('tk', '2023-01-02');
  const tk = telekommunisten.enterprise;

  // Pre-commune: a worker co-operative applies complex labour to commodity capital (§9).
  j.add(
    { type: 'register-person', person: 'ada', name: 'Ada Okafor', contact: 'ada@telekommunisten.example' },
    {
      type: 'register-person',
      person: 'bruno',
      name: 'Bruno Keller',
      contact: 'bruno@telekommunisten.example',
    },
    {
      type: 'register-person',
      person: 'chiara',
      name: 'Chiara Russo',
      contact: 'chiara@telekommunisten.example',
    },
    { type: 'found-enterprise', enterprise: tk, name: 'Telekommunisten', opening_cash_minor: 300_000n },
    { type: 'employ', person: 'ada', enterprise: tk },
    { type: 'employ', person: 'bruno', enterprise: tk },
    { type: 'employ', person: 'chiara', enterprise: tk },
  );
  months.forEach((month, i) => {
    j.on(`${month}-28`).add(
      {
        type: 'record-labour',
        person: 'ada',
        enterprise: tk,
        hours: 160,
        note: 'PBX development and operations',
      },
      {
        type: 'record-labour',
        person: 'bruno',
        enterprise: tk,
        hours: 150,
        note: 'carrier interconnects, support',
      },
      { type: 'record-labour', person: 'chiara', enterprise: tk, hours: 120.5, note: 'sales and billing' },
      {
        type: 'record-enterprise-revenue',
        enterprise: tk,
        amount_minor: 600_000n + BigInt(i) * 50_000n,
        currency: 'EUR',
        category: 'pbx-subscriptions',
      },
      {
        type: 'record-enterprise-revenue',
        enterprise: tk,
        amount_minor: 250_000n,
        currency: 'EUR',
        category: 'call-charges',
      },
      {
        type: 'record-enterprise-expense',
        enterprise: tk,
        amount_minor: 180_000n,
        currency: 'EUR',
        category: 'carrier-termination',
        payee: 'Carrier GmbH',
      },
      {
        type: 'record-enterprise-expense',
        enterprise: tk,
        amount_minor: 40_000n,
        currency: 'EUR',
        category: 'colocation',
        payee: 'Rack & Co',
      },
    );
    if (month === '2023-02') {
      j.add({
        type: 'register-property',
        property: 'pbx-servers',
        enterprise: tk,
        kind: 'capital',
        description: 'two PBX servers in colocation',
        cost_minor: 1_200_000n,
      });
    }
    if (month === '2023-03') {
      j.add({
        type: 'register-property',
        property: 'phone-numbers',
        enterprise: tk,
        kind: 'capital',
        description: 'block of 100 DIDs in Berlin, Toronto and London',
        cost_minor: 300_000n,
      });
    }
    if (month === '2023-04') {
      j.add({
        type: 'register-property',
        property: 'carrier-capacity',
        enterprise: tk,
        kind: 'capital',
        description: 'prepaid SIP trunk capacity, 60 channels',
        cost_minor: 400_000n,
        book_value_minor: 360_000n,
      });
    }
  });

  // Incorporation: the commune buys the property with bonds at book value and leases it back (§9).
  j.on('2023-07-01').add(
    { type: 'register-person', person: 'lena', name: 'Lena Fischer' },
    { type: 'register-person', person: 'otto', name: 'Otto Brandt' },
    { type: 'register-person', person: 'pia', name: 'Pia Lindqvist' },
    {
      type: 'incorporate',
      name: 'Telekommune Venture Commune',
      currency: 'VCC',
      outside_currency: 'EUR',
      bylaws: {
        labour_threshold_hours: 500,
        reserve_rate_bp: 1_000,
        rent_backing_ratio_bp: 10_000,
        grace_period_days: 90,
      },
      founding_bonds: { coupon_bp: 300, term_months: 60, coupon_frequency: 4 },
      leasebacks: [
        { property: 'pbx-servers', rent_minor: 45_000n, currency: 'EUR' },
        { property: 'phone-numbers', rent_minor: 12_000n, currency: 'EUR' },
        { property: 'carrier-capacity', rent_minor: 15_000n, currency: 'VCC' },
      ],
    },
  );
  j.add({ type: 'run-rent-cycle', period: '2023-07' });
  j.on('2023-07-03').add(
    { type: 'fund-enterprise', enterprise: tk, amount_minor: 100_000n },
    {
      type: 'register-person',
      person: 'dmitri',
      name: 'Dmitri Volkov',
      contact: 'dmitri@telekommunisten.example',
    },
    { type: 'employ', person: 'dmitri', enterprise: tk },
    { type: 'apply', person: 'dmitri' },
  );

  // A new server, asked for by the enterprise and financed by a bond auction (§5, §6).
  j.on('2023-07-10').add(
    {
      type: 'request-acquisition',
      request: 'new-server',
      enterprise: tk,
      property: 'pbx-server-3',
      kind: 'capital',
      description: 'third PBX server for the Toronto point of presence',
      price_minor: 580_000n,
      seller: 'Server Supply Ltd',
      lease: { rent_minor: 22_000n, currency: 'EUR', term_months: 36 },
    },
    {
      type: 'issue-bonds',
      series: 'srv3-2023',
      purpose: 'third PBX server',
      request: 'new-server',
      face_minor: 10_000n,
      quantity: 60,
      term_months: 36,
      coupon_frequency: 4,
      closes_on: '2023-07-24',
      per_bidder_cap_bp: 5_000,
    },
  );
  j.on('2023-07-12').add({
    type: 'bid',
    series: 'srv3-2023',
    bidder: 'lena',
    quantity: 30,
    min_yield_bp: 350,
  });
  j.on('2023-07-14').add({
    type: 'bid',
    series: 'srv3-2023',
    bidder: 'otto',
    quantity: 25,
    min_yield_bp: 400,
  });
  j.on('2023-07-17').add({
    type: 'bid',
    series: 'srv3-2023',
    bidder: 'pia',
    quantity: 20,
    min_yield_bp: 400,
  });
  j.on('2023-07-20').add({
    type: 'bid',
    series: 'srv3-2023',
    bidder: 'ada',
    quantity: 10,
    min_yield_bp: 450,
  });
  j.on('2023-07-24').add({ type: 'close-auction', series: 'srv3-2023' });

  // Months of rent: invoices, payments, the bond schedule, the waterfall.
  communeMonths.forEach((month, i) => {
    if (month !== '2023-07') j.on(`${month}-01`).add({ type: 'run-rent-cycle', period: month });
    j.on(`${month}-26`).add(
      { type: 'record-labour', person: 'ada', enterprise: tk, hours: 160 },
      { type: 'record-labour', person: 'bruno', enterprise: tk, hours: 150 },
      { type: 'record-labour', person: 'chiara', enterprise: tk, hours: 140 },
      { type: 'record-labour', person: 'dmitri', enterprise: tk, hours: 170 },
      {
        type: 'record-enterprise-revenue',
        enterprise: tk,
        amount_minor: 900_000n + BigInt(i) * 40_000n,
        currency: 'EUR',
        category: 'pbx-subscriptions',
      },
      {
        type: 'record-enterprise-revenue',
        enterprise: tk,
        amount_minor: 300_000n,
        currency: 'EUR',
        category: 'call-charges',
      },
      {
        type: 'record-enterprise-expense',
        enterprise: tk,
        amount_minor: 220_000n,
        currency: 'EUR',
        category: 'carrier-termination',
        payee: 'Carrier GmbH',
      },
    );
    j.on(`${month}-28`).add(
      {
        type: 'pay-rent',
        enterprise: tk,
        amount_minor: month === '2023-07' ? 57_000n : 79_000n,
        currency: 'EUR',
      },
      { type: 'pay-rent', enterprise: tk, amount_minor: 15_000n, currency: 'VCC' },
    );
    const after = nextMonth[month] as string;
    j.on(`${after}-01`).add({ type: 'run-bond-schedule', period: month });
    if (month === '2023-12') {
      // Members vote to keep December's surplus for the next acquisition (§7, §10).
      j.add({
        type: 'propose',
        proposal: 'retain-2023-12',
        proposer: 'ada',
        title: 'Keep December surplus for a fourth server',
        closes_on: '2024-01-05',
        payload: { type: 'distribute', period: '2023-12', policy: 'retain' },
      });
      j.on('2024-01-03').add(
        { type: 'vote', proposal: 'retain-2023-12', member: 'ada', choice: 'yes' },
        { type: 'vote', proposal: 'retain-2023-12', member: 'bruno', choice: 'yes' },
        { type: 'vote', proposal: 'retain-2023-12', member: 'chiara', choice: 'no' },
        { type: 'vote', proposal: 'retain-2023-12', member: 'dmitri', choice: 'yes' },
      );
      j.on('2024-01-05').add({ type: 'close-proposal', proposal: 'retain-2023-12' });
    } else {
      j.add({ type: 'distribute', period: month });
    }
  });
  return j.build();
}
