import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import {
  createRequest,
  createResponse,
  DigestClient,
  parseMessage,
  type SipRequest,
  type SipResponse,
  serializeMessage,
} from '@telekommune/sip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort, freePortBlock } from './support/ports.js';
import { credentials, injection, scenarioDir, sipp } from './support/sipp.js';
import { hasTool } from './support/tools.js';

/**
 * A browser-style phone on SIP over WebSocket (RFC 7118): it registers over
 * its WebSocket, and a call to it from SIPp reaches it over that same
 * connection (the PBX can reach a browser no other way). Also REGISTER over
 * TLS. The phone side is hand-rolled on `ws`/`tls` with our parser and
 * digest client, as a browser SIP library would do it.
 */
describe('phones on WebSocket and TLS', () => {
  let pbx: TestPbx;
  let wsUrl: string;
  let tlsPort: number;

  beforeAll(async () => {
    pbx = await startTestPbx({ streamTransports: true });
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [
            { number: '1001', name: 'Caller', password: 'caller-secret' },
            { number: '1002', name: 'Browser', password: 'browser-secret' },
            { number: '1003', name: 'Desk', password: 'desk-secret-1' },
          ],
        },
      ],
    });
    const endpoint = (protocol: string) => pbx.running.sipEndpoints.find((e) => e.startsWith(`${protocol} `));
    wsUrl = `ws://127.0.0.1:${endpoint('ws')?.split(':').pop()}`;
    tlsPort = Number(endpoint('tls')?.split(':').pop());
  });

  afterAll(async () => {
    await pbx?.close();
  });

  /** A message pump over one connection: send requests/responses, await the next message that matches. */
  function channel(send: (data: Buffer) => void) {
    const waiting: {
      match: (m: SipRequest | SipResponse) => boolean;
      resolve: (m: SipRequest | SipResponse) => void;
    }[] = [];
    const backlog: (SipRequest | SipResponse)[] = [];
    return {
      send: (message: SipRequest | SipResponse) => send(serializeMessage(message)),
      deliver(data: Buffer) {
        const parsed = parseMessage(data);
        if (!parsed.ok) return;
        const message = parsed.message as SipRequest | SipResponse;
        const at = waiting.findIndex((w) => w.match(message));
        if (at >= 0) waiting.splice(at, 1)[0]?.resolve(message);
        else backlog.push(message);
      },
      next(
        match: (m: SipRequest | SipResponse) => boolean,
        timeout_ms = 10_000,
      ): Promise<SipRequest | SipResponse> {
        const queued = backlog.findIndex(match);
        if (queued >= 0) return Promise.resolve(backlog.splice(queued, 1)[0]!);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no matching SIP message in time')), timeout_ms);
          waiting.push({
            match,
            resolve: (m) => {
              clearTimeout(timer);
              resolve(m);
            },
          });
        });
      },
    };
  }

  const isResponse = (cseqMethod: string) => (m: SipRequest | SipResponse) =>
    !m.isRequest && (m as SipResponse).cseq.method === cseqMethod && (m as SipResponse).status >= 200;

  async function registerOver(
    link: ReturnType<typeof channel>,
    user: string,
    password: string,
    via: string,
    contact: string,
  ): Promise<SipResponse> {
    const client = new DigestClient({ username: user, password });
    let cseq = 1;
    const build = () => {
      const request = createRequest({
        method: 'REGISTER',
        uri: 'sip:acme.test',
        from: `sip:${user}@acme.test`,
        to: `sip:${user}@acme.test`,
        callId: `reg-${user}-${via}`,
        cseq: cseq++,
        contact,
        headers: [['Expires', '600']],
      });
      request.prependHeader(
        'Via',
        `SIP/2.0/${via} df7jal23ls0d.invalid;branch=z9hG4bK${Math.random().toString(36).slice(2)};rport`,
      );
      return request;
    };
    const first = build();
    link.send(first);
    const challenge = (await link.next(isResponse('REGISTER'))) as SipResponse;
    expect(challenge.status).toBe(401);
    const retry = build();
    for (const header of client.respond(challenge, retry)) retry.appendHeader(header.name, header.value);
    link.send(retry);
    return (await link.next(isResponse('REGISTER'))) as SipResponse;
  }

  it.runIf(hasTool('sipp', 'sip-tester'))(
    'registers over WebSocket and receives a call over the same connection',
    async () => {
      const socket = new WebSocket(wsUrl, 'sip');
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const link = channel((data) => socket.send(data.toString('utf8')));
      socket.on('message', (data: Buffer) => link.deliver(Buffer.from(data)));
      try {
        const registered = await registerOver(
          link,
          '1002',
          'browser-secret',
          'WS',
          'sip:1002@df7jal23ls0d.invalid;transport=ws',
        );
        expect(registered.status).toBe(200);
        const binding = pbx.running.context.location.lookup('acme', '1002')[0];
        expect(binding?.flow.transport).toBe('ws');

        // SIPp calls 1002; the INVITE can only reach the browser over its WebSocket.
        const call = sipp(
          [
            `127.0.0.1:${pbx.sipPort}`,
            '-sf',
            join(scenarioDir, 'call.xml'),
            '-inf',
            'calls.csv',
            '-m',
            '1',
            '-i',
            '127.0.0.1',
            '-p',
            String(await freePort()),
            '-mp',
            String(await freePortBlock(4)),
            '-auth_uri',
            '1002@acme.test',
            '-d',
            '300',
          ],
          {
            files: {
              'calls.csv': injection([['1001', 'acme.test', credentials('1001', 'caller-secret'), '1002']]),
            },
          },
        );
        const invite = (await link.next(
          (m) => m.isRequest && (m as SipRequest).method === 'INVITE',
        )) as SipRequest;
        expect(invite.body.toString()).toMatch(/m=audio \d+ RTP\/AVP/);
        const toTag = 'browser1';
        const ringing = createResponse(invite, 180, { toTag });
        link.send(ringing);
        const answer = createResponse(invite, 200, {
          toTag,
          headers: [['Contact', '<sip:1002@df7jal23ls0d.invalid;transport=ws>']],
          body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40990 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
          contentType: 'application/sdp',
        });
        link.send(answer);
        await link.next((m) => m.isRequest && (m as SipRequest).method === 'ACK');
        const bye = (await link.next((m) => m.isRequest && (m as SipRequest).method === 'BYE')) as SipRequest;
        link.send(createResponse(bye, 200));
        const result = await call.done;
        expect(result.failed, result.output).toBe(0);
        expect(result.successful).toBe(1);
        const [cdr] = await pbx.cdrs({ tenantId: 'acme', number: '1002' });
        expect(cdr).toMatchObject({ disposition: 'answered', answeredBy: '1002' });
      } finally {
        socket.close();
      }
      // Closing the WebSocket ends the registration made over it (RFC 5626 flow).
      for (let i = 0; i < 50 && pbx.running.context.location.lookup('acme', '1002').length > 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(pbx.running.context.location.lookup('acme', '1002')).toEqual([]);
    },
  );

  it('registers over TLS', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: tlsPort, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve());
      socket.once('error', reject);
    });
    let buffer = Buffer.alloc(0);
    const link = channel((data) => socket.write(data));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      // Stream framing by Content-Length (RFC 3261 §18.3).
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length:\s*(\d+)/i.exec(buffer.subarray(0, end).toString())?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        link.deliver(buffer.subarray(0, end + 4 + length));
        buffer = buffer.subarray(end + 4 + length);
      }
    });
    try {
      const registered = await registerOver(
        link,
        '1003',
        'desk-secret-1',
        'TLS',
        'sip:1003@127.0.0.1;transport=tls',
      );
      expect(registered.status).toBe(200);
      expect(pbx.running.context.location.lookup('acme', '1003')[0]?.flow.transport).toBe('tls');
    } finally {
      socket.destroy();
    }
  });
});
