import { parseMessage, type SipRequest } from '@telekommune/sip';
import { describe, expect, it } from 'vitest';
import { carrierConfigSchema } from '../../carriers/carrier-config.js';
import { CarrierSources } from '../../carriers/carrier-source.js';
import { CarrierStatusBoard } from '../../carriers/carrier-status.js';
import { TenantDirectory } from '../../directory/tenant-directory.js';
import { DidDirectory } from '../../numbering/did-directory.js';
import { tenantConfigSchema } from '../../provisioning/tenant-config.js';
import type { CarrierServices } from './carrier-services.js';
import { InboundCalls } from './inbound-calls.js';
import { TrunkCallBook } from './trunk-call-book.js';

const tenants = [
  tenantConfigSchema.parse({
    id: 'acme',
    name: 'ACME',
    domain: 'acme.test',
    country: 'DE',
    extensions: [{ number: '1001', name: 'A', password: 'secret-1001' }],
    dids: [{ number: '030 1234567', destination: '1001' }],
  }),
  tenantConfigSchema.parse({
    id: 'globex',
    name: 'Globex',
    domain: 'globex.test',
    extensions: [{ number: '2001', name: 'B', password: 'secret-2001' }],
    dids: [{ number: '+44 20 7946 0958', destination: 'ringgroup:sales' }],
    ringGroups: [
      { id: 'sales', name: 'Sales', strategy: 'hunt', members: ['2001'], timeout_s: 30, finally: 'hangup' },
    ],
  }),
];
const carrier = carrierConfigSchema.parse({
  id: 'de',
  name: 'German carrier',
  host: '198.51.100.1',
  auth: { mode: 'ip', allow: ['198.51.100.0/28'] },
  numberFormat: 'national',
  country: 'DE',
  maxCalls: 1,
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function setup() {
  const board = new CarrierStatusBoard();
  const services = {
    board,
    sources: () => new CarrierSources([carrier]),
    dids: () => new DidDirectory(tenants),
  } as unknown as CarrierServices;
  const book = new TrunkCallBook();
  const inbound = new InboundCalls({
    services,
    directory: () => new TenantDirectory(tenants),
    book,
    logger: silent,
    registeredCarrierFor: () => undefined,
  });
  return { board, book, inbound };
}

function invite(lines: string[]): SipRequest {
  const text = `${lines.join('\r\n')}\r\nVia: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok) throw new Error('test message does not parse');
  return parsed.message as SipRequest;
}

const flow = (remoteAddress: string) => ({
  protocol: 'udp' as const,
  remoteAddress,
  remotePort: 5060,
  localAddress: '127.0.0.1',
  localPort: 5060,
  connectionId: undefined,
});

describe('InboundCalls', () => {
  it('knows nothing of requests from addresses that are no carrier', () => {
    const { inbound } = setup();
    const request = invite([
      'INVITE sip:0301234567@pbx SIP/2.0',
      'From: <sip:1@x>;tag=a',
      'To: <sip:0301234567@pbx>',
    ]);
    expect(inbound.invite(request, flow('203.0.113.9'))).toEqual({ kind: 'not-carrier' });
  });

  it('finds the DID in the national form, the caller in international form, and holds a call slot', () => {
    const { inbound, board, book } = setup();
    const request = invite([
      'INVITE sip:0301234567@pbx SIP/2.0',
      'From: <sip:08912345678@carrier>;tag=a',
      'To: <sip:0301234567@pbx>',
    ]);
    const decision = inbound.invite(request, flow('::ffff:198.51.100.3'));
    expect(decision).toMatchObject({
      kind: 'call',
      dialled: '+49301234567',
      destination: { kind: 'extension', number: '1001' },
      caller: { extension: '+498912345678', displayName: '+49 89 12345678' },
    });
    expect(board.activeCalls('de')).toBe(1);
    if (decision.kind !== 'call') throw new Error('expected a call');
    decision.started?.({ id: 'call-1' } as never);
    expect(book.get('call-1')?.inbound).toMatchObject({ carrierId: 'de', did: '+49301234567' });
    // The trunk has one slot: the next call is refused until the first gives it back.
    expect(inbound.invite(request, flow('198.51.100.3'))).toMatchObject({ kind: 'refuse', status: 503 });
    book.get('call-1')?.inbound?.release();
    book.get('call-1')?.inbound?.release();
    expect(board.activeCalls('de')).toBe(0);
  });

  it('reads the DID from To (a tel: URI) when the Request-URI names the trunk, and honours Privacy', () => {
    const { inbound } = setup();
    const request = invite([
      'INVITE sip:trunk@pbx SIP/2.0',
      'From: <sip:+4989123456@carrier>;tag=a',
      'To: <tel:+44-20-7946-0958>',
      'Privacy: id',
    ]);
    expect(inbound.invite(request, flow('198.51.100.3'))).toMatchObject({
      kind: 'call',
      tenant: { id: 'globex' },
      destination: { kind: 'ringgroup', id: 'sales' },
      caller: { extension: 'anonymous', displayName: 'Anonymous' },
    });
  });

  it('refuses a carrier call to a number that is no DID (no relaying), and survives broken headers', () => {
    const { inbound, board } = setup();
    const outside = invite([
      'INVITE sip:+33142685300@pbx SIP/2.0',
      'From: <sip:1@x>;tag=a',
      'To: <sip:+33142685300@pbx>',
    ]);
    expect(inbound.invite(outside, flow('198.51.100.3'))).toEqual({
      kind: 'refuse',
      status: 404,
      reason: 'No Such Number',
    });
    const broken = invite(['INVITE sip:0301234567@pbx SIP/2.0', 'From: <<<garbage', 'To: also garbage <']);
    expect(inbound.invite(broken, flow('198.51.100.3'))).toMatchObject({
      kind: 'call',
      caller: { extension: 'anonymous' },
    });
    expect(board.activeCalls('de')).toBe(1);
  });

  it('lets a tenant phone behind the carrier address authenticate as usual', () => {
    const { inbound } = setup();
    const request = invite([
      'INVITE sip:1002@acme.test SIP/2.0',
      'From: <sip:1001@acme.test>;tag=a',
      'To: <sip:1002@acme.test>',
    ]);
    expect(inbound.invite(request, flow('198.51.100.3'))).toEqual({ kind: 'not-carrier' });
  });
});
