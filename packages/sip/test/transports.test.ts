import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createRequest,
  createSipStack,
  type Flow,
  generateSelfSignedCertificate,
  type SelfSignedCertificate,
  type SipStack,
  type SipStackOptions,
} from '../src/index.js';

const stacks: SipStack[] = [];
const sockets: Array<Socket | WebSocket> = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s instanceof WebSocket ? s.terminate() : s.destroy();
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

let certificate: SelfSignedCertificate;
beforeAll(async () => {
  certificate = await generateSelfSignedCertificate('localhost', { altNames: ['127.0.0.1'] });
}, 30_000);

async function stack(options: Partial<SipStackOptions> & Pick<SipStackOptions, 'listen'>): Promise<SipStack> {
  const s = await createSipStack({
    handlers: { onRequest: (_r, tx) => void tx.reply(200) },
    timerConfig: { t1_ms: 50, t2_ms: 400, t4_ms: 500 },
    ...options,
  });
  stacks.push(s);
  return s;
}

const OPTIONS = (via: string, callId: string, contentLength: string | number = 0) =>
  `OPTIONS sip:uas@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/${via};branch=z9hG4bK${callId}\r\nMax-Forwards: 70\r\n` +
  `From: <sip:a@example.com>;tag=1\r\nTo: <sip:uas@example.com>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\n` +
  `Content-Length: ${contentLength}\r\n\r\n`;

/** A raw TCP peer that collects what it reads. */
async function tcpPeer(port: number): Promise<{ socket: Socket; text: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk.toString();
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, text: () => text, closed };
}

async function waitFor(condition: () => boolean, timeout_ms = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout_ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('TLS', () => {
  it('carries OPTIONS between two stacks with a generated certificate', async () => {
    const tls = { cert: certificate.cert, key: certificate.key, ca: certificate.cert };
    const uas = await stack({ listen: [{ protocol: 'tls', address: '127.0.0.1', port: 0, tls }] });
    const uac = await stack({ listen: [{ protocol: 'tls', address: '127.0.0.1', port: 0, tls }] });
    const port = uas.listeners[0]!.port;
    const options = createRequest({
      method: 'OPTIONS',
      uri: `sips:uas@localhost:${port}`,
      from: 'sips:a@example.com',
    });
    const response = await uac.request(options, {
      target: { protocol: 'tls', address: '127.0.0.1', port, serverName: 'localhost' },
    });
    expect(response.status).toBe(200);
    expect(response.via.transport).toBe('TLS');
  });

  it('refuses a server certificate it cannot verify', async () => {
    const uas = await stack({
      listen: [
        {
          protocol: 'tls',
          address: '127.0.0.1',
          port: 0,
          tls: { cert: certificate.cert, key: certificate.key },
        },
      ],
    });
    const uac = await stack({
      listen: [
        {
          protocol: 'tls',
          address: '127.0.0.1',
          port: 0,
          tls: { cert: certificate.cert, key: certificate.key },
        },
      ],
    });
    const port = uas.listeners[0]!.port;
    const options = createRequest({
      method: 'OPTIONS',
      uri: `sips:uas@localhost:${port}`,
      from: 'sips:a@example.com',
    });
    const response = await uac.request(options, { target: { protocol: 'tls', address: '127.0.0.1', port } });
    expect(response.status).toBe(503);
  });
});

describe('WebSocket (RFC 7118)', () => {
  it('answers over the browser connection and reaches the browser on it later', async () => {
    const flows: Flow[] = [];
    const uas = await stack({
      listen: [{ protocol: 'ws', address: '127.0.0.1', port: 0 }],
      handlers: {
        onRequest: (_r, tx) => {
          flows.push(tx.flow);
          tx.reply(200);
        },
      },
    });
    const ws = new WebSocket(`ws://127.0.0.1:${uas.listeners[0]!.port}`, 'sip');
    sockets.push(ws);
    const received: string[] = [];
    ws.on('message', (data) => received.push(data.toString()));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(OPTIONS('WS df7jal23ls0d.invalid', 'ws1').replace('Content-Length: 0\r\n', ''));
    await waitFor(() => received.length === 1);
    expect(received[0]).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(received[0]).toMatch(/received=127\.0\.0\.1/);
    const flow = flows[0]!;
    expect(flow.protocol).toBe('ws');
    const notify = createRequest({
      method: 'OPTIONS',
      uri: 'sip:browser@df7jal23ls0d.invalid;transport=ws',
      from: 'sip:pbx@example.com',
    });
    void uas.request(notify, {
      target: {
        protocol: 'ws',
        address: flow.remoteAddress,
        port: flow.remotePort,
        connectionId: flow.connectionId,
      },
    });
    await waitFor(() => received.length === 2);
    expect(received[1]).toMatch(
      /^OPTIONS sip:browser@df7jal23ls0d\.invalid;transport=ws SIP\/2\.0\r\nVia: SIP\/2\.0\/WS /,
    );
  });

  it('closes a connection that does not speak the sip subprotocol', async () => {
    const uas = await stack({ listen: [{ protocol: 'ws', address: '127.0.0.1', port: 0 }] });
    const ws = new WebSocket(`ws://127.0.0.1:${uas.listeners[0]!.port}`);
    sockets.push(ws);
    ws.on('error', () => {});
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(1002);
  });
});

describe('TCP connections and limits', () => {
  it('reuses an inbound connection to send a request back to that peer', async () => {
    const flows: Flow[] = [];
    const uas = await stack({
      listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }],
      handlers: {
        onRequest: (_r, tx) => {
          flows.push(tx.flow);
          tx.reply(200);
        },
      },
    });
    const peer = await tcpPeer(uas.listeners[0]!.port);
    peer.socket.write(OPTIONS('TCP 192.0.2.7:5060', 'reuse1'));
    await waitFor(() => peer.text().includes('200 OK'));
    const flow = flows[0]!;
    const request = createRequest({
      method: 'OPTIONS',
      uri: 'sip:phone@192.0.2.7:5060;transport=tcp',
      from: 'sip:pbx@example.com',
    });
    void uas.request(request, {
      target: {
        protocol: 'tcp',
        address: flow.remoteAddress,
        port: flow.remotePort,
        connectionId: flow.connectionId,
      },
    });
    await waitFor(() => peer.text().includes('OPTIONS sip:phone@192.0.2.7'));
  });

  it('answers a bad Content-Length with 400 and closes the connection', async () => {
    const uas = await stack({ listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }] });
    const peer = await tcpPeer(uas.listeners[0]!.port);
    peer.socket.write(OPTIONS('TCP 127.0.0.1:5060', 'badcl', '-5'));
    await peer.closed;
    expect(peer.text()).toMatch(/^SIP\/2\.0 400 Malformed Content-Length\r\n/);
  });

  it('closes a connection whose message never completes (slow loris)', async () => {
    const uas = await stack({
      listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }],
      limits: { transport: { messageTimeout_ms: 300 } },
    });
    const peer = await tcpPeer(uas.listeners[0]!.port);
    const text = OPTIONS('TCP 127.0.0.1:5060', 'loris');
    let sent = 0;
    const drip = setInterval(() => {
      if (!peer.socket.destroyed && sent < text.length) peer.socket.write(text[sent++]!);
    }, 50);
    await peer.closed;
    clearInterval(drip);
    expect(sent).toBeLessThan(text.length);
    expect(peer.text()).toBe('');
  });

  it('closes idle connections and refuses connections over the per-source limit', async () => {
    const uas = await stack({
      listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }],
      limits: { transport: { idleTimeout_ms: 300, maxConnectionsPerSource: 2 } },
    });
    const port = uas.listeners[0]!.port;
    const a = await tcpPeer(port);
    const b = await tcpPeer(port);
    const c = await tcpPeer(port);
    await c.closed; // third from the same address: refused
    expect(a.socket.destroyed).toBe(false);
    await Promise.all([a.closed, b.closed]); // idle
  });

  it('drops a header section that outgrows the message limit', async () => {
    const uas = await stack({
      listen: [{ protocol: 'tcp', address: '127.0.0.1', port: 0 }],
      limits: { transport: { maxMessageBytes: 2000 }, parse: { maxMessageBytes: 2000 } },
    });
    const peer = await tcpPeer(uas.listeners[0]!.port);
    peer.socket.write(`OPTIONS sip:a@b SIP/2.0\r\nX-Flood: ${'a'.repeat(3000)}`);
    await peer.closed;
  });
});

describe('UDP and IPv6', () => {
  it('answers over IPv6 with the address in brackets and survives garbage', async () => {
    const uas = await stack({ listen: [{ protocol: 'udp', address: '::1', port: 0 }] });
    const port = uas.listeners[0]!.port;
    const socket = createSocket('udp6');
    await new Promise<void>((resolve) => socket.bind(0, '::1', () => resolve()));
    const received: string[] = [];
    socket.on('message', (m) => received.push(m.toString()));
    const garbage = Buffer.from([0, 255, 13, 10, 13, 10, 7, 1, 2, 3]);
    socket.send(garbage, port, '::1');
    socket.send(Buffer.from(OPTIONS('UDP [::1]:5099;rport', 'v6', 0)), port, '::1');
    await waitFor(() => received.length >= 1);
    socket.close();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(
      /^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/UDP \[::1\]:5099;rport=\d+;branch=z9hG4bKv6;received=::1\r\n/,
    );
  });

  it('carries OPTIONS between two stacks over TCP on IPv6', async () => {
    const uas = await stack({ listen: [{ protocol: 'tcp', address: '::1', port: 0 }] });
    const uac = await stack({ listen: [{ protocol: 'tcp', address: '::1', port: 0 }] });
    const port = uas.listeners[0]!.port;
    const options = createRequest({
      method: 'OPTIONS',
      uri: `sip:uas@[::1]:${port};transport=tcp`,
      from: 'sip:a@example.com',
    });
    const response = await uac.request(options);
    expect(response.status).toBe(200);
    expect(response.via).toMatchObject({ transport: 'TCP', host: '::1', hostKind: 'ipv6' });
    expect(response.flow?.remoteAddress).toBe('::1');
  });

  it('answers a datagram shorter than its Content-Length with 400 (RFC 4475 clerr)', async () => {
    const uas = await stack({ listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }] });
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const received: string[] = [];
    socket.on('message', (m) => received.push(m.toString()));
    socket.send(
      Buffer.from(OPTIONS('UDP 127.0.0.1:5099;rport', 'short', 50)),
      uas.listeners[0]!.port,
      '127.0.0.1',
    );
    await waitFor(() => received.length >= 1);
    socket.close();
    expect(received[0]).toMatch(/^SIP\/2\.0 400 Content-Length larger than message\r\n/);
  });
});
