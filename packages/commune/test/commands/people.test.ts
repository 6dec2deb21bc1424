import { describe, expect, it } from 'vitest';
import { coop, incorporated, raw, Scenario } from '../support/scenario.js';

describe('register-person', () => {
  it('registers anyone, once', () => {
    const s = new Scenario();
    const [event] = s.accept({
      type: 'register-person',
      person: 'ada',
      name: 'Ada',
      contact: 'ada@example.org',
    });
    expect(event).toMatchObject({
      type: 'person-registered',
      person: 'ada',
      name: 'Ada',
      contact: 'ada@example.org',
    });
    s.reject({ type: 'register-person', person: 'ada', name: 'Another Ada' }, 'DUPLICATE');
  });

  it('refuses identifiers that could forge account names, and oversized or empty fields', () => {
    const s = new Scenario();
    s.reject({ type: 'register-person', person: 'a/b', name: 'x' }, 'INVALID');
    s.reject({ type: 'register-person', person: 'lease#1', name: 'x' }, 'INVALID');
    s.reject({ type: 'register-person', person: 'a:b', name: 'x' }, 'INVALID');
    s.reject({ type: 'register-person', person: 'x'.repeat(65), name: 'x' }, 'INVALID');
    s.reject({ type: 'register-person', person: 'ok', name: '' }, 'INVALID');
    s.reject({ type: 'register-person', person: 'ok', name: 'n'.repeat(201) }, 'INVALID');
    s.reject(raw({ type: 'register-person', person: 'ok', name: 'ok', extra: 1 }), 'INVALID');
  });
});

describe('found-enterprise', () => {
  it('founds a co-op before incorporation, with the workers’ opening capital in its books', () => {
    const s = new Scenario();
    s.accept({ type: 'found-enterprise', enterprise: 'coop', name: 'Coop', opening_cash_minor: 5_000n });
    expect(s.state.enterprises.get('coop')?.status).toBe('co-op');
    expect(s.balance('enterprise:coop/asset/cash')).toBe(5_000n);
    expect(s.balance('enterprise:coop/equity/workers-capital')).toBe(-5_000n);
    s.reject({ type: 'found-enterprise', enterprise: 'coop', name: 'Again' }, 'DUPLICATE');
  });

  it('founds a commune enterprise after incorporation, with no outside owners', () => {
    const s = incorporated();
    s.accept({ type: 'found-enterprise', enterprise: 'bakery', name: 'Bakery' });
    expect(s.state.enterprises.get('bakery')?.status).toBe('commune-enterprise');
    s.reject(
      { type: 'found-enterprise', enterprise: 'shop', name: 'Shop', opening_cash_minor: 1n },
      'INVALID',
    );
  });
});

describe('employ and end-employment', () => {
  it('records who works where; a person may work for one enterprise once at a time', () => {
    const s = coop();
    s.given({ type: 'register-person', person: 'dee', name: 'Dee' });
    const [event] = s.accept({ type: 'employ', person: 'dee', enterprise: 'coop' });
    expect(event).toMatchObject({ type: 'employment-started', person: 'dee', enterprise: 'coop' });
    s.reject({ type: 'employ', person: 'dee', enterprise: 'coop' }, 'DUPLICATE');
    s.reject({ type: 'employ', person: 'ghost', enterprise: 'coop' }, 'NOT_FOUND');
    s.reject({ type: 'employ', person: 'dee', enterprise: 'ghost' }, 'NOT_FOUND');
    s.accept({ type: 'end-employment', person: 'dee', enterprise: 'coop' });
    s.reject({ type: 'end-employment', person: 'dee', enterprise: 'coop' }, 'NOT_EMPLOYED');
    s.accept({ type: 'employ', person: 'dee', enterprise: 'coop' });
  });
});

describe('record-labour', () => {
  it('adds hours, in hundredths, to the person’s labour', () => {
    const s = coop(0.01);
    s.accept({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: 7.5 });
    expect(s.state.labour.get('ada')?.centihours).toBe(751);
  });

  it('refuses labour for an enterprise the person does not work for, for the commune before there is one, and malformed hours', () => {
    const s = coop();
    s.given({ type: 'register-person', person: 'dee', name: 'Dee' });
    s.reject({ type: 'record-labour', person: 'dee', enterprise: 'coop', hours: 8 }, 'NOT_EMPLOYED');
    s.reject({ type: 'record-labour', person: 'dee', hours: 8 }, 'NOT_INCORPORATED');
    s.reject({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: 0 }, 'INVALID');
    s.reject({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: -3 }, 'INVALID');
    s.reject({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: 1.234 }, 'INVALID');
    s.reject({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: 745 }, 'INVALID');
    s.reject(raw({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: '8' }), 'INVALID');
    s.reject({ type: 'record-labour', person: 'ghost', enterprise: 'coop', hours: 8 }, 'NOT_FOUND');
    s.reject({ type: 'record-labour', person: 'ada', enterprise: 'ghost', hours: 8 }, 'NOT_FOUND');
  });

  it('cannot be paid for', () => {
    const s = coop();
    s.reject(
      raw({ type: 'record-labour', person: 'ada', enterprise: 'coop', hours: 8, paid_minor: '5000' }),
      'SHARE_NOT_FOR_SALE',
    );
  });
});

describe('every command', () => {
  it('refuses an effective date before the last recorded one', () => {
    const s = coop();
    s.on('2024-01-01').reject({ type: 'register-person', person: 'late', name: 'Late' }, 'OUT_OF_ORDER');
  });

  it('treats a retry with the same key as already done, and a different command with a used key as a duplicate', () => {
    const s = new Scenario();
    const command = {
      type: 'register-person',
      person: 'ada',
      name: 'Ada',
      idempotency_key: 'once',
      effective_date: '2024-01-01',
    };
    expect(s.engine.execute(command).status).toBe('accepted');
    expect(s.engine.execute(command)).toEqual({ status: 'duplicate', seq: 1 });
    const other = s.engine.execute({ ...command, person: 'bo', name: 'Bo' });
    expect(other.status === 'rejected' && other.rejection.code).toBe('DUPLICATE');
    expect(s.engine.seq).toBe(1);
  });
});
