import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Flow,
  parseMessage,
  type ServerTransaction,
  type SipMessage,
  SipRequest,
  type SipResponse,
  StreamFramer,
  screenInbound,
  serializeMessage,
  stampReceived,
  TransactionLayer,
  type TransactionUser,
} from '../src/index.js';
import { FakeNetwork } from './support/fake-network.js';
import { FakeTimers } from './support/fake-timers.js';
import { allVectors } from './vectors.js';

/**
 * Negative space: more than 100,000 mutated messages (RFC 4475/5118 vectors
 * and typical PBX traffic, mutated by a seeded PRNG, plus fast-check
 * generated garbage) through the inbound screen, the transaction layer and
 * the stream framer. Nothing may throw, a validated request's accessors must
 * all read, and every transaction and timer must be gone once time passes.
 */

const TYPICAL = [
  'INVITE sip:1002@acme.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\nTo: "Bob" <sip:1002@acme.example>\r\nFrom: "Alice" <sip:1001@acme.example>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33\r\nCSeq: 314159 INVITE\r\nContact: <sip:1001@192.0.2.10:5060>\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n',
  'REGISTER sip:acme.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds7\r\nMax-Forwards: 70\r\nTo: <sip:1001@acme.example>\r\nFrom: <sip:1001@acme.example>;tag=456248\r\nCall-ID: 843817637684230@998sdasdh09\r\nCSeq: 1826 REGISTER\r\nContact: <sip:1001@192.0.2.10>;expires=3600\r\nAuthorization: Digest username="1001", realm="acme.example", nonce="abc", uri="sip:acme.example", response="0123", qop=auth, nc=00000001, cnonce="x"\r\nContent-Length: 0\r\n\r\n',
  'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKclient1;received=192.0.2.99\r\nTo: <sip:1002@acme.example>;tag=8321234356\r\nFrom: <sip:1001@acme.example>;tag=1928301774\r\nCall-ID: client-call\r\nCSeq: 1 INVITE\r\nContact: <sip:1002@192.0.2.20>\r\nContent-Length: 0\r\n\r\n',
  'SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKclient2\r\nTo: <sip:1001@acme.example>;tag=1\r\nFrom: <sip:1001@acme.example>;tag=2\r\nCall-ID: client-reg\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="acme.example", nonce="n", algorithm=SHA-256, qop="auth"\r\nContent-Length: 0\r\n\r\n',
  'ACK sip:1002@acme.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nTo: <sip:1002@acme.example>;tag=x\r\nFrom: <sip:1001@acme.example>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33\r\nCSeq: 314159 ACK\r\nContent-Length: 0\r\n\r\n',
  'CANCEL sip:1002@acme.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nTo: <sip:1002@acme.example>\r\nFrom: <sip:1001@acme.example>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33\r\nCSeq: 314159 CANCEL\r\nContent-Length: 0\r\n\r\n',
].map((text) => Buffer.from(text, 'latin1'));

const SEEDS: Buffer[] = [...allVectors().map(([, bytes]) => bytes), ...TYPICAL];
const INTERESTING = Buffer.from('\r\n:;,"<>%@[]= \t\\\x00\xff/?0123456789zZ', 'latin1');

/** xorshift32: deterministic, so a failure reproduces from its seed. */
function prng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function mutate(input: Buffer, random: () => number): Buffer {
  const pick = (n: number) => Math.floor(random() * n);
  let bytes = Buffer.from(input);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(bytes.length + 1);
    switch (pick(10)) {
      case 0: // flip a byte
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = pick(256);
        break;
      case 1: // insert an interesting byte
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          INTERESTING.subarray(pick(INTERESTING.length)).subarray(0, 1),
          bytes.subarray(at),
        ]);
        break;
      case 2: // delete a range
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          bytes.subarray(Math.min(bytes.length, at + 1 + pick(40))),
        ]);
        break;
      case 3: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 4: {
        // duplicate a line
        const lines = bytes.toString('latin1').split('\r\n');
        const line = lines[pick(lines.length)] ?? '';
        lines.splice(pick(lines.length), 0, line);
        bytes = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      case 5: {
        // swap two lines
        const lines = bytes.toString('latin1').split('\r\n');
        const a = pick(lines.length);
        const b = pick(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        bytes = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      case 6: // oversized run
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.alloc(pick(9000), INTERESTING[pick(INTERESTING.length)]),
          bytes.subarray(at),
        ]);
        break;
      case 7: // another Content-Length
        bytes = Buffer.from(
          bytes
            .toString('latin1')
            .replace(
              /(Content-Length|l)\s*:\s*[^\r]*/i,
              `Content-Length: ${[-1, 0, 5, 99999, 2 ** 53][pick(5)]}`,
            ),
          'latin1',
        );
        break;
      case 8: // splice with another seed
        bytes = Buffer.concat([bytes.subarray(0, at), SEEDS[pick(SEEDS.length)]!.subarray(pick(200))]);
        break;
      default: {
        // mangle a header value
        const text = bytes.toString('latin1');
        const colon = text.indexOf(':', pick(text.length));
        if (colon !== -1)
          bytes = Buffer.from(
            text.slice(0, colon + 1) + ' <"\\;,@[::' + text.slice(colon + 1 + pick(20)),
            'latin1',
          );
      }
    }
  }
  return bytes;
}

const FLOW: Flow = {
  protocol: 'udp',
  remoteAddress: '192.0.2.10',
  remotePort: 5060,
  localAddress: '192.0.2.1',
  localPort: 5060,
  connectionId: undefined,
};

/** Reads every typed accessor: after validateRequest none may throw. */
/** The accessors validateResponse guarantees. */
function readResponse(response: SipResponse): void {
  void response.vias;
  void response.from.uri;
  void response.to.uri;
  void response.callId;
  void response.cseq;
  for (const c of response.contacts) void c.uri;
  for (const r of response.recordRoutes) void r.uri;
  void response.contentType;
  void response.wwwAuthenticates;
  void response.proxyAuthenticates;
}

function readEverything(message: SipMessage): void {
  void message.vias;
  void message.from.uri;
  void message.to.uri;
  void message.callId;
  void message.cseq;
  void message.maxForwards;
  for (const c of message.contacts) void c.uri;
  for (const r of message.routes) void r.uri;
  for (const r of message.recordRoutes) void r.uri;
  void message.expires;
  void message.contentType;
  void message.authorizations;
  void message.proxyAuthorizations;
  void message.require;
  void message.supported;
  void message.allow;
  void message.accept;
  void message.event;
  void message.subscriptionState;
  void message.referTo?.uri;
  void message.replaces;
  void message.sessionExpires;
  for (const p of message.pAssertedIdentities) void p.uri;
  void message.date;
  if (message instanceof SipRequest) void message.uri;
}

describe('fuzz', () => {
  it('pushes 100,000+ mutated messages through screen, transaction layer and framer', () => {
    const timers = new FakeTimers();
    const network = new FakeNetwork(false);
    const limits = { maxServerTransactions: 5000, maxClientTransactions: 100 };
    let choice = 0;
    const tu: TransactionUser = {
      receiveRequest(request: SipRequest, tx: ServerTransaction) {
        readEverything(request);
        choice = (choice + 1) % 4;
        if (choice === 0) tx.reply(200);
        else if (choice === 1) {
          tx.reply(180);
          tx.reply(486);
        } else if (choice === 2)
          tx.reply(401, { headers: [['WWW-Authenticate', 'Digest realm="x", nonce="y"']] });
        // choice 3: never answered; the layer's answer guard must end these too
      },
      receiveAck: () => {},
      receiveCancel: (_c, invite) => {
        if (invite.state === 'proceeding') invite.reply(487);
      },
      receiveStrayResponse: (response: SipResponse) => readResponse(response),
    };
    const layer = new TransactionLayer({ tu, network, timers, limits });
    const random = prng(0x5eed);
    let framer = new StreamFramer(65_535);
    const counts = { messages: 0, requests: 0, responses: 0, rejects: 0, drops: 0, roundTrips: 0 };
    let maxServer = 0;

    const feed = (bytes: Buffer, datagram: boolean) => {
      counts.messages++;
      const screened = screenInbound(bytes, { datagram });
      switch (screened.kind) {
        case 'request': {
          counts.requests++;
          const request = screened.request;
          request.replaceTopVia(stampReceived(request.via, FLOW.remoteAddress, FLOW.remotePort));
          const again = parseMessage(serializeMessage(request), { datagram: false });
          if (!again.ok) throw new Error(`round trip failed: ${again.fault.reason}`);
          counts.roundTrips++;
          layer.receiveRequest(request, FLOW);
          break;
        }
        case 'response':
          counts.responses++;
          readResponse(screened.response);
          layer.receiveResponse(screened.response, FLOW);
          break;
        case 'reject':
          counts.rejects++;
          expect(screened.response.status).toBeGreaterThanOrEqual(400);
          expect(screened.response.reason).not.toMatch(/[\r\n]/);
          layer.rejectRequest(screened.request, FLOW, screened.response);
          break;
        case 'drop':
          counts.drops++;
          break;
      }
      maxServer = Math.max(maxServer, layer.serverTransactionCount);
    };

    for (let i = 0; i < 100_000; i++) {
      const seed = SEEDS[Math.floor(random() * SEEDS.length)]!;
      const bytes = mutate(seed, random);
      feed(bytes, random() < 0.8);
      if (i % 8 === 0) {
        // The same bytes as a stream, cut at random places.
        let rest = bytes;
        while (rest.length > 0) {
          const cut = 1 + Math.floor(random() * rest.length);
          for (const frame of framer.push(rest.subarray(0, cut))) {
            if (frame.kind === 'message') feed(frame.data, false);
            else if (frame.kind === 'fatal' && frame.head) feed(frame.head, false);
          }
          rest = rest.subarray(cut);
        }
        if (framer.pendingBytes > 0 || random() < 0.1) {
          // a fresh connection after a fatal frame or a stuck partial message
          framer = new StreamFramer(65_535);
        }
      }
      if (i % 2000 === 0) {
        timers.advance(40_000);
        network.clear();
      }
    }

    // fast-check: arbitrary bytes and arbitrary header text around a valid start line.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), (data, datagram) => {
        feed(Buffer.from(data), datagram);
      }),
      { numRuns: 5000, seed: 42 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 80 })), { maxLength: 20 }),
        fc.string({ maxLength: 100 }),
        (fields, body) => {
          const head = fields.map(([name, value]) => `${name}: ${value}`).join('\r\n');
          feed(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${head}\r\n\r\n${body}`), true);
        },
      ),
      { numRuns: 5000, seed: 7 },
    );

    expect(counts.messages).toBeGreaterThanOrEqual(100_000);
    // Every outcome happened, so the mutations reach past the parser.
    expect(counts.requests).toBeGreaterThan(1000);
    expect(counts.responses).toBeGreaterThan(300);
    expect(counts.rejects).toBeGreaterThan(1000);
    expect(counts.drops).toBeGreaterThan(1000);
    expect(maxServer).toBeLessThanOrEqual(limits.maxServerTransactions);
    // Memory stays bounded: once time passes, no transaction and no timer is left,
    // not even those the TU never answered (the layer's answer guard ends them).
    timers.advance(400_000);
    expect(layer.serverTransactionCount).toBe(0);
    expect(layer.clientTransactionCount).toBe(0);
    expect(timers.pendingCount).toBe(0);
  }, 120_000);
});
