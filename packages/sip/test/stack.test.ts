import { afterEach, describe, expect, it } from 'vitest';
import {
  createRequest,
  createSipStack,
  Dialog,
  type Flow,
  type InboundAdmission,
  nameAddr,
  type SipRequest,
  type SipStack,
  type SipStackHandlers,
} from '../src/index.js';

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

async function stack(
  handlers: Partial<SipStackHandlers> = {},
  protocol: 'udp' | 'tcp' = 'udp',
  admit?: InboundAdmission,
): Promise<SipStack> {
  const s = await createSipStack({
    listen: [{ protocol, address: '127.0.0.1', port: 0 }],
    handlers: { onRequest: (_r, tx) => void tx.reply(501), ...handlers },
    timerConfig: { t1_ms: 50, t2_ms: 400, t4_ms: 500 },
    ...(admit ? { admit } : {}),
  });
  stacks.push(s);
  return s;
}

function target(s: SipStack, protocol: 'udp' | 'tcp' = 'udp') {
  const listener = s.listeners[0]!;
  return { protocol, address: '127.0.0.1', port: listener.port } as const;
}

describe('SIP stack over loopback', () => {
  for (const protocol of ['udp', 'tcp'] as const) {
    it(`answers OPTIONS over ${protocol}, with the flow it came on`, async () => {
      const flows: Flow[] = [];
      const uas = await stack(
        {
          onRequest(request, tx) {
            flows.push(tx.flow);
            tx.reply(200, { headers: [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS']] });
            expect(request.via.received ?? request.via.host).toBe('127.0.0.1');
          },
        },
        protocol,
      );
      const uac = await stack({}, protocol);
      const options = createRequest({
        method: 'OPTIONS',
        uri: `sip:ping@127.0.0.1:${uas.listeners[0]!.port}`,
        from: uac.contactUri(protocol, 'uac'),
      });
      const response = await uac.request(options, { target: target(uas, protocol) });
      expect(response.status).toBe(200);
      expect(response.allow).toContain('OPTIONS');
      expect(response.flow).toMatchObject({
        protocol,
        remoteAddress: '127.0.0.1',
        remotePort: uas.listeners[0]!.port,
      });
      expect(flows[0]).toMatchObject({
        protocol,
        remoteAddress: '127.0.0.1',
        localPort: uas.listeners[0]!.port,
      });
      expect(flows[0]!.connectionId !== undefined).toBe(protocol === 'tcp');
      // rport (RFC 3581): the answer's Via says where the request really came from.
      expect(response.via.rport).toBe(flows[0]!.remotePort);
    });
  }

  it('sets up and tears down a call: INVITE, 180, 200, ACK, BYE', async () => {
    let uasDialog: Dialog | undefined;
    const acked: SipRequest[] = [];
    const byes: SipRequest[] = [];
    const uas = await stack({
      onRequest(request, tx) {
        if (request.method === 'INVITE') {
          tx.reply(180);
          uasDialog = Dialog.fromUasRequest(request, tx.toTag, {
            localContact: nameAddr({ uri: uas.contactUri('udp', 'uas') }),
          });
          tx.reply(200, {
            headers: [['Contact', `<sip:uas@127.0.0.1:${uas.listeners[0]!.port}>`]],
            body: 'v=0\r\n',
            contentType: 'application/sdp',
          });
        } else if (request.method === 'BYE') {
          byes.push(request);
          expect(uasDialog?.receiveRequest(request)).toEqual({ accept: true });
          tx.reply(200);
        }
      },
      onAck: (ack) => acked.push(ack),
    });
    const uac = await stack();
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:uas@127.0.0.1:${uas.listeners[0]!.port}`,
      from: 'sip:uac@example.com',
      contact: uac.contactUri('udp', 'uac'),
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    const provisional: number[] = [];
    const answer = await uac.request(invite, { onProvisional: (r) => provisional.push(r.status) });
    expect(answer.status).toBe(200);
    expect(provisional).toContain(180);
    const dialog = Dialog.fromUacResponse(invite, answer);
    await uac.sendAck(dialog.createAck(invite.cseq.seq));
    await waitFor(() => acked.length === 1);
    const bye = dialog.createRequest('BYE');
    expect(bye.cseq.seq).toBe(invite.cseq.seq + 1);
    expect((await uac.request(bye)).status).toBe(200);
    expect(byes).toHaveLength(1);
    expect(uasDialog?.state).toBe('terminated');
  });

  it('CANCELs a ringing INVITE: 200 for the CANCEL, 487 for the INVITE', async () => {
    const uas = await stack({ onRequest: (_r, tx) => void tx.reply(180) });
    const uac = await stack();
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:uas@127.0.0.1:${uas.listeners[0]!.port}`,
      from: 'sip:uac@example.com',
      contact: uac.contactUri(),
    });
    let cancelled: Promise<unknown> | undefined;
    const final = await uac.request(invite, {
      onProvisional: (r) => {
        if (r.status === 180) cancelled ??= uac.cancel(invite);
      },
    });
    expect(final.status).toBe(487);
    expect(await cancelled).toMatchObject({ status: 200 });
  });

  it('carries a Reason on a CANCEL when asked (RFC 3326: call completed elsewhere)', async () => {
    const reasons: (string | undefined)[] = [];
    const uas = await stack({
      onRequest: (_r, tx) => void tx.reply(180),
      onCancel: (cancel, tx) => {
        reasons.push(cancel.header('reason'));
        tx.reply(487);
      },
    });
    const uac = await stack();
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:uas@127.0.0.1:${uas.listeners[0]!.port}`,
      from: 'sip:uac@example.com',
      contact: uac.contactUri(),
    });
    const reason = 'SIP;cause=200;text="Call completed elsewhere"';
    const final = await uac.request(invite, {
      onProvisional: (r) => {
        if (r.status === 180) void uac.cancel(invite, [['Reason', reason]]);
      },
    });
    expect(final.status).toBe(487);
    expect(reasons).toEqual([reason]);
  });

  it('retransmits a 2xx until the ACK, and reports a missing ACK', async () => {
    const timeouts: number[] = [];
    let received = 0;
    const uas = await stack({
      onRequest: (_r, tx) => void tx.reply(200, { headers: [['Contact', '<sip:uas@127.0.0.1>']] }),
      onAckTimeout: (_invite, response) => timeouts.push(response.status),
    });
    const uac = await stack({ onStrayResponse: () => received++ });
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:uas@127.0.0.1:${uas.listeners[0]!.port}`,
      from: 'sip:uac@example.com',
      contact: uac.contactUri(),
    });
    expect((await uac.request(invite)).status).toBe(200);
    // No ACK: 2xx retransmissions reach the UAC's TU; after 64*T1 (3.2 s here) the UAS gives up.
    await waitFor(() => timeouts.length === 1, 6000);
    expect(timeouts).toEqual([200]);
    expect(received).toBeGreaterThan(0); // the 2xx retransmissions reached the UAC
  });

  it('answers a malformed request with 400 naming the fault, over the real socket', async () => {
    const uas = await stack();
    const uac = await stack({ onStrayResponse: () => {} });
    const options = createRequest({ method: 'OPTIONS', uri: 'sip:x@127.0.0.1', from: 'sip:a@b' });
    options.appendHeader('Max-Forwards', '99999');
    const response = await uac.request(options, { target: target(uas) });
    expect(response.status).toBe(400);
    expect(response.reason).toMatch(/Duplicate Max-Forwards|Max-Forwards/);
  });

  it('drops what admission refuses, unanswered and before any transaction: by source, then by request', async () => {
    const seen: string[] = [];
    const asked: (string | undefined)[] = [];
    let sourceBanned = false;
    const uas = await stack(
      {
        onRequest: (request, tx) => {
          seen.push(request.header('user-agent') ?? '');
          tx.reply(200);
        },
      },
      'udp',
      (flow, request) => {
        asked.push(request?.method);
        if (sourceBanned && flow.remoteAddress === '127.0.0.1') return false;
        return request?.header('user-agent') !== 'friendly-scanner';
      },
    );
    const uac = await stack();
    const options = (agent: string) => {
      const request = createRequest({ method: 'OPTIONS', uri: 'sip:x@127.0.0.1', from: 'sip:a@b' });
      request.appendHeader('User-Agent', agent);
      return request;
    };
    expect((await uac.request(options('desk-phone'), { target: target(uas) })).status).toBe(200);
    // The source is asked first (nothing parsed yet), then the request.
    expect(asked.slice(0, 2)).toEqual([undefined, 'OPTIONS']);
    expect((await uac.request(options('friendly-scanner'), { target: target(uas) })).status).toBe(408);
    sourceBanned = true;
    const before = asked.length;
    expect((await uac.request(options('desk-phone'), { target: target(uas) })).status).toBe(408);
    // Refused by source: never parsed, so never asked about a request.
    expect(asked.slice(before).every((method) => method === undefined)).toBe(true);
    expect(seen).toEqual(['desk-phone']);
    // Counted for metrics: the one request passed up, and every refused datagram (retransmissions too).
    expect(uas.inbound.requests.get('OPTIONS')).toBe(1);
    expect(uas.inbound.notAdmitted).toBeGreaterThanOrEqual(2);
  }, 15_000);

  it('turns a timeout into a local 408 and an unreachable next hop into a 503', async () => {
    const silent = await stack({ onRequest: () => {} });
    const uac = await stack();
    const options = createRequest({ method: 'OPTIONS', uri: 'sip:x@127.0.0.1', from: 'sip:a@b' });
    const response = await uac.request(options, { target: target(silent) });
    expect(response.status).toBe(408);
    const nowhere = createRequest({
      method: 'OPTIONS',
      uri: 'sip:x@127.0.0.1;transport=tls',
      from: 'sip:a@b',
    });
    expect((await uac.request(nowhere)).status).toBe(503);
  }, 10_000);
});

async function waitFor(condition: () => boolean, timeout_ms = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout_ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
