import { parseNameAddr } from '@telekommune/sip';
import { describe, expect, it } from 'vitest';
import { decideRefer, type ReferContext } from './refer-decision.js';

const context = (over: Partial<ReferContext> = {}): ReferContext => ({
  tenantId: 'acme',
  tenantOfHost: (host) => ({ 'acme.test': 'acme', 'beta.test': 'beta' })[host],
  transferor: '1001',
  connected: true,
  transferring: false,
  resolve: (dialled) => (/^\d{4}$/.test(dialled) ? { kind: 'extension', number: dialled } : undefined),
  ...over,
});
const referTo = (value: string) => () => parseNameAddr(value, 'Refer-To');

describe('decideRefer', () => {
  it('transfers blind to a number of the tenant, by domain or by the PBX address', () => {
    expect(decideRefer(referTo('<sip:1003@acme.test>'), context())).toEqual({
      kind: 'blind',
      dialled: '1003',
      destination: { kind: 'extension', number: '1003' },
    });
    expect(decideRefer(referTo('sip:1003@127.0.0.1:5060'), context())).toMatchObject({ kind: 'blind' });
    expect(decideRefer(referTo('<tel:1003>'), context())).toMatchObject({ kind: 'blind', dialled: '1003' });
  });

  it('reads Replaces in the Refer-To as an attended transfer (RFC 3891)', () => {
    const decision = decideRefer(
      referTo('<sip:1003@acme.test?Replaces=abc%40host%3Bto-tag%3D11%3Bfrom-tag%3D22>'),
      context(),
    );
    expect(decision).toMatchObject({
      kind: 'attended',
      dialled: '1003',
      replaces: { callId: 'abc@host', toTag: '11', fromTag: '22' },
    });
  });

  it('refuses a target in another tenant, whoever asks', () => {
    expect(decideRefer(referTo('<sip:3001@beta.test>'), context())).toEqual({
      kind: 'refuse',
      status: 403,
      reason: 'Transfers Between Tenants Are Not Allowed',
    });
    expect(decideRefer(referTo('<sip:1003@BETA.test>'), context())).toMatchObject({ status: 403 });
  });

  it('refuses parties that are no extension, calls not connected, and a second transfer at once', () => {
    const to = referTo('<sip:1003@acme.test>');
    expect(decideRefer(to, context({ transferor: undefined }))).toMatchObject({ status: 403 });
    expect(decideRefer(to, context({ connected: false }))).toMatchObject({ status: 403 });
    expect(decideRefer(to, context({ transferring: true }))).toMatchObject({ status: 491 });
  });

  it('refuses missing, malformed and unusable Refer-To values', () => {
    expect(decideRefer(undefined, context())).toMatchObject({ status: 400, reason: 'Missing Refer-To' });
    expect(decideRefer(() => undefined, context())).toMatchObject({ status: 400 });
    expect(decideRefer(referTo('<sip:1003@acme.test;method=BYE>'), context())).toMatchObject({
      status: 403,
    });
    expect(decideRefer(referTo('<mailto:a@acme.test>'), context())).toMatchObject({ status: 416 });
    expect(decideRefer(referTo('<sip:acme.test>'), context())).toMatchObject({ status: 404 });
    expect(decideRefer(referTo('<sip:99@acme.test>'), context())).toMatchObject({ status: 404 });
    expect(decideRefer(referTo('<sip:1003@acme.test?Replaces=abc%3Bto-tag%3D11>'), context())).toMatchObject({
      status: 400,
      reason: 'Bad Replaces In Refer-To',
    });
    const throwing = () => {
      throw new Error('bad header');
    };
    expect(decideRefer(throwing, context())).toMatchObject({ status: 400, reason: 'Bad Refer-To' });
  });
});
