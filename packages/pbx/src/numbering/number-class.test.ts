import { describe, expect, it } from 'vitest';
import { emergencyNumbersFor, isEmergencyNumber } from './emergency-numbers.js';
import { classifyNumber } from './number-class.js';
import { permits } from './permission-class.js';

const berlinTenant = { country: 'DE', areaCode: '30' } as const;

describe('classifyNumber', () => {
  it.each([
    ['+49301234567', 'local'],
    ['+49891234567', 'national'],
    ['+4917612345678', 'mobile'],
    ['+498001234567', 'tollfree'],
    ['+499005123456', 'premium'],
    ['+442079460958', 'international'],
    ['+447911123456', 'international'],
    ['+19005550123', 'premium'],
    ['+5351234567', 'international'],
  ] as const)('classifies %s as %s for a Berlin tenant', (e164, numberClass) => {
    expect(classifyNumber(e164, berlinTenant)).toMatchObject({ ok: true, numberClass });
  });

  it('without an area code, domestic fixed lines are national', () => {
    expect(classifyNumber('+49301234567', { country: 'DE' })).toMatchObject({ numberClass: 'national' });
  });

  it('numbers sharing a calling code are domestic only in their own country', () => {
    expect(classifyNumber('+12125550123', { country: 'US' })).toMatchObject({ numberClass: 'national' });
    expect(classifyNumber('+16135550123', { country: 'US' })).toMatchObject({ numberClass: 'international' });
  });

  it('refuses invalid numbers', () => {
    expect(classifyNumber('+49112', berlinTenant).ok).toBe(false);
  });
});

describe('permission classes', () => {
  it('form a ladder, with emergency always allowed', () => {
    expect(permits('internal', 'emergency')).toBe(true);
    expect(permits('internal', 'local')).toBe(false);
    expect(permits('local', 'tollfree')).toBe(true);
    expect(permits('local', 'national')).toBe(false);
    expect(permits('national', 'mobile')).toBe(false);
    expect(permits('mobile', 'mobile')).toBe(true);
    expect(permits('mobile', 'international')).toBe(false);
    expect(permits('international', 'premium')).toBe(false);
    expect(permits('premium', 'international')).toBe(true);
  });
});

describe('emergency numbers', () => {
  it('knows each country and falls back to 112 and 911', () => {
    expect(isEmergencyNumber('110', 'DE')).toBe(true);
    expect(isEmergencyNumber('911', 'US')).toBe(true);
    expect(isEmergencyNumber('999', 'GB')).toBe(true);
    expect(isEmergencyNumber('911', 'DE')).toBe(false);
    expect(emergencyNumbersFor(undefined)).toEqual(['112', '911']);
  });
});
