import type { BalanceEntry } from './billing-repository.js';
import type { RatedCall } from './call-rating.js';
import { formatMicro, microToMinor } from './money.js';

/** A calendar month in UTC, `YYYY-MM`. */
export const periodPattern = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

export function periodRange(period: string): { from_ms: number; to_ms: number } | undefined {
  const match = periodPattern.exec(period);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return { from_ms: Date.UTC(year, month, 1), to_ms: Date.UTC(year, month + 1, 1) };
}

export function periodOf(at_ms: number): string {
  return new Date(at_ms).toISOString().slice(0, 7);
}

export interface StatementDestination {
  readonly destination: string;
  readonly calls: number;
  readonly billable_s: number;
  readonly price_micro: bigint;
}

/** A tenant's monthly statement (pbx.md §5): calls by destination, other balance movements, balances. */
export interface Statement {
  readonly tenantId: string;
  readonly period: string;
  readonly currency: string;
  readonly openingBalance_micro: bigint;
  readonly calls: readonly RatedCall[];
  readonly entries: readonly BalanceEntry[];
  readonly byDestination: readonly StatementDestination[];
  readonly callCount: number;
  readonly billable_s: number;
  readonly callCharges_micro: bigint;
  readonly credits_micro: bigint;
  readonly closingBalance_micro: bigint;
  /** Call charges rounded to minor units (cents): the amount invoiced. */
  readonly callCharges_minor: bigint;
}

export function buildStatement(input: {
  tenantId: string;
  period: string;
  currency: string;
  openingBalance_micro: bigint;
  calls: readonly RatedCall[];
  entries: readonly BalanceEntry[];
}): Statement {
  const groups = new Map<string, { calls: number; billable_s: number; price_micro: bigint }>();
  let billable_s = 0;
  let charges = 0n;
  for (const call of input.calls) {
    const group = groups.get(call.destinationName) ?? { calls: 0, billable_s: 0, price_micro: 0n };
    group.calls++;
    group.billable_s += call.billable_s;
    group.price_micro += call.price_micro;
    groups.set(call.destinationName, group);
    billable_s += call.billable_s;
    charges += call.price_micro;
  }
  const credits = input.entries.reduce((sum, e) => sum + e.amount_micro, 0n);
  return {
    tenantId: input.tenantId,
    period: input.period,
    currency: input.currency,
    openingBalance_micro: input.openingBalance_micro,
    calls: input.calls,
    entries: input.entries,
    byDestination: [...groups.entries()]
      .map(([destination, g]) => ({ destination, ...g }))
      .sort((a, b) => (a.destination < b.destination ? -1 : 1)),
    callCount: input.calls.length,
    billable_s,
    callCharges_micro: charges,
    credits_micro: credits,
    closingBalance_micro: input.openingBalance_micro + credits - charges,
    callCharges_minor: microToMinor(charges),
  };
}

/** The statement as plain JSON: amounts as decimal strings in major units (exact, no floats). */
export function statementJson(statement: Statement) {
  const money = (micro: bigint) => formatMicro(micro, 6);
  return {
    tenantId: statement.tenantId,
    period: statement.period,
    currency: statement.currency,
    openingBalance: money(statement.openingBalance_micro),
    callCount: statement.callCount,
    billableSeconds: statement.billable_s,
    callCharges: money(statement.callCharges_micro),
    invoiced: formatMicro(statement.callCharges_micro, 2),
    credits: money(statement.credits_micro),
    closingBalance: money(statement.closingBalance_micro),
    byDestination: statement.byDestination.map((d) => ({
      destination: d.destination,
      calls: d.calls,
      billableSeconds: d.billable_s,
      price: money(d.price_micro),
    })),
    calls: statement.calls.map((c) => ({
      callId: c.callId,
      answeredAt: new Date(c.answeredAt_ms).toISOString(),
      extension: c.extension ?? null,
      destination: c.destination,
      destinationName: c.destinationName,
      durationSeconds: c.duration_s,
      billableSeconds: c.billable_s,
      price: money(c.price_micro),
    })),
    entries: statement.entries.map((e) => ({
      at: new Date(e.at_ms).toISOString(),
      kind: e.kind,
      amount: money(e.amount_micro),
      note: e.note,
    })),
  };
}

export type StatementJson = ReturnType<typeof statementJson>;

function csvField(text: string): string {
  // RFC 4180 quoting; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(text) && !/^[+-]?[0-9]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The statement's call lines as CSV (RFC 4180), one per call, then a total line. */
export function statementCsv(statement: Statement): string {
  const lines = [
    'answered_at,call_id,extension,destination,destination_name,duration_s,billable_s,price,currency',
  ];
  for (const c of statement.calls) {
    lines.push(
      [
        new Date(c.answeredAt_ms).toISOString(),
        c.callId,
        c.extension ?? '',
        c.destination,
        c.destinationName,
        String(c.duration_s),
        String(c.billable_s),
        formatMicro(c.price_micro, 6),
        c.currency,
      ]
        .map(csvField)
        .join(','),
    );
  }
  lines.push(
    [
      'total',
      '',
      '',
      '',
      '',
      '',
      String(statement.billable_s),
      formatMicro(statement.callCharges_micro, 6),
      statement.currency,
    ]
      .map(csvField)
      .join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}
