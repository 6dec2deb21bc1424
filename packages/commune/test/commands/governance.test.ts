import { describe, expect, it } from 'vitest';
import { coop, incorporated, type Scenario } from '../support/scenario.js';

function proposed(
  payload: Record<string, unknown> = { type: 'amend-bylaws', changes: { reserve_rate_bp: 1_500 } },
): Scenario {
  const s = incorporated();
  s.given({
    type: 'propose',
    proposal: 'p',
    proposer: 'ada',
    title: 'a change',
    closes_on: '2024-03-08',
    payload,
  } as never);
  return s;
}

describe('propose', () => {
  it('opens a proposal carrying a governed command', () => {
    const s = proposed();
    expect(s.state.proposals.get('p')).toMatchObject({ status: 'open', yes: 0, no: 0 });
  });

  it('refuses non-members, duplicates, a payload that is not governed, and bad windows', () => {
    const s = proposed();
    s.given({ type: 'register-person', person: 'outsider', name: 'O' });
    const p = {
      type: 'propose',
      title: 't',
      closes_on: '2024-03-08',
      payload: { type: 'distribute', period: '2024-02' },
    } as const;
    s.reject({ ...p, proposal: 'q', proposer: 'outsider' }, 'NOT_MEMBER');
    s.reject({ ...p, proposal: 'p', proposer: 'ada' }, 'DUPLICATE');
    s.reject({ ...p, proposal: 'q', proposer: 'ada', closes_on: '2024-02-01' }, 'INVALID');
    s.reject(
      {
        ...p,
        proposal: 'q',
        proposer: 'ada',
        payload: { type: 'admit-member', person: 'outsider' },
      } as never,
      'INVALID',
    );
    s.reject(
      { ...p, proposal: 'q', proposer: 'ada', payload: { type: 'resign', person: 'bruno' } } as never,
      'INVALID',
    );
    s.reject(
      { ...p, proposal: 'q', proposer: 'ada', payload: { type: 'transfer-share', person: 'bruno' } } as never,
      'INVALID',
    );
    coop().reject({ ...p, proposal: 'q', proposer: 'ada' }, 'NOT_INCORPORATED');
  });
});

describe('vote', () => {
  it('takes one vote per member until the proposal closes', () => {
    const s = proposed();
    s.accept({ type: 'vote', proposal: 'p', member: 'ada', choice: 'yes' });
    s.reject({ type: 'vote', proposal: 'p', member: 'ada', choice: 'no' }, 'ALREADY_VOTED');
    s.given({ type: 'register-person', person: 'outsider', name: 'O' });
    s.reject({ type: 'vote', proposal: 'p', member: 'outsider', choice: 'yes' }, 'NOT_MEMBER');
    s.reject({ type: 'vote', proposal: 'ghost', member: 'bruno', choice: 'yes' }, 'NOT_FOUND');
    s.on('2024-03-09').reject(
      { type: 'vote', proposal: 'p', member: 'bruno', choice: 'yes' },
      'PROPOSAL_CLOSED',
    );
  });
});

describe('close-proposal', () => {
  it('passes with quorum and majority and carries out its command', () => {
    const s = proposed();
    s.given(
      { type: 'vote', proposal: 'p', member: 'ada', choice: 'yes' },
      { type: 'vote', proposal: 'p', member: 'bruno', choice: 'abstain' },
    );
    s.reject({ type: 'close-proposal', proposal: 'p' }, 'PERIOD_OPEN');
    s.on('2024-03-08');
    const events = s.accept({ type: 'close-proposal', proposal: 'p' });
    expect(events[0]).toMatchObject({
      type: 'proposal-closed',
      passed: true,
      yes: 1,
      no: 0,
      abstain: 1,
      members: 3,
      executed: true,
    });
    expect(s.state.bylaws.reserve_rate_bp).toBe(1_500);
    s.reject({ type: 'close-proposal', proposal: 'p' }, 'PROPOSAL_CLOSED');
    s.reject({ type: 'close-proposal', proposal: 'ghost' }, 'NOT_FOUND');
  });

  it('fails without quorum, or without a majority of those voting yes or no', () => {
    const noQuorum = proposed();
    noQuorum.given({ type: 'vote', proposal: 'p', member: 'ada', choice: 'yes' });
    noQuorum.on('2024-03-08');
    expect(noQuorum.accept({ type: 'close-proposal', proposal: 'p' })).toEqual([
      expect.objectContaining({ passed: false, executed: false }),
    ]);
    const tie = proposed();
    tie.given(
      { type: 'vote', proposal: 'p', member: 'ada', choice: 'yes' },
      { type: 'vote', proposal: 'p', member: 'bruno', choice: 'no' },
    );
    tie.on('2024-03-08');
    expect(tie.accept({ type: 'close-proposal', proposal: 'p' })[0]).toMatchObject({ passed: false });
    expect(tie.state.bylaws.reserve_rate_bp).toBe(1_000);
  });

  it('records a passed proposal whose command the rules refuse, without suspending any rule', () => {
    const s = proposed({
      type: 'liquidate-property',
      property: 'servers',
      buyer: 'Speculator',
      proceeds_minor: 1n,
    });
    s.given(
      { type: 'vote', proposal: 'p', member: 'ada', choice: 'yes' },
      { type: 'vote', proposal: 'p', member: 'bruno', choice: 'yes' },
    );
    s.on('2024-03-08');
    const events = s.accept({ type: 'close-proposal', proposal: 'p' });
    expect(events).toEqual([
      expect.objectContaining({
        passed: true,
        executed: false,
        execution_error: expect.stringMatching(/^PROPERTY_LEASED/),
      }),
    ]);
    expect(s.state.properties.get('servers')?.status).toBe('leased');
  });
});
