import { parseMajor, parsePercent } from '../components/money.js';

/** The kinds of proposal the console offers (venture-commune.md §10); each carries one governed command. */
export const proposalKinds = {
  'amend-bylaws': 'Change the bylaws',
  distribute: 'Distribute or keep a month’s surplus',
  lease: 'Lease a vacant property',
  'acquire-property': 'Acquire property',
  'liquidate-property': 'Liquidate a vacant property',
} as const;
export type ProposalKind = keyof typeof proposalKinds;

/** Everything the proposal form can hold; only the fields of the chosen kind are read. */
export interface ProposalFields {
  kind: ProposalKind;
  labour_threshold_hours: string;
  reserve_rate: string;
  quorum: string;
  majority: string;
  grace_period_days: string;
  distribution_policy: '' | 'distribute' | 'retain';
  period: string;
  policy: 'distribute' | 'retain';
  property: string;
  enterprise: string;
  rent: string;
  currency: string;
  term_months: string;
  property_kind: 'capital' | 'land';
  description: string;
  cost: string;
  seller: string;
  paid_from: 'treasury' | 'reserve';
  buyer: string;
  proceeds: string;
}

export type PayloadField = keyof Omit<ProposalFields, 'kind'>;

type FieldError = { ok: false; field: PayloadField; message: string };

export type BuiltPayload =
  | { ok: true; payload: Record<string, unknown> & { type: ProposalKind } }
  | FieldError;

/** A whole number typed in a field, or an error for it. */
function whole(text: string, field: PayloadField): { ok: true; value: number } | FieldError {
  if (!/^\d{1,9}$/.test(text.trim())) return { ok: false, field, message: 'expected a whole number' };
  return { ok: true, value: Number(text.trim()) };
}

function amount(
  text: string,
  field: PayloadField,
  allowZero = false,
): { ok: true; value: string } | FieldError {
  const parsed = parseMajor(text, { allowZero });
  return parsed.ok ? { ok: true, value: parsed.minor } : { ok: false, field, message: parsed.message };
}

function bylawChanges(v: ProposalFields): BuiltPayload {
  const changes: Record<string, unknown> = {};
  if (v.labour_threshold_hours.trim()) {
    const hours = Number(v.labour_threshold_hours.trim());
    if (!/^\d+(\.\d{1,2})?$/.test(v.labour_threshold_hours.trim()) || hours <= 0)
      return { ok: false, field: 'labour_threshold_hours', message: 'expected hours such as 400' };
    changes.labour_threshold_hours = hours;
  }
  for (const [field, name] of [
    ['reserve_rate', 'reserve_rate_bp'],
    ['quorum', 'quorum_bp'],
    ['majority', 'majority_bp'],
  ] as const) {
    if (!v[field].trim()) continue;
    const parsed = parsePercent(v[field]);
    if (!parsed.ok) return { ok: false, field, message: parsed.message };
    changes[name] = parsed.bp;
  }
  if (v.grace_period_days.trim()) {
    const days = whole(v.grace_period_days, 'grace_period_days');
    if (!days.ok) return days;
    changes.grace_period_days = days.value;
  }
  if (v.distribution_policy) changes.distribution_policy = v.distribution_policy;
  if (Object.keys(changes).length === 0)
    return { ok: false, field: 'labour_threshold_hours', message: 'change at least one bylaw' };
  return { ok: true, payload: { type: 'amend-bylaws', changes } };
}

/**
 * The command a proposal carries, from the form's fields: amounts typed in
 * major units become minor units, percentages basis points. The server
 * checks the rest (and names the field it rejects).
 */
export function buildPayload(v: ProposalFields): BuiltPayload {
  switch (v.kind) {
    case 'amend-bylaws':
      return bylawChanges(v);
    case 'distribute':
      return { ok: true, payload: { type: 'distribute', period: v.period.trim(), policy: v.policy } };
    case 'lease': {
      const rent = amount(v.rent, 'rent');
      if (!rent.ok) return rent;
      const payload: Record<string, unknown> = {
        property: v.property.trim(),
        enterprise: v.enterprise.trim(),
        rent_minor: rent.value,
        currency: v.currency.trim(),
      };
      if (v.term_months.trim()) {
        const term = whole(v.term_months, 'term_months');
        if (!term.ok) return term;
        payload.term_months = term.value;
      }
      return { ok: true, payload: { type: 'lease', ...payload } };
    }
    case 'acquire-property': {
      const cost = amount(v.cost, 'cost');
      if (!cost.ok) return cost;
      return {
        ok: true,
        payload: {
          type: 'acquire-property',
          property: v.property.trim(),
          kind: v.property_kind,
          description: v.description.trim(),
          cost_minor: cost.value,
          seller: v.seller.trim(),
          paid_from: v.paid_from,
        },
      };
    }
    case 'liquidate-property': {
      const proceeds = amount(v.proceeds, 'proceeds', true);
      if (!proceeds.ok) return proceeds;
      return {
        ok: true,
        payload: {
          type: 'liquidate-property',
          property: v.property.trim(),
          buyer: v.buyer.trim(),
          proceeds_minor: proceeds.value,
        },
      };
    }
  }
}

/** The form field a server issue path (`body.payload.changes.quorum_bp`) belongs to. */
export function payloadFieldFor(path: string): PayloadField | undefined {
  const name = path.replace(/^body\./, '').replace(/^payload\.(changes\.)?/, '');
  const fields: Record<string, PayloadField> = {
    labour_threshold_hours: 'labour_threshold_hours',
    reserve_rate_bp: 'reserve_rate',
    quorum_bp: 'quorum',
    majority_bp: 'majority',
    grace_period_days: 'grace_period_days',
    period: 'period',
    property: 'property',
    enterprise: 'enterprise',
    rent_minor: 'rent',
    currency: 'currency',
    term_months: 'term_months',
    description: 'description',
    cost_minor: 'cost',
    seller: 'seller',
    buyer: 'buyer',
    proceeds_minor: 'proceeds',
  };
  return fields[name];
}
