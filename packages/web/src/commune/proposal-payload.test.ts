import { describe, expect, it } from 'vitest';
import { buildPayload, type ProposalFields, payloadFieldFor } from './proposal-payload.js';

const blank: ProposalFields = {
  kind: 'amend-bylaws',
  labour_threshold_hours: '',
  reserve_rate: '',
  quorum: '',
  majority: '',
  grace_period_days: '',
  distribution_policy: '',
  period: '2024-02',
  policy: 'retain',
  property: '',
  enterprise: '',
  rent: '',
  currency: 'EUR',
  term_months: '',
  property_kind: 'capital',
  description: '',
  cost: '',
  seller: '',
  paid_from: 'treasury',
  buyer: '',
  proceeds: '',
};

describe('the command a proposal carries', () => {
  it('sends only the bylaws changed, percentages as basis points', () => {
    expect(buildPayload({ ...blank, labour_threshold_hours: '400', quorum: '60', majority: '66.5' })).toEqual(
      {
        ok: true,
        payload: {
          type: 'amend-bylaws',
          changes: { labour_threshold_hours: 400, quorum_bp: 6_000, majority_bp: 6_650 },
        },
      },
    );
  });

  it('refuses a bylaw change that changes nothing, or a malformed figure, naming the field', () => {
    expect(buildPayload(blank)).toMatchObject({ ok: false, field: 'labour_threshold_hours' });
    expect(buildPayload({ ...blank, quorum: 'half' })).toMatchObject({ ok: false, field: 'quorum' });
    expect(buildPayload({ ...blank, labour_threshold_hours: '-3' })).toMatchObject({ ok: false });
    expect(buildPayload({ ...blank, grace_period_days: '1.5' })).toMatchObject({
      ok: false,
      field: 'grace_period_days',
    });
  });

  it('turns amounts typed in major units into exact minor units', () => {
    expect(
      buildPayload({
        ...blank,
        kind: 'lease',
        property: ' p1 ',
        enterprise: 'tk',
        rent: '1,230.5',
        term_months: '12',
      }),
    ).toEqual({
      ok: true,
      payload: {
        type: 'lease',
        property: 'p1',
        enterprise: 'tk',
        rent_minor: '123050',
        currency: 'EUR',
        term_months: 12,
      },
    });
    expect(buildPayload({ ...blank, kind: 'lease', rent: '0' })).toMatchObject({ ok: false, field: 'rent' });
    expect(
      buildPayload({ ...blank, kind: 'liquidate-property', property: 'p1', buyer: 'X', proceeds: '0' }),
    ).toMatchObject({ ok: true, payload: { proceeds_minor: '0' } });
  });

  it('maps the server’s issue paths back onto the form’s fields', () => {
    expect(payloadFieldFor('body.payload.changes.quorum_bp')).toBe('quorum');
    expect(payloadFieldFor('body.payload.rent_minor')).toBe('rent');
    expect(payloadFieldFor('body.payload.unknown')).toBeUndefined();
  });
});
