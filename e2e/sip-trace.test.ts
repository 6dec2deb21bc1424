import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { extension, register } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';

const haveSipp = hasTool('sipp', 'sip-tester');

interface Trace {
  id: string;
  state: string;
  messages: number;
  records: { direction: 'in' | 'out'; transport: string; remote: string; text: string }[];
}

/** The packets of a classic pcap file (LINKTYPE_RAW). */
function pcapPackets(pcap: Buffer): Buffer[] {
  expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(pcap.readUInt32LE(20)).toBe(101);
  const packets: Buffer[] = [];
  for (let at = 24; at < pcap.length; ) {
    const length = pcap.readUInt32LE(at + 8);
    packets.push(pcap.subarray(at + 16, at + 16 + length));
    at += 16 + length;
  }
  return packets;
}

/** SIP traces on demand: an operator traces one tenant's signalling from SIPp and downloads it. */
describe.runIf(haveSipp)('SIP traces on demand', () => {
  let pbx: TestPbx;
  let token: string;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        { id: 'acme', name: 'ACME', domain: 'acme.test', extensions: [extension('1001')] },
        { id: 'globex', name: 'Globex', domain: 'globex.test', extensions: [extension('2001')] },
      ],
    });
    token = (await pbx.running.context.tokens.create('operator', 'trace test')).token;
  });

  afterAll(async () => {
    await pbx?.close();
  });

  const api = (path: string, init: RequestInit = {}, bearer = token) =>
    fetch(`${pbx.running.httpUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });

  it("records one tenant's messages in and out, as text and as pcap, and stops", async () => {
    const stack = pbx.running.context.pbx.sip.stack;
    expect(stack.tap).toBeUndefined();
    const started = await api('/api/traces', {
      method: 'POST',
      body: JSON.stringify({ match: 'acme.test', duration_s: 60 }),
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    expect(stack.tap).toBeDefined();

    expect((await register(pbx, '1001', 'acme.test', await freePort())).successful).toBe(1);
    expect((await register(pbx, '2001', 'globex.test', await freePort())).successful).toBe(1);

    const trace = (await (await api(`/api/traces/${id}`)).json()) as Trace;
    expect(trace.state).toBe('recording');
    // REGISTER, 401, REGISTER with credentials, 200: Globex's four are not in it.
    expect(trace.records.map((r) => `${r.direction} ${r.text.split('\r\n')[0]}`)).toEqual([
      'in REGISTER sip:acme.test SIP/2.0',
      'out SIP/2.0 401 Unauthorized',
      'in REGISTER sip:acme.test SIP/2.0',
      'out SIP/2.0 200 OK',
    ]);
    expect(trace.records.every((r) => r.transport === 'udp' && r.remote.startsWith('127.0.0.1:'))).toBe(true);

    const pcap = await api(`/api/traces/${id}/pcap`);
    expect(pcap.headers.get('content-type')).toBe('application/vnd.tcpdump.pcap');
    const packets = pcapPackets(Buffer.from(await pcap.arrayBuffer()));
    expect(packets.map((p) => p.subarray(28).toString('utf8'))).toEqual(trace.records.map((r) => r.text));
    // Inbound packets go to the PBX's SIP port, outbound ones come from it.
    expect(packets[0]!.readUInt16BE(22)).toBe(pbx.sipPort);
    expect(packets[1]!.readUInt16BE(20)).toBe(pbx.sipPort);

    const stopped = (await (await api(`/api/traces/${id}/stop`, { method: 'POST' })).json()) as Trace;
    expect(stopped).toMatchObject({ state: 'finished', messages: 4 });
    expect(stack.tap).toBeUndefined();
    expect((await api(`/api/traces/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/traces/${id}`)).status).toBe(404);
  }, 60_000);

  it('refuses tenants, bad filters and too many traces with clear errors', async () => {
    const tenant = (await pbx.running.context.tokens.create('tenant', 'acme admin', 'acme')).token;
    expect((await api('/api/traces', { method: 'POST', body: '{}' }, tenant)).status).toBe(403);
    const short = await api('/api/traces', { method: 'POST', body: JSON.stringify({ match: 'ab' }) });
    expect(short.status).toBe(400);
    const badAddress = await api('/api/traces', {
      method: 'POST',
      body: JSON.stringify({ address: 'acme' }),
    });
    expect(badAddress.status).toBe(400);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await api('/api/traces', { method: 'POST', body: JSON.stringify({ duration_s: 30 }) });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const fifth = await api('/api/traces', { method: 'POST', body: JSON.stringify({ duration_s: 30 }) });
    expect(fifth.status).toBe(409);
    expect(((await fifth.json()) as { message: string }).message).toMatch(/4 traces are recording/);
    for (const id of ids) await api(`/api/traces/${id}`, { method: 'DELETE' });
    expect(pbx.running.context.pbx.sip.stack.tap).toBeUndefined();
  });
});
