import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ClientTransaction,
  type ClientTransactionUser,
  createResponse,
  DEFAULT_TIMER_CONFIG,
  type InviteServerTransaction,
  NonInviteServerTransaction,
  parseMessage,
  type ServerEnd,
  type ServerTransaction,
  SipParseError,
  SipRequest,
  type SipResponse,
  serializeMessage,
  TransactionLayer,
  type TransactionUser,
} from '../src/index.js';
import { FakeNetwork, UDP_FLOW } from './support/fake-network.js';
import { FakeTimers } from './support/fake-timers.js';
import { rfc4475 } from './vectors.js';

function request(method: string, branch = 'z9hG4bKabc123', extra: Array<[string, string]> = []): SipRequest {
  return new SipRequest({
    method,
    uri: 'sip:1002@acme.example',
    headers: [
      ['Via', `SIP/2.0/UDP 192.0.2.1:5060;branch=${branch}`],
      ['From', '<sip:1001@acme.example>;tag=f1'],
      ['To', '<sip:1002@acme.example>'],
      ['Call-ID', 'call-1'],
      ['CSeq', `1 ${method === 'ACK' || method === 'CANCEL' ? method : method}`],
      ['Max-Forwards', '70'],
      ...extra,
    ],
  });
}

function responseTo(req: SipRequest, status: number, toTag = 't1'): SipResponse {
  return createResponse(req, status, { toTag });
}

class RecordingTu implements TransactionUser {
  readonly requests: Array<[SipRequest, ServerTransaction]> = [];
  readonly acks: SipRequest[] = [];
  readonly cancels: Array<[SipRequest, InviteServerTransaction]> = [];
  readonly strays: SipResponse[] = [];
  readonly ended: ServerEnd[] = [];
  onRequest: (request: SipRequest, tx: ServerTransaction) => void = () => {};
  receiveRequest(request: SipRequest, tx: ServerTransaction) {
    this.requests.push([request, tx]);
    this.onRequest(request, tx);
  }
  receiveAck(ack: SipRequest) {
    this.acks.push(ack);
  }
  receiveCancel(cancel: SipRequest, invite: InviteServerTransaction) {
    this.cancels.push([cancel, invite]);
  }
  receiveStrayResponse(response: SipResponse) {
    this.strays.push(response);
  }
  serverTransactionEnded(_tx: ServerTransaction, end: ServerEnd) {
    this.ended.push(end);
  }
}

class RecordingClient implements ClientTransactionUser {
  readonly responses: number[] = [];
  timeouts = 0;
  errors = 0;
  receiveResponse(response: SipResponse) {
    this.responses.push(response.status);
  }
  timeout() {
    this.timeouts++;
  }
  transportError() {
    this.errors++;
  }
}

let timers: FakeTimers;
let network: FakeNetwork;
let tu: RecordingTu;
let layer: TransactionLayer;

function setup(reliable = false, limits?: { maxServerTransactions: number; maxClientTransactions: number }) {
  timers = new FakeTimers();
  network = new FakeNetwork(reliable);
  tu = new RecordingTu();
  layer = new TransactionLayer({ tu, network, timers, ...(limits ? { limits } : {}) });
}

function send(req: SipRequest, user: ClientTransactionUser): ClientTransaction {
  return layer.sendRequest(req, serializeMessage(req), network.wire(), user);
}

/** Times (ms since start) at which something was sent, sampled by advancing in 100 ms steps. */
function sendTimes(until_ms: number): number[] {
  const times: number[] = [];
  let seen = network.sent.length;
  for (let t = 0; t < until_ms; t += 100) {
    timers.advance(100);
    while (seen < network.sent.length) {
      times.push(timers.now());
      seen++;
    }
  }
  return times;
}

beforeEach(() => setup());

describe('non-INVITE client transaction (§17.1.2)', () => {
  it('retransmits with Timer E doubling to T2, then times out with Timer F', () => {
    const user = new RecordingClient();
    const tx = send(request('OPTIONS'), user);
    expect(network.sent).toHaveLength(1);
    expect(sendTimes(40_000)).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(user.timeouts).toBe(1);
    expect(tx.state).toBe('terminated');
    expect(layer.clientTransactionCount).toBe(0);
  });

  it('retransmits every T2 once Proceeding, absorbs a retransmitted final, ends after Timer K', () => {
    const user = new RecordingClient();
    const req = request('REGISTER');
    const tx = send(req, user);
    layer.receiveResponse(responseTo(req, 100), UDP_FLOW);
    expect(tx.state).toBe('proceeding');
    expect(sendTimes(9000)).toEqual([4000, 8000]);
    layer.receiveResponse(responseTo(req, 200), UDP_FLOW);
    layer.receiveResponse(responseTo(req, 200), UDP_FLOW);
    expect(user.responses).toEqual([100, 200]);
    expect(tx.state).toBe('completed');
    timers.advance(5000);
    expect(tx.state).toBe('terminated');
    expect(timers.pendingCount).toBe(0);
  });

  it('does not retransmit over a reliable transport and ends at once (K = 0)', () => {
    setup(true);
    const user = new RecordingClient();
    const req = request('OPTIONS');
    const tx = send(req, user);
    expect(sendTimes(10_000)).toEqual([]);
    layer.receiveResponse(responseTo(req, 200), UDP_FLOW);
    timers.advance(0);
    expect(tx.state).toBe('terminated');
  });

  it('reports a transport error to the TU', () => {
    const user = new RecordingClient();
    const tx = send(request('OPTIONS'), user);
    network.failures[0]!(new Error('ECONNREFUSED'));
    expect(user.errors).toBe(1);
    expect(tx.state).toBe('terminated');
    expect(timers.pendingCount).toBe(0);
  });
});

describe('INVITE client transaction (§17.1.1, RFC 6026)', () => {
  it('retransmits with Timer A doubling and times out with Timer B', () => {
    const user = new RecordingClient();
    send(request('INVITE'), user);
    expect(sendTimes(33_000)).toEqual([500, 1500, 3500, 7500, 15500, 31500]);
    expect(user.timeouts).toBe(1);
  });

  it('stops retransmitting on 1xx, ACKs a non-2xx itself and re-ACKs its retransmissions', () => {
    const user = new RecordingClient();
    const req = request('INVITE');
    const tx = send(req, user);
    layer.receiveResponse(responseTo(req, 180), UDP_FLOW);
    expect(sendTimes(5000)).toEqual([]);
    layer.receiveResponse(responseTo(req, 486), UDP_FLOW);
    const ack = network.last() as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(ack.via.branch).toBe('z9hG4bKabc123');
    expect(ack.toTag).toBe('t1');
    layer.receiveResponse(responseTo(req, 486), UDP_FLOW);
    expect(network.lines().filter((l) => l.startsWith('ACK'))).toHaveLength(2);
    expect(user.responses).toEqual([180, 486]);
    expect(tx.state).toBe('completed');
    timers.advance(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('passes 2xx and their retransmissions to the TU in Accepted until Timer M', () => {
    const user = new RecordingClient();
    const req = request('INVITE');
    const tx = send(req, user);
    layer.receiveResponse(responseTo(req, 200), UDP_FLOW);
    layer.receiveResponse(responseTo(req, 200), UDP_FLOW);
    layer.receiveResponse(responseTo(req, 200, 'other-fork'), UDP_FLOW);
    expect(tx.state).toBe('accepted');
    expect(user.responses).toEqual([200, 200, 200]);
    expect(network.lines().filter((l) => l.startsWith('ACK'))).toHaveLength(0); // the TU ACKs a 2xx
    timers.advance(32_000);
    expect(tx.state).toBe('terminated');
    layer.receiveResponse(responseTo(req, 200), UDP_FLOW);
    expect(tu.strays).toHaveLength(1);
  });
});

describe('INVITE server transaction (§17.2.1, RFC 6026)', () => {
  it('sends 100 Trying at once and answers retransmissions with the latest provisional', () => {
    const invite = request('INVITE');
    layer.receiveRequest(invite, UDP_FLOW);
    expect(network.lines()).toEqual(['SIP/2.0 100 Trying']);
    const tx = tu.requests[0]![1];
    tx.reply(180);
    layer.receiveRequest(request('INVITE'), UDP_FLOW);
    expect(network.lines()).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 180 Ringing']);
    expect(tu.requests).toHaveLength(1);
    expect((network.last() as SipResponse).toTag).toBe(tx.toTag);
  });

  it('retransmits a non-2xx with Timer G until the ACK, then ends after Timer I', () => {
    layer.receiveRequest(request('INVITE'), UDP_FLOW);
    const tx = tu.requests[0]![1];
    network.clear();
    tx.reply(486);
    expect(sendTimes(8000)).toEqual([500, 1500, 3500, 7500]);
    layer.receiveRequest(request('ACK'), UDP_FLOW);
    expect(tx.state).toBe('confirmed');
    expect(tu.acks).toHaveLength(0); // absorbed by the transaction
    expect(sendTimes(5000)).toEqual([]);
    expect(tx.state).toBe('terminated');
    expect(tu.ended).toEqual(['completed']);
  });

  it('tells the TU when no ACK came (Timer H)', () => {
    layer.receiveRequest(request('INVITE'), UDP_FLOW);
    tu.requests[0]![1].reply(404);
    timers.advance(32_000);
    expect(tu.ended).toEqual(['no-ack']);
    expect(layer.serverTransactionCount).toBe(0);
  });

  it('absorbs INVITE retransmissions in Accepted, passes TU 2xx retransmissions, ends with Timer L', () => {
    layer.receiveRequest(request('INVITE'), UDP_FLOW);
    const tx = tu.requests[0]![1];
    const ok = createResponse(tx.request, 200, { toTag: tx.toTag });
    tx.respond(ok);
    expect(tx.state).toBe('accepted');
    network.clear();
    layer.receiveRequest(request('INVITE'), UDP_FLOW);
    expect(network.sent).toHaveLength(0);
    tx.respond(ok);
    expect(network.lines()).toEqual(['SIP/2.0 200 OK']);
    expect(() => tx.reply(486)).toThrow(/cannot send 486/);
    // The ACK for a 2xx has its own branch: it reaches the TU.
    layer.receiveRequest(request('ACK', 'z9hG4bKack-for-2xx'), UDP_FLOW);
    expect(tu.acks).toHaveLength(1);
    timers.advance(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('answers CANCEL with 200 and tells the TU; 481 when nothing matches', () => {
    layer.receiveRequest(request('INVITE'), UDP_FLOW);
    const invite = tu.requests[0]![1];
    network.clear();
    layer.receiveRequest(request('CANCEL'), UDP_FLOW);
    expect(network.lines()).toEqual(['SIP/2.0 200 OK']);
    expect(tu.cancels).toHaveLength(1);
    expect(tu.cancels[0]![1]).toBe(invite);
    expect(invite.isInvite && invite.cancelled).toBe(true);
    invite.reply(487);
    network.clear();
    layer.receiveRequest(request('CANCEL', 'z9hG4bKnothing'), UDP_FLOW);
    expect(network.lines()).toEqual(['SIP/2.0 481 Call/Transaction Does Not Exist']);
  });
});

describe('non-INVITE server transaction (§17.2.2)', () => {
  it('absorbs retransmissions while Trying, repeats the final after, ends with Timer J', () => {
    layer.receiveRequest(request('OPTIONS'), UDP_FLOW);
    layer.receiveRequest(request('OPTIONS'), UDP_FLOW);
    expect(network.sent).toHaveLength(0);
    expect(tu.requests).toHaveLength(1);
    const tx = tu.requests[0]![1];
    tx.reply(200);
    layer.receiveRequest(request('OPTIONS'), UDP_FLOW);
    expect(network.lines()).toEqual(['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
    expect(() => tx.reply(500)).toThrow(/cannot send/);
    timers.advance(31_999);
    expect(layer.serverTransactionCount).toBe(1);
    layer.receiveRequest(request('OPTIONS'), UDP_FLOW);
    expect(network.sent).toHaveLength(3);
    timers.advance(1);
    expect(layer.serverTransactionCount).toBe(0);
    expect(timers.pendingCount).toBe(0);
    // After Timer J the same request is new again.
    layer.receiveRequest(request('OPTIONS'), UDP_FLOW);
    expect(tu.requests).toHaveLength(2);
  });

  it('runs Timer J itself when used without a layer', () => {
    const ended: ServerEnd[] = [];
    const wire = { reliable: false, send: (b: Buffer) => network.sent.push(b) };
    const env = { timers, config: DEFAULT_TIMER_CONFIG, terminated: () => {} };
    const tx = new NonInviteServerTransaction('k', request('OPTIONS'), UDP_FLOW, wire, env, (end) =>
      ended.push(end),
    );
    tx.reply(200);
    tx.receiveRequest(request('OPTIONS'));
    expect(network.sent).toHaveLength(2);
    timers.advance(31_999);
    expect(tx.state).toBe('completed');
    timers.advance(1);
    expect(tx.state).toBe('terminated');
    expect(ended).toEqual(['completed']);
  });

  it('ends at once on a reliable transport (J = 0)', () => {
    setup(true);
    layer.receiveRequest(request('OPTIONS'), UDP_FLOW);
    tu.requests[0]![1].reply(200);
    timers.advance(0);
    expect(layer.serverTransactionCount).toBe(0);
  });
});

describe('transaction layer', () => {
  it('matches a request without an RFC 3261 branch by RFC 2543 rules (RFC 4475 badbranch)', () => {
    const parse = () => {
      const parsed = parseMessage(rfc4475('badbranch'), { datagram: true });
      if (!parsed.ok) throw new Error(parsed.fault.reason);
      return parsed.message as SipRequest;
    };
    layer.receiveRequest(parse(), UDP_FLOW);
    tu.requests[0]![1].reply(200);
    layer.receiveRequest(parse(), UDP_FLOW);
    expect(tu.requests).toHaveLength(1);
    expect(network.lines()).toEqual(['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
  });

  it('hands stray ACKs and stray 2xx to the TU, drops other strays', () => {
    layer.receiveRequest(request('ACK', 'z9hG4bKlonely'), UDP_FLOW);
    expect(tu.acks).toHaveLength(1);
    const invite = request('INVITE', 'z9hG4bKunknown');
    layer.receiveResponse(responseTo(invite, 180), UDP_FLOW);
    layer.receiveResponse(responseTo(request('BYE', 'z9hG4bKunknown'), 200), UDP_FLOW);
    expect(tu.strays).toHaveLength(0);
    layer.receiveResponse(responseTo(invite, 200), UDP_FLOW);
    expect(tu.strays).toHaveLength(1);
  });

  it('answers 503 statelessly over the server transaction limit', () => {
    setup(false, { maxServerTransactions: 2, maxClientTransactions: 2 });
    layer.receiveRequest(request('OPTIONS', 'z9hG4bK1'), UDP_FLOW);
    layer.receiveRequest(request('OPTIONS', 'z9hG4bK2'), UDP_FLOW);
    layer.receiveRequest(request('OPTIONS', 'z9hG4bK3'), UDP_FLOW);
    expect(tu.requests).toHaveLength(2);
    expect(network.stateless.map((r) => r.status)).toEqual([503]);
    send(request('OPTIONS', 'z9hG4bKc1'), new RecordingClient());
    send(request('OPTIONS', 'z9hG4bKc2'), new RecordingClient());
    expect(() => send(request('OPTIONS', 'z9hG4bKc3'), new RecordingClient())).toThrow(/too many client/);
  });

  it('answers 500 when the TU throws, 400 naming the fault when it read a malformed header', () => {
    tu.onRequest = () => {
      throw new Error('bug');
    };
    layer.receiveRequest(request('OPTIONS', 'z9hG4bK1'), UDP_FLOW);
    tu.onRequest = () => {
      throw new SipParseError('bad-header', 'Malformed Event');
    };
    layer.receiveRequest(request('SUBSCRIBE', 'z9hG4bK2'), UDP_FLOW);
    expect(network.lines()).toEqual(['SIP/2.0 500 Server Internal Error', 'SIP/2.0 400 Malformed Event']);
  });

  it('answers for a TU that never does: 500 after 64*T1, 408 for INVITE after the answer limit', () => {
    layer.receiveRequest(request('OPTIONS', 'z9hG4bKforgot1'), UDP_FLOW);
    layer.receiveRequest(request('INVITE', 'z9hG4bKforgot2'), UDP_FLOW);
    timers.advance(32_000);
    expect(network.lines()).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 500 No Answer From Application']);
    timers.advance(300_000);
    expect(network.lines()).toContain('SIP/2.0 408 Request Timeout');
    layer.receiveRequest(request('ACK', 'z9hG4bKforgot2'), UDP_FLOW);
    timers.advance(40_000);
    expect(layer.serverTransactionCount).toBe(0);
    expect(timers.pendingCount).toBe(0);
  });

  it('keeps no state once every transaction has ended', () => {
    for (let i = 0; i < 50; i++) {
      layer.receiveRequest(request('OPTIONS', `z9hG4bKs${i}`), UDP_FLOW);
      send(request('OPTIONS', `z9hG4bKc${i}`), new RecordingClient());
    }
    for (const [, tx] of tu.requests) tx.reply(200);
    timers.advance(64_000);
    expect(layer.serverTransactionCount).toBe(0);
    expect(layer.clientTransactionCount).toBe(0);
    expect(timers.pendingCount).toBe(0);
  });
});
