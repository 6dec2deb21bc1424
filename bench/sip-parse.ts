/**
 * Parse + serialize throughput of the SIP message layer on one core.
 *
 *   npx tsx bench/sip-parse.ts [seconds-per-round] [rounds]
 *
 * Each iteration parses a typical message from bytes, reads what the
 * transaction layer and a UAS core read (top Via branch, CSeq, Call-ID, From
 * and To tags, plus Contact/Expires for REGISTER), changes nothing, and
 * serializes it again from the header list (no cached bytes). Target (issue 3):
 * at least 150,000 INVITEs per second per core.
 *
 * A third case runs distinct REGISTERs through the whole UAS path a registrar
 * uses, without sockets: inbound screen (parse + validateRequest), Via
 * received/rport stamping, server transaction, a TU storing the contact and
 * answering 200, serialization, and the Completed-state record kept for
 * Timer J. It shows what the stack costs per request apart from the kernel.
 */
import {
  type Flow,
  formatUri,
  parseMessage,
  type SipRequest,
  screenInbound,
  serializeMessage,
  stampReceived,
  TransactionLayer,
} from '@telekommune/sip';

const INVITE = Buffer.from(
  [
    'INVITE sip:1002@acme.pbx.example SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport',
    'Max-Forwards: 70',
    'To: "Bob" <sip:1002@acme.pbx.example>',
    'From: "Alice" <sip:1001@acme.pbx.example>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:1001@192.0.2.10:5060;transport=udp>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, UPDATE',
    'Supported: replaces, timer',
    'User-Agent: Telekommune bench phone/1.0',
    'Content-Type: application/sdp',
    'Content-Length: 226',
    '',
    'v=0',
    'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
    's=-',
    'c=IN IP4 192.0.2.10',
    't=0 0',
    'm=audio 49170 RTP/AVP 0 8 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=sendrecv',
    '',
  ].join('\r\n'),
);

const REGISTER = Buffer.from(
  [
    'REGISTER sip:acme.pbx.example SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    'To: <sip:1001@acme.pbx.example>',
    'From: <sip:1001@acme.pbx.example>;tag=456248',
    'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: 1826 REGISTER',
    'Contact: <sip:1001@192.0.2.10:5060>;expires=3600',
    'Expires: 3600',
    'User-Agent: Telekommune bench phone/1.0',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
);

// Confirm the figures are measured on valid messages with the advertised lengths.
const check = parseMessage(INVITE, { datagram: true });
if (!check.ok || check.message.body.length !== 226)
  throw new Error('bench INVITE does not parse as intended');

function once(data: Buffer, register: boolean): number {
  const parsed = parseMessage(data, { datagram: true });
  if (!parsed.ok) throw new Error(parsed.fault.reason);
  const m = parsed.message;
  let touched =
    m.via.branch!.length + m.cseq.seq + m.callId.length + m.fromTag!.length + (m.toTag?.length ?? 0);
  if (register) touched += m.contacts.length + (m.expires ?? 0);
  return touched + serializeMessage(m).length;
}

/**
 * Rounds of `seconds` each; prints every round's rate and returns the median.
 * The shared machine's speed drifts by a third from one second to the next,
 * so one long run says less than the middle of several short ones.
 */
function run(label: string, data: Buffer, register: boolean, seconds: number, rounds: number): number {
  for (let i = 0; i < 20_000; i++) once(data, register); // warm up the JIT
  const rates: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(Math.round(seconds * 1e9));
    let elapsed = 0n;
    while (elapsed < budget && count < 50_000_000) {
      for (let i = 0; i < 1000; i++) sink += once(data, register);
      count += 1000;
      elapsed = process.hrtime.bigint() - start;
    }
    rates.push(count / (Number(elapsed) / 1e9));
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const each = rates.map((rate) => `${Math.round(rate / 1000)}k`).join(' ');
  console.log(
    `${label.padEnd(9)} ${data.length} B  median ${Math.round(median).toLocaleString('en-US').padStart(9)} msg/s, best ${Math.round(sorted.at(-1)!).toLocaleString('en-US')} (rounds of ${seconds} s: ${each}; sink ${sink % 7})`,
  );
  return median;
}

function uasPath(count: number): { rate: number; cpu_us: number } {
  const flow: Flow = {
    protocol: 'udp',
    remoteAddress: '127.0.0.1',
    remotePort: 5061,
    localAddress: '127.0.0.1',
    localPort: 5060,
    connectionId: undefined,
  };
  const wire = { reliable: false, send: () => {} };
  const bindings = new Map<string, string>();
  const layer = new TransactionLayer({
    tu: {
      receiveRequest(request, tx) {
        const to = request.to.uri;
        const contact = request.contacts[0]!;
        const uri = formatUri(contact.uri);
        bindings.set(to.kind === 'sip' ? `${to.user}@${to.host}` : '', uri);
        tx.reply(200, { headers: [['Contact', `<${uri}>;expires=${request.expires ?? 3600}`]] });
      },
      receiveAck() {},
      receiveCancel() {},
      receiveStrayResponse() {},
    },
    network: { responseWire: () => () => wire, recordWire: () => wire, sendStateless() {} },
    limits: { maxServerTransactions: 10_000_000, maxClientTransactions: 10 },
  });
  const register = (i: number) =>
    Buffer.from(
      `REGISTER sip:bench.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;rport;branch=z9hG4bK-${i}-1-0\r\n` +
        `From: <sip:u${i}@bench.example>;tag=${i}r1\r\nTo: <sip:u${i}@bench.example>\r\nCall-ID: ${i}-31688@127.0.0.1\r\n` +
        `CSeq: 1 REGISTER\r\nContact: <sip:u${i}@127.0.0.1:6000>\r\nMax-Forwards: 70\r\nExpires: 3600\r\n` +
        'User-Agent: bars\r\nContent-Length: 0\r\n\r\n',
    );
  const inputs = Array.from({ length: count }, (_, i) => register(i));
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (const data of inputs) {
    const screened = screenInbound(data, { datagram: true });
    if (screened.kind !== 'request') throw new Error(`bench REGISTER refused: ${screened.kind}`);
    const request: SipRequest = screened.request;
    const stamped = stampReceived(request.via, flow.remoteAddress, flow.remotePort);
    if (stamped !== request.via) request.replaceTopVia(stamped);
    layer.receiveRequest(request, { ...flow });
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  if (layer.serverTransactionCount !== count) throw new Error('not every REGISTER completed');
  layer.close();
  return { rate: count / elapsed, cpu_us: (used.user + used.system) / count };
}

const seconds = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 7);
console.log(
  `SIP parse + serialize, one core, Node ${process.version}, ${rounds} rounds of ${seconds} s per case`,
);
const invite = run('INVITE', INVITE, false, seconds, rounds);
run('REGISTER', REGISTER, true, seconds, rounds);
const target = 150_000;
console.log(
  `INVITE (median) vs target ${target.toLocaleString('en-US')}/s: ${(invite / target).toFixed(2)}x`,
);
uasPath(20_000); // warm up
const path = uasPath(100_000);
console.log(
  `UAS path (screen, stamp, transaction, TU, serialize, Timer J record), no sockets: ${Math.round(path.rate).toLocaleString('en-US')} REGISTER/s, ${path.cpu_us.toFixed(1)} us CPU each (GC threads included)`,
);
