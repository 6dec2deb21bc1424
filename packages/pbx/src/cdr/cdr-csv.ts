import { billableSeconds, type Cdr, durationSeconds } from './cdr.js';

const columns = [
  'id',
  'tenant',
  'direction',
  'caller',
  'caller_name',
  'callee',
  'answered_by',
  'did',
  'carrier',
  'start',
  'answer',
  'end',
  'duration_s',
  'billable_s',
  'disposition',
  'hangup_side',
  'sip_status',
  'forwarding_path',
  'cost_minor',
  'price_minor',
  'currency',
] as const;

/**
 * RFC 4180 quoting. Text a spreadsheet would run as a formula is prefixed
 * with ' (a phone number such as +4930123 is left alone).
 */
function cell(value: string | number | bigint | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && (/^[=@\t\r]/.test(text) || /^[+-](?![0-9]+$)/.test(text)))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** CDRs as CSV with a header row (RFC 4180, CRLF line ends). */
export function cdrsToCsv(cdrs: readonly Cdr[]): string {
  const lines = [columns.join(',')];
  for (const c of cdrs) {
    lines.push(
      [
        c.id,
        c.tenantId,
        c.direction,
        c.caller,
        c.callerName,
        c.callee,
        c.answeredBy,
        c.did,
        c.carrierId,
        iso(c.startedAt_ms),
        iso(c.answeredAt_ms),
        iso(c.endedAt_ms),
        durationSeconds(c),
        billableSeconds(c),
        c.disposition,
        c.hangupSide,
        c.sipStatus,
        c.forwardingPath.join(' > '),
        c.cost_minor,
        c.price_minor,
        c.currency,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
