import { describe, expect, it } from 'vitest';
import { dialString, e164Candidates, formatInternational, isE164, normaliseNumber } from './e164.js';

describe('dialString', () => {
  it('takes the number out of tel: and sip: URIs and name-addrs, dropping visual separators', () => {
    expect(dialString('tel:+49-30-1234567')).toBe('+49301234567');
    expect(dialString('tel:030-1234567;phone-context=+49')).toBe('0301234567');
    expect(dialString('<sip:+4930123456@carrier.example;user=phone>')).toBe('+4930123456');
    expect(dialString('"Alice" <sips:004930123456@carrier.example>;tag=1')).toBe('004930123456');
    expect(dialString('+1 (212) 555.0123')).toBe('+12125550123');
  });

  it('refuses what is not a number', () => {
    expect(dialString('sip:alice@example.com')).toBeUndefined();
    expect(dialString('12a34')).toBeUndefined();
    expect(dialString('+')).toBeUndefined();
    expect(dialString('')).toBeUndefined();
  });
});

/** The same Berlin number as carriers and users write it. */
const berlin = '+49301234567';

describe('normaliseNumber', () => {
  it.each([
    ['+49 30 1234567', undefined],
    ['+49301234567', undefined],
    ['0049301234567', undefined],
    ['49301234567', undefined],
    ['030 1234567', 'DE'],
    ['030/123 45 67', 'DE'],
    ['tel:+49-30-1234567', undefined],
    ['sip:0049301234567@gw.example', undefined],
    ['49301234567', 'DE'],
    ['011 49 30 1234567', 'US'],
  ] as const)('reads %s (country %s) as the Berlin number', (input, country) => {
    expect(normaliseNumber(input, { country })).toEqual({ ok: true, e164: berlin });
  });

  it.each([
    ['020 7946 0958', 'GB', '+442079460958'],
    ['(212) 555-0123', 'US', '+12125550123'],
    ['01 42 68 53 00', 'FR', '+33142685300'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['0176 12345678', 'DE', '+4917612345678'],
    ['+55 11 2345-6789', undefined, '+551123456789'],
    ['00 53 5 1234567', 'DE', '+5351234567'],
  ] as const)('reads national and international forms across countries: %s (%s)', (input, country, e164) => {
    expect(normaliseNumber(input, { country })).toEqual({ ok: true, e164 });
  });

  it('honours a stated form over guessing', () => {
    // As national digits in DE this is not the Berlin number; as international digits it is.
    expect(e164Candidates('49301234567', { country: 'DE', form: 'international' })).toEqual([berlin]);
    expect(e164Candidates('0301234567', { country: 'DE', form: 'national' })).toEqual([berlin]);
  });

  it('explains what is wrong', () => {
    expect(normaliseNumber('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(normaliseNumber('call me')).toMatchObject({ ok: false, reason: 'bad-characters' });
    expect(normaliseNumber('030 1234567')).toMatchObject({ ok: false, reason: 'invalid-number' });
    expect(normaliseNumber('+99912345')).toMatchObject({ ok: false, reason: 'invalid-number' });
    expect(normaliseNumber('9'.repeat(300))).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('never throws on hostile input', () => {
    for (const input of [
      '<',
      '<>',
      'tel:',
      'sip:@',
      ';;;',
      '+'.repeat(50),
      '\u0000\u0001',
      'tel:+;x=1',
      '0'.repeat(256),
    ]) {
      expect(() => normaliseNumber(input, { country: 'DE' })).not.toThrow();
    }
  });

  it('checks and formats E.164', () => {
    expect(isE164(berlin)).toBe(true);
    expect(isE164('+0301234567')).toBe(false);
    expect(isE164(`+${'1'.repeat(16)}`)).toBe(false);
    expect(formatInternational(berlin)).toBe('+49 30 1234567');
  });
});
