/**
 * The commune's reports as text tables for the terminal (the same data the
 * HTTP API returns as JSON). Amounts show as major units with two decimals.
 */
import {
  type BalanceSheet,
  type BondRegister,
  type CommuneSummary,
  type CurrencyReport,
  type DistributionRow,
  type EventLogReport,
  formatMinor,
  type IncomeStatement,
  type MemberRegister,
  type RentRoll,
  type TrialBalance,
} from '@telekommune/commune';

type Cell = string | number | bigint | null | undefined;

/** Columns left-aligned, except those listed as right-aligned (amounts). */
export function table(
  headers: readonly string[],
  rows: readonly Cell[][],
  right: readonly number[] = [],
): string {
  const text = rows.map((row) =>
    row.map((cell) =>
      cell === null || cell === undefined ? '' : typeof cell === 'bigint' ? formatMinor(cell) : String(cell),
    ),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

const money = (amount: bigint | null | undefined) =>
  amount === null || amount === undefined ? '' : formatMinor(amount);

export function summaryText(s: CommuneSummary & { head: string }): string {
  return [
    `${s.name ?? '(no commune yet)'}  [${s.phase}]`,
    `  incorporated on     ${s.incorporated_on ?? '-'}`,
    `  as of               ${s.as_of ?? '-'}`,
    `  members             ${s.members}`,
    `  enterprises         ${s.enterprises}`,
    `  properties          ${s.properties} (${s.active_leases} leased)`,
    `  annual rent roll    ${money(s.annual_rent_roll_minor)} (at par, ${s.outside_currency} and ${s.currency})`,
    `  log                 ${s.entries} entries, head ${s.head.slice(0, 16)}`,
  ].join('\n');
}

export function trialBalanceText(t: TrialBalance): string {
  return t.currencies
    .map((c) =>
      [
        `Trial balance in ${c.currency}, as of ${t.as_of ?? '-'}${c.balanced ? '' : '  ** DOES NOT BALANCE **'}`,
        table(
          ['account', 'debit', 'credit'],
          [
            ...c.rows.map((r) => [r.account, r.debit_minor || null, r.credit_minor || null]),
            ['total', c.total_debit_minor, c.total_credit_minor],
          ],
          [1, 2],
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

export function balanceSheetText(b: BalanceSheet): string {
  return b.currencies
    .map((c) => {
      const rows: Cell[][] = [];
      const section = (
        title: string,
        s: { lines: readonly { name: string; amount_minor: bigint }[]; total_minor: bigint },
      ) => {
        rows.push([title.toUpperCase(), null]);
        for (const l of s.lines) rows.push([`  ${l.name}`, l.amount_minor]);
        rows.push([`  total ${title}`, s.total_minor]);
      };
      section('assets', c.assets);
      section('liabilities', c.liabilities);
      section('equity', c.equity);
      rows.push(['  result of the period (income less expenses)', c.current_result_minor]);
      rows.push(['TOTAL LIABILITIES AND EQUITY', c.total_liabilities_and_equity_minor]);
      return `Balance sheet of ${b.owner} in ${c.currency}, as of ${b.as_of ?? '-'}${c.balanced ? '' : '  ** DOES NOT BALANCE **'}\n${table(['', 'amount'], rows, [1])}`;
    })
    .join('\n\n');
}

export function incomeStatementText(s: IncomeStatement): string {
  if (s.currencies.length === 0) return `Income statement of ${s.owner}: no income or expenses`;
  return s.currencies
    .map((c) => {
      const rows: Cell[][] = [
        ['INCOME', null],
        ...c.income.lines.map((l) => [`  ${l.name}`, l.amount_minor]),
        ['  total income', c.income.total_minor],
      ];
      rows.push(['EXPENSES', null], ...c.expenses.lines.map((l) => [`  ${l.name}`, l.amount_minor]), [
        '  total expenses',
        c.expenses.total_minor,
      ]);
      rows.push(['NET', c.net_minor]);
      return `Income statement of ${s.owner} in ${c.currency}, ${s.from ?? 'from the start'} to ${s.to ?? '-'}\n${table(['', 'amount'], rows, [1])}`;
    })
    .join('\n\n');
}

export function rentRollText(r: RentRoll): string {
  const arrears = (a: RentRoll['properties'][number]['arrears']) =>
    Object.entries(a)
      .map(([currency, x]) => `${currency} ${money(x.total_minor)}`)
      .join(', ');
  const properties = table(
    ['property', 'status', 'tenant', 'rent', 'cur', 'per', 'last auction', 'arrears'],
    r.properties.map((p) => [
      p.property,
      p.on_auction_until ? `on auction to ${p.on_auction_until}` : p.status,
      p.tenant,
      p.contract_rent_minor,
      p.currency,
      p.frequency,
      p.last_auction_rent_minor,
      arrears(p.arrears),
    ]),
    [3, 6],
  );
  const enterprises = table(
    ['enterprise', 'status', 'leases', 'arrears', 'held past grace'],
    r.enterprises.map((e) => [
      e.enterprise,
      e.status,
      e.leases,
      arrears(e.arrears),
      e.flagged ? e.past_grace.join(', ') : '',
    ]),
  );
  return `Rent roll as of ${r.as_of}; annual rent roll ${money(r.annual_rent_roll_minor)}\n${properties}\n\n${enterprises}`;
}

export function membersText(m: MemberRegister): string {
  const members = table(
    ['person', 'name', 'share', 'admitted', 'labour (h)'],
    m.members.map((x) => [x.person, x.name, x.share, x.admitted_on, x.labour_hours]),
    [4],
  );
  const parts = [
    `Members: ${m.members.length}, shares outstanding: ${m.shares_outstanding} (one each)`,
    members,
  ];
  if (m.eligible_non_members.length > 0) {
    parts.push(
      '',
      `Eligible non-members (their labour works commune property; threshold ${m.threshold_hours} h):`,
      table(
        ['person', 'name', 'works for', 'labour (h)', 'meets threshold', 'applied'],
        m.eligible_non_members.map((x) => [
          x.person,
          x.name,
          x.employers.join(', '),
          x.labour_hours,
          x.meets_threshold ? 'yes' : 'no',
          x.applied_on,
        ]),
        [3],
      ),
    );
  }
  if (m.former_members.length > 0) {
    parts.push(
      '',
      'Former members:',
      table(
        ['person', 'share', 'admitted', 'resigned'],
        m.former_members.map((x) => [x.person, x.share, x.admitted_on, x.resigned_on]),
      ),
    );
  }
  return parts.join('\n');
}

export function bondsText(b: BondRegister): string {
  const parts = [
    `Bonds: ${money(b.outstanding_principal_minor)} principal outstanding${b.overdue_minor > 0n ? `, ${money(b.overdue_minor)} OVERDUE` : ''}`,
    table(
      ['series', 'status', 'face', 'qty', 'coupon', 'term', 'issued', 'matures', 'property'],
      b.series.map((s) => [
        s.series,
        s.in_default ? `${s.status} (in default)` : s.status,
        s.face_minor,
        s.quantity,
        s.coupon_bp === null
          ? s.status === 'auction'
            ? `${s.sealed_bids} sealed bids`
            : ''
          : `${(s.coupon_bp / 100).toFixed(2)} %`,
        `${s.term_months} m / ${s.coupon_frequency} a year`,
        s.issued_on,
        s.maturity,
        s.property,
      ]),
      [2, 3],
    ),
  ];
  for (const s of b.series) {
    if (s.auction) {
      const a = s.auction;
      parts.push(
        '',
        `Auction of ${s.series}: ${a.cleared ? `cleared at ${a.stop_out_yield_bp} bp` : 'did NOT clear: nothing issued, nothing bought'}; bid-to-cover ${(a.bid_to_cover_bp / 10_000).toFixed(2)}; ` +
          `yields bid ${a.yield_range ? `${a.yield_range.low_bp}-${a.yield_range.high_bp} bp` : '-'}${a.proration ? `; at the stop-out ${a.proration.filled} of ${a.proration.demand} filled (${(a.proration.ratio_bp / 100).toFixed(2)} %)` : ''}`,
        table(
          ['bidder', 'yield bp', 'asked', 'after cap', 'allotted'],
          a.allotments.map((x) => [x.bidder, x.min_yield_bp, x.requested, x.eligible, x.allotted]),
          [1, 2, 3, 4],
        ),
      );
    }
    if (s.holders.length > 0) {
      parts.push(
        '',
        `Holders of ${s.series}:`,
        table(
          ['holder', 'bonds', 'principal owed', 'coupons paid', 'overdue'],
          s.holders.map((h) => [
            h.holder,
            h.quantity,
            h.principal_outstanding_minor,
            h.coupons_paid_minor,
            h.coupons_overdue_minor + h.principal_overdue_minor || null,
          ]),
          [1, 2, 3, 4],
        ),
        table(
          ['period', 'no.', 'coupon', 'principal', ''],
          s.schedule.map((p) => [p.period, p.number, p.coupon_minor, p.principal_minor || null, p.state]),
          [1, 2, 3],
        ),
      );
    }
  }
  return parts.join('\n');
}

export function currencyText(c: CurrencyReport): string {
  return [
    `${c.currency} (at par with ${c.outside_currency})`,
    `  issued              ${money(c.issued_minor)}`,
    `  retired             ${money(c.retired_minor)}`,
    `  outstanding         ${money(c.outstanding_minor)}`,
    `  annual rent roll    ${money(c.annual_rent_roll_minor)}`,
    `  backing ratio       ${(c.backing_ratio_bp / 100).toFixed(2)} %`,
    `  cap                 ${money(c.cap_minor)}`,
    `  headroom            ${money(c.headroom_minor)}${c.over_cap ? '  ** OVER THE CAP: no issuance until the rent roll recovers **' : ''}`,
    `  buy-back at par     ${c.buyback ? 'yes' : 'no'} (reserve ${money(c.reserve_minor)} ${c.outside_currency})`,
  ].join('\n');
}

export function distributionsText(rows: readonly DistributionRow[]): string {
  if (rows.length === 0) return 'No distributions yet.';
  return rows
    .map((d) =>
      [`${d.period} ${d.currency}, distributed on ${d.date}:`, ...d.arithmetic.map((l) => `  ${l}`)].join(
        '\n',
      ),
    )
    .join('\n\n');
}

export function logText(l: EventLogReport): string {
  const v = l.verification;
  return [
    v.valid
      ? `Hash chain verified: ${v.entries} entries, head ${v.head}`
      : `HASH CHAIN BROKEN at entry ${v.first_invalid?.seq}: ${v.first_invalid?.reason}`,
    table(
      ['seq', 'date', 'command', 'events', 'hash'],
      l.rows.map((r) => [r.seq, r.date, r.command, r.events.join(', '), r.hash.slice(0, 16)]),
      [0],
    ),
  ].join('\n');
}
