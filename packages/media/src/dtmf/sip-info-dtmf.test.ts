import { describe, expect, it } from 'vitest';
import { isSipInfoDtmfContentType, parseSipInfoDtmf } from './sip-info-dtmf.js';

describe('DTMF in SIP INFO', () => {
  it('parses application/dtmf-relay', () => {
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toEqual({
      ok: true,
      digit: '5',
      durationMs: 160,
    });
    expect(parseSipInfoDtmf('Application/DTMF-Relay; charset=utf-8', 'signal= #\nduration= 250')).toEqual({
      ok: true,
      digit: '#',
      durationMs: 250,
    });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=*')).toEqual({ ok: true, digit: '*' });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=10\r\nDuration=100')).toMatchObject({
      digit: '*',
    });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=11')).toMatchObject({ digit: '#' });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=d')).toMatchObject({ digit: 'D' });
    expect(parseSipInfoDtmf('application/dtmf-relay', Buffer.from('Signal=1\r\nDuration=99999999'))).toEqual({
      ok: false,
      reason: 'bad-duration',
    });
  });

  it('parses application/dtmf', () => {
    expect(parseSipInfoDtmf('application/dtmf', '7')).toEqual({ ok: true, digit: '7' });
    expect(parseSipInfoDtmf('application/dtmf', '11\r\n')).toEqual({ ok: true, digit: '#' });
  });

  it('rejects what is not DTMF', () => {
    expect(parseSipInfoDtmf('application/sdp', 'v=0')).toEqual({
      ok: false,
      reason: 'unsupported-content-type',
    });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Duration=100')).toEqual({
      ok: false,
      reason: 'no-signal',
    });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=X')).toEqual({
      ok: false,
      reason: 'unknown-signal',
    });
    expect(parseSipInfoDtmf('application/dtmf-relay', 'Signal=55')).toEqual({
      ok: false,
      reason: 'unknown-signal',
    });
    expect(parseSipInfoDtmf('application/dtmf', '')).toEqual({ ok: false, reason: 'no-signal' });
    expect(parseSipInfoDtmf('application/dtmf', 'x'.repeat(2000))).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(isSipInfoDtmfContentType('application/dtmf-relay')).toBe(true);
    expect(isSipInfoDtmfContentType('text/plain')).toBe(false);
  });
});
