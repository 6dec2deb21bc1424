import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { dial, extension, phone } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');
const secret = 'webhook-secret-for-acme';

interface Received {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly event: { type: string; tenantId: string; at: string; data: Record<string, unknown> };
}

/** A tenant's webhook hears a SIPp call start, be answered and end, signed with its secret. */
describe.runIf(haveSipp)('call events to webhooks', () => {
  let pbx: TestPbx;
  let receiver: Server;
  const received: Received[] = [];
  let failNext = 0;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (failNext > 0) {
          failNext--;
          response.writeHead(503).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: request.headers, body, event: JSON.parse(body) as Received['event'] });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/telekommune`;
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: [extension('1001'), extension('1002')],
          webhooks: [{ url, secret }],
        },
        // Another tenant's calls never reach ACME's webhook.
        { id: 'beta', name: 'Beta', domain: 'beta.test', extensions: [extension('2001'), extension('2002')] },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  const waitFor = async (count: number) => {
    for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 100));
  };

  it('posts call.started, call.answered and call.ended with the CDR, each signed', async () => {
    // The first delivery is refused once (503): it is retried.
    failNext = 1;
    const bob = await phone(pbx, '1002', 'acme.test');
    const call = await dial(pbx, '1001', 'acme.test', '1002');
    expect(call.failed, call.output).toBe(0);
    expect((await bob.done).successful).toBe(1);
    const beta = await phone(pbx, '2002', 'beta.test');
    expect((await dial(pbx, '2001', 'beta.test', '2002')).failed).toBe(0);
    await beta.done;
    await waitFor(3);
    await new Promise((r) => setTimeout(r, 500));

    expect(received.map((r) => r.event.type)).toEqual(['call.started', 'call.answered', 'call.ended']);
    const [started, answered, ended] = received as [Received, Received, Received];
    expect(started.event).toMatchObject({ tenantId: 'acme', data: { caller: '1001', callee: '1002' } });
    expect(answered.event.data).toMatchObject({ answeredBy: '1002', id: started.event.data.id });
    expect(ended.event.data).toMatchObject({
      id: started.event.data.id,
      direction: 'internal',
      caller: '1001',
      callee: '1002',
      answeredBy: '1002',
      disposition: 'answered',
    });
    const [cdr] = await pbx.cdrs({ tenantId: 'acme' }, 1);
    expect(ended.event.data.id).toBe(cdr!.id);
    for (const r of received) {
      expect(r.headers['telekommune-event']).toBe(r.event.type);
      const [t, v1] = String(r.headers['telekommune-signature']).split(',');
      const expected = createHmac('sha256', secret)
        .update(`${t!.slice(2)}.${r.body}`)
        .digest('hex');
      expect(v1).toBe(`v1=${expected}`);
    }
    // The retried delivery says so.
    expect(started.headers['telekommune-attempt']).toBe('2');
  }, 60_000);

  it('refuses a bad webhook with the path and reason, and keeps the tenant as it was', async () => {
    const token = (await pbx.running.context.tokens.create('operator', 'webhook test')).token;
    const response = await fetch(`${pbx.running.httpUrl}/api/tenants/acme`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'ACME',
        domain: 'acme.test',
        extensions: [extension('1001'), extension('1002')],
        webhooks: [{ url: 'ftp://hooks.acme.test', events: ['call.ended'] }],
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/webhooks.*url.*expected an http\(s\) URL/);
    expect(pbx.running.context.directory().tenant('acme')?.webhooks?.[0]?.url).toMatch(
      /^http:\/\/127\.0\.0\.1/,
    );
  });
});
