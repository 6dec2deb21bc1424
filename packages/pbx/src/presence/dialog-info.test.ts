import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { callDialogs, type WatchedCall } from './call-dialogs.js';
import { formatDialogInfo } from './dialog-info.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => n === 'dialog',
});

/** The document's dialogs, parsed back (RFC 4235 §4 element names). */
function parse(xml: string) {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}\n${xml}`);
  return parser.parse(xml)['dialog-info'];
}

describe('formatDialogInfo (RFC 4235 §4)', () => {
  it('writes a full-state document with the version, entity and each dialog', () => {
    const info = parse(
      formatDialogInfo('sip:1002@acme.test', 3, [
        {
          id: 'c1-in',
          direction: 'recipient',
          state: 'early',
          remote: { identity: 'sip:1001@acme.test', display: 'Alice' },
        },
        { id: 'c2-out', direction: 'initiator', state: 'confirmed' },
      ]),
    );
    expect(info['@xmlns']).toBe('urn:ietf:params:xml:ns:dialog-info');
    expect(info['@version']).toBe('3');
    expect(info['@state']).toBe('full');
    expect(info['@entity']).toBe('sip:1002@acme.test');
    expect(info.dialog).toHaveLength(2);
    expect(info.dialog[0]).toMatchObject({
      '@id': 'c1-in',
      '@direction': 'recipient',
      state: 'early',
      remote: { identity: { '#text': 'sip:1001@acme.test', '@display': 'Alice' } },
    });
    expect(info.dialog[1]).toMatchObject({ '@id': 'c2-out', '@direction': 'initiator', state: 'confirmed' });
    expect(info.dialog[1].remote).toBeUndefined();
  });

  it('has no dialog elements when the extension is idle', () => {
    const xml = formatDialogInfo('sip:1002@acme.test', 0, []);
    expect(parse(xml).dialog).toBeUndefined();
    expect(xml).not.toContain('<dialog ');
  });

  it('escapes markup in display names and identities, and drops characters XML cannot carry', () => {
    const display = 'Bob "<the builder>" & Sons\u0001\u001b';
    const xml = formatDialogInfo('sip:1002@acme.test', 1, [
      {
        id: 'x"><evil/>',
        direction: 'recipient',
        state: 'confirmed',
        remote: { identity: "sip:'a'&b@acme.test", display },
      },
    ]);
    expect(xml).not.toContain('<evil/>');
    const info = parse(xml);
    expect(info.dialog[0]['@id']).toBe('x"><evil/>');
    expect(info.dialog[0].remote.identity['@display']).toBe('Bob "<the builder>" & Sons');
    expect(info.dialog[0].remote.identity['#text']).toBe("sip:'a'&b@acme.test");
  });

  it('stays well-formed and round-trips for any display name', () => {
    const parseEntities = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => n === 'dialog',
      processEntities: true,
      trimValues: false,
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (display) => {
        const xml = formatDialogInfo('sip:1002@acme.test', 0, [
          {
            id: 'd',
            direction: 'recipient',
            state: 'early',
            remote: { identity: 'sip:1001@acme.test', display },
          },
        ]);
        expect(XMLValidator.validate(xml)).toBe(true);
        const kept = display
          .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
          .replace(/[\t\r\n]/g, ' ');
        const got = parseEntities.parse(xml)['dialog-info'].dialog[0].remote.identity;
        if (kept !== '') expect(String(got['@display'])).toBe(kept);
      }),
      { numRuns: 300 },
    );
  });
});

describe('callDialogs (RFC 4235 §3.7.1 states)', () => {
  const base: WatchedCall = {
    id: 'c1',
    tenant: { id: 'acme', domain: 'acme.test' },
    state: 'routing',
    caller: { extension: '1001', displayName: 'Alice' },
    dialled: '1002',
    answeredBy: undefined,
    party: () => undefined,
  };
  const none = new Set<string>();

  it('shows the caller trying, then early while the callee rings, then confirmed', () => {
    expect(callDialogs(base, '1001', none)).toEqual([
      { id: 'c1-out', direction: 'initiator', state: 'trying', remote: { identity: 'sip:1002@acme.test' } },
    ]);
    expect(callDialogs(base, '1001', new Set(['1002']))[0]?.state).toBe('early');
    expect(callDialogs({ ...base, state: 'answered', answeredBy: '1003' }, '1001', none)[0]).toMatchObject({
      state: 'confirmed',
      remote: { identity: 'sip:1003@acme.test' },
    });
  });

  it('shows a callee early only while its devices ring, confirmed only when it answered', () => {
    expect(callDialogs(base, '1002', none)).toEqual([]);
    expect(callDialogs(base, '1002', new Set(['1002']))).toEqual([
      {
        id: 'c1-in',
        direction: 'recipient',
        state: 'early',
        remote: { identity: 'sip:1001@acme.test', display: 'Alice' },
      },
    ]);
    const answered = { ...base, state: 'answered' as const, answeredBy: '1002' };
    expect(callDialogs(answered, '1002', none)[0]?.state).toBe('confirmed');
    // A ring group's other member stops showing the call once someone else answered.
    expect(callDialogs(answered, '1003', new Set(['1003']))).toEqual([]);
    // The caller transferred its side to 1004: 1002 still talks, and so does 1004.
    const transferred = {
      ...answered,
      answeredBy: '1004',
      party: (side: 'a' | 'b') => (side === 'b' ? '1002' : '1001'),
    };
    expect(callDialogs(transferred, '1002', none)[0]?.state).toBe('confirmed');
    expect(callDialogs(transferred, '1004', none)[0]?.state).toBe('confirmed');
  });

  it('shows nothing of an ended call, and nothing for uninvolved extensions', () => {
    expect(callDialogs({ ...base, state: 'ended', answeredBy: '1002' }, '1002', none)).toEqual([]);
    expect(callDialogs({ ...base, state: 'ended' }, '1001', none)).toEqual([]);
    expect(callDialogs(base, '1009', new Set(['1002']))).toEqual([]);
  });
});
