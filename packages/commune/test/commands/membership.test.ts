import { describe, expect, it } from 'vitest';
import { coop, incorporated, raw } from '../support/scenario.js';

function withNewcomer(hours: number) {
  const s = incorporated();
  s.given(
    { type: 'register-person', person: 'dee', name: 'Dee' },
    { type: 'employ', person: 'dee', enterprise: 'coop' },
    { type: 'record-labour', person: 'dee', enterprise: 'coop', hours },
  );
  return s;
}

describe('apply', () => {
  it('admits at once an eligible applicant who meets the threshold', () => {
    const s = withNewcomer(500);
    const events = s.accept({ type: 'apply', person: 'dee' });
    expect(events.map((e) => e.type)).toEqual(['application-filed', 'member-admitted']);
    expect(s.state.members.has('dee')).toBe(true);
  });

  it('files the application of one short of the threshold and admits them the moment their labour meets it', () => {
    const s = withNewcomer(400);
    expect(s.accept({ type: 'apply', person: 'dee' }).map((e) => e.type)).toEqual(['application-filed']);
    expect(s.state.members.has('dee')).toBe(false);
    const events = s.accept({ type: 'record-labour', person: 'dee', enterprise: 'coop', hours: 100 });
    expect(events.map((e) => e.type)).toEqual(['labour-recorded', 'member-admitted']);
    expect(s.state.members.has('dee')).toBe(true);
  });

  it('admits a pending applicant when a lowered threshold lets them in', () => {
    const s = withNewcomer(450);
    s.given({ type: 'apply', person: 'dee' });
    s.given({
      type: 'propose',
      proposal: 'lower',
      proposer: 'ada',
      title: 'lower the threshold',
      closes_on: '2024-03-10',
      payload: { type: 'amend-bylaws', changes: { labour_threshold_hours: 400 } },
    });
    s.given(
      { type: 'vote', proposal: 'lower', member: 'ada', choice: 'yes' },
      { type: 'vote', proposal: 'lower', member: 'bruno', choice: 'yes' },
    );
    s.on('2024-03-10');
    const events = s.accept({ type: 'close-proposal', proposal: 'lower' });
    expect(events.map((e) => e.type)).toEqual(['proposal-closed', 'bylaws-amended', 'member-admitted']);
  });

  it('refuses a member, a second application, an unknown person, and someone whose labour does not work commune property', () => {
    const s = withNewcomer(100);
    s.reject({ type: 'apply', person: 'ada' }, 'ALREADY_MEMBER');
    s.given({ type: 'apply', person: 'dee' });
    s.reject({ type: 'apply', person: 'dee' }, 'DUPLICATE');
    s.reject({ type: 'apply', person: 'ghost' }, 'NOT_FOUND');
    s.given({ type: 'register-person', person: 'outsider', name: 'Outsider' });
    s.reject({ type: 'apply', person: 'outsider' }, 'NOT_ELIGIBLE');
  });

  it('needs a commune', () => {
    coop().reject({ type: 'apply', person: 'ada' }, 'NOT_INCORPORATED');
  });

  it('makes a person working for the commune directly eligible', () => {
    const s = incorporated();
    s.given({ type: 'register-person', person: 'eve', name: 'Eve' });
    s.reject({ type: 'apply', person: 'eve' }, 'NOT_ELIGIBLE');
    s.given({ type: 'record-labour', person: 'eve', hours: 500, note: 'commune bookkeeping' });
    expect(s.accept({ type: 'apply', person: 'eve' }).map((e) => e.type)).toContain('member-admitted');
  });
});

describe('admit-member', () => {
  it('issues one share to an eligible person with the labour', () => {
    const s = withNewcomer(600);
    const [event] = s.accept({ type: 'admit-member', person: 'dee' });
    expect(event).toMatchObject({
      type: 'member-admitted',
      person: 'dee',
      labour_centihours: 60_000,
      threshold_centihours: 50_000,
    });
    expect(s.state.members.size).toBe(4);
  });

  it('refuses insufficient labour, a second share, and the ineligible', () => {
    const s = withNewcomer(499.99);
    s.reject({ type: 'admit-member', person: 'dee' }, 'INSUFFICIENT_LABOUR');
    s.reject({ type: 'admit-member', person: 'ada' }, 'ALREADY_MEMBER');
    s.given({ type: 'end-employment', person: 'dee', enterprise: 'coop' });
    s.reject({ type: 'admit-member', person: 'dee' }, 'NOT_ELIGIBLE');
  });

  it('cannot carry a payment: a share is never bought', () => {
    const s = withNewcomer(600);
    s.reject(raw({ type: 'admit-member', person: 'dee', payment_minor: '100000' }), 'SHARE_NOT_FOR_SALE');
    s.reject(raw({ type: 'apply', person: 'dee', price_minor: 1 }), 'SHARE_NOT_FOR_SALE');
  });
});

describe('resign', () => {
  it('cancels the share; the person may apply again under the same rules', () => {
    const s = incorporated();
    s.accept({ type: 'resign', person: 'chiara' });
    expect(s.state.members.has('chiara')).toBe(false);
    expect(s.state.count('shares_cancelled')).toBe(1);
    const events = s.accept({ type: 'apply', person: 'chiara' });
    expect(events.map((e) => e.type)).toEqual(['application-filed', 'member-admitted']);
  });

  it('refuses a non-member, an heir and a transfer', () => {
    const s = incorporated();
    s.given({ type: 'register-person', person: 'dee', name: 'Dee' });
    s.reject({ type: 'resign', person: 'dee' }, 'NOT_MEMBER');
    s.reject({ type: 'resign', person: 'ghost' }, 'NOT_FOUND');
    s.reject(raw({ type: 'resign', person: 'ada', heir: 'dee' }), 'SHARE_NOT_FOR_SALE');
    s.reject(raw({ type: 'resign', person: 'ada', transfer_to: 'dee' }), 'SHARE_NOT_FOR_SALE');
  });
});

describe('a share cannot be bought, sold, transferred or inherited (§3.1)', () => {
  for (const type of ['buy-share', 'sell-share', 'transfer-share', 'inherit-share']) {
    it(`refuses ${type}`, () => {
      const s = incorporated();
      s.given({ type: 'register-person', person: 'rich', name: 'Rich' });
      s.reject({ type, person: 'rich', from_person: 'ada', price_minor: '1000000' }, 'SHARE_NOT_FOR_SALE');
      expect(s.state.members.has('rich')).toBe(false);
    });
  }

  it('gives a bond holder no share', () => {
    const s = incorporated();
    s.given({ type: 'register-person', person: 'lender', name: 'Lender' });
    s.reject({ type: 'admit-member', person: 'lender' }, 'NOT_ELIGIBLE');
    s.reject({ type: 'record-labour', person: 'lender', enterprise: 'coop', hours: 100 }, 'NOT_EMPLOYED');
  });
});
