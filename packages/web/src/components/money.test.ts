import { describe, expect, it } from 'vitest';
import { formatMinor, money, parseMajor, parsePercent, percent, ratio } from './money.js';

describe('console money', () => {
  it('formats minor units exactly, with separators, signs and big values', () => {
    expect(formatMinor('79000')).toBe('790.00');
    expect(formatMinor('5')).toBe('0.05');
    expect(formatMinor('-5')).toBe('-0.05');
    expect(formatMinor('-123456789')).toBe('-1,234,567.89');
    expect(formatMinor('100000000000000000001')).toBe('1,000,000,000,000,000,000.01');
    expect(formatMinor(123456n, { group: false })).toBe('1234.56');
    expect(money('102000', 'EUR')).toBe('EUR 1,020.00');
  });

  it('reads what people type as amounts without floating point', () => {
    expect(parseMajor('790')).toEqual({ ok: true, minor: '79000' });
    expect(parseMajor(' 1,234.5 ')).toEqual({ ok: true, minor: '123450' });
    expect(parseMajor('0.07')).toEqual({ ok: true, minor: '7' });
    expect(parseMajor('0.1')).toEqual({ ok: true, minor: '10' });
    expect(parseMajor('9999999999999.99')).toEqual({ ok: true, minor: '999999999999999' });
    expect(parseMajor('0', { allowZero: true })).toEqual({ ok: true, minor: '0' });
    for (const bad of ['', '0', '1.234', '-5', '1e3', '12,34.5.6', 'ten', '10000000000000000']) {
      expect(parseMajor(bad).ok, bad).toBe(false);
    }
  });

  it('reads percentages as basis points and shows ratios', () => {
    expect(parsePercent('3.75')).toEqual({ ok: true, bp: 375 });
    expect(parsePercent('4')).toEqual({ ok: true, bp: 400 });
    expect(parsePercent('0.5 %')).toEqual({ ok: true, bp: 50 });
    expect(parsePercent('3.755').ok).toBe(false);
    expect(parsePercent('-1').ok).toBe(false);
    expect(percent(350)).toBe('3.50 %');
    expect(ratio(13333)).toBe('1.33');
  });
});
