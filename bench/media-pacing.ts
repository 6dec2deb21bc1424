/**
 * Prompt playback pacing: many concurrent MediaEndpoints playing voice
 * prompts, against the same number of naive players (one setInterval(20)
 * each, what a straightforward implementation does) in the same script,
 * interleaved.
 *
 *   npx tsx bench/media-pacing.ts [--sessions 500,1000] [--seconds 20] [--repeat 2]
 *
 * A receiver in a worker thread takes every stream on one UDP socket and
 * records arrival times; per stream it measures the interval between
 * consecutive sequence numbers. Printed per player and session count
 * (medians over repetitions): the p50/p99/max deviation of the interval
 * from 20 ms, the packet rate achieved against the 50/s wanted, the drift
 * (how far the last packet is from where exact 20 ms pacing puts it,
 * scaled to one minute), and the sending process's CPU. The target: p99
 * deviation under 3 ms with 500 sessions. "machine noise" is the p99
 * lateness of a 5 ms timer in the otherwise idle receiver thread: when it
 * is high, other processes held the CPU and no pacing can beat it.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { parentPort, type Worker, workerData } from 'node:worker_threads';
import { g711Encode, MediaClock, MediaEngine, type PacedTask, RtpSender } from '@telekommune/media';
import { maxOf, median, histogram as newHistogram, percentile, record } from './support/stats.js';
import { TimerNoise } from './support/timer-noise.js';
import { tsxWorker } from './support/tsx-worker.js';

const PTIME_MS = 20;

interface ReceiverReport {
  /** Timer lateness of an otherwise idle thread, p99 ms: how busy the machine was. */
  noiseP99: number;
  packets: number;
  intervals: number[]; // deviation histogram
  rates: number[]; // packets per second per stream
  driftPerMinute: number[]; // ms per minute per stream
}

// --- Receiver (worker thread) ------------------------------------------------------

function receiver(): void {
  const port = parentPort!;
  const socket = createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
  const streams = new Map<
    number,
    { first: number; firstSeq: number; last: number; lastSeq: number; count: number }
  >();
  const histogram = newHistogram();
  let packets = 0;
  let measuring = false;
  const noise = new TimerNoise();
  const answered = new Set<number>();
  socket.on('message', (msg, rinfo) => {
    if (!answered.has(rinfo.port)) {
      // Answer once, as a phone sends RTP too: the endpoint latches onto us (symmetric RTP).
      answered.add(rinfo.port);
      socket.send(msg, rinfo.port, rinfo.address);
    }
    if (!measuring || msg.length < 12) return;
    const now = performance.now();
    const seq = msg.readUInt16BE(2);
    packets++;
    const stream = streams.get(rinfo.port);
    if (!stream) {
      streams.set(rinfo.port, { first: now, firstSeq: seq, last: now, lastSeq: seq, count: 1 });
      return;
    }
    if (((seq - stream.lastSeq) & 0xffff) === 1) {
      record(histogram, Math.abs(now - stream.last - PTIME_MS));
    }
    stream.last = now;
    stream.lastSeq = seq;
    stream.count++;
  });
  socket.bind(0, '127.0.0.1', () => port.postMessage({ type: 'ready', port: socket.address().port }));
  port.on('message', (message: { type: 'start' | 'stop' }) => {
    if (message.type === 'start') {
      streams.clear();
      histogram.fill(0);
      noise.start();
      packets = 0;
      measuring = true;
      return;
    }
    measuring = false;
    const noiseP99 = noise.stop();
    const rates: number[] = [];
    const drift: number[] = [];
    for (const s of streams.values()) {
      const span = s.last - s.first;
      if (s.count < 50 || span <= 0) continue;
      const steps = (s.lastSeq - s.firstSeq) & 0xffff;
      rates.push((steps * 1000) / span);
      drift.push(((span - steps * PTIME_MS) * 60_000) / span);
    }
    const report: ReceiverReport = { noiseP99, packets, intervals: histogram, rates, driftPerMinute: drift };
    port.postMessage({ type: 'report', report });
  });
}

// --- Players ------------------------------------------------------------------------

interface PlayerRun {
  stop(): Promise<void>;
}

/** Send-side intervals: per stream, the time between two consecutive sends. */
class SendIntervals {
  readonly histogram = newHistogram();
  private readonly last = new Map<unknown, number>();
  measuring = false;

  record(stream: unknown): void {
    const now = performance.now();
    const previous = this.last.get(stream);
    this.last.set(stream, now);
    if (!this.measuring || previous === undefined) return;
    record(this.histogram, Math.abs(now - previous - PTIME_MS));
  }
}

const offer = (port: number) =>
  [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    '',
  ].join('\r\n');

const PROMPTS = ['vm-main-menu', 'vm-message-menu', 'ivr-dial-extension', 'vm-greetings-menu'];

/** MediaEndpoints on the shared MediaClock, each playing prompts in a loop. */
async function startEngine(
  sessions: number,
  receiverPort: number,
  portBase: number,
  intervals: SendIntervals,
): Promise<PlayerRun> {
  const mediaClock = new MediaClock({ observer: (task: PacedTask) => intervals.record(task) });
  const engine = new MediaEngine({
    mediaClock,
    bindAddress: '127.0.0.1',
    portRange: { min: portBase, max: portBase + sessions * 2 + 400 },
    maxEndpoints: sessions,
    rtpTimeoutMs: 0,
  });
  let running = true;
  for (let i = 0; i < sessions; i++) {
    const endpoint = await engine.createEndpoint();
    const answer = endpoint.answer(offer(receiverPort));
    if (!answer.ok) throw new Error(answer.reason);
    const loop = async (n: number): Promise<void> => {
      while (running) await endpoint.play([PROMPTS[(i + n++) % PROMPTS.length]!]);
    };
    void loop(0);
  }
  return {
    async stop() {
      running = false;
      await engine.close();
    },
  };
}

/** The naive peer: one setInterval(20) per session sending the next frame of a prompt. */
async function startNaive(
  sessions: number,
  receiverPort: number,
  engineForPrompts: MediaEngine,
  intervals: SendIntervals,
): Promise<PlayerRun> {
  const pcm = await engineForPrompts.prompts.load('vm-main-menu');
  const encoded = g711Encode('mulaw', pcm);
  const sockets = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      return socket;
    }),
  );
  const timers = sockets.map((socket, i) => {
    const sender = new RtpSender();
    let frame = i * 7;
    let timestamp = 0;
    const timer: NodeJS.Timeout = setInterval(() => {
      intervals.record(timer);
      const offset = (frame++ * 160) % (encoded.length - 160);
      socket.send(
        sender.packet(0, false, timestamp, encoded.subarray(offset, offset + 160)),
        receiverPort,
        '127.0.0.1',
      );
      timestamp += 160;
    }, PTIME_MS);
    return timer;
  });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.close();
    },
  };
}

// --- Measurement -----------------------------------------------------------------------

function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Row {
  player: string;
  sessions: number;
  sendP50: number;
  sendP99: number;
  sendMax: number;
  p50: number;
  p99: number;
  max: number;
  rate: number;
  driftMedian: number;
  driftWorst: number;
  cpuPct: number;
  noiseP99: number;
}

async function measure(
  player: string,
  sessions: number,
  seconds: number,
  worker: Worker,
  start: (intervals: SendIntervals) => Promise<PlayerRun>,
): Promise<Row> {
  const intervals = new SendIntervals();
  const run = await start(intervals);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // settle
  intervals.measuring = true;
  worker.postMessage({ type: 'start' });
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu1 = cpuSeconds();
  intervals.measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const report = await new Promise<ReceiverReport>((resolve) => {
    worker.once('message', (m: { report: ReceiverReport }) => resolve(m.report));
    worker.postMessage({ type: 'stop' });
  });
  await run.stop();
  const drifts = report.driftPerMinute.map(Math.abs);
  return {
    player,
    sessions,
    sendP50: percentile(intervals.histogram, 0.5),
    sendP99: percentile(intervals.histogram, 0.99),
    sendMax: maxOf(intervals.histogram),
    p50: percentile(report.intervals, 0.5),
    p99: percentile(report.intervals, 0.99),
    max: maxOf(report.intervals),
    rate: median(report.rates),
    driftMedian: median(report.driftPerMinute),
    driftWorst: Math.max(0, ...drifts),
    cpuPct: ((cpu1 - cpu0) / elapsed) * 100,
    noiseP99: report.noiseP99,
  };
}

async function main(): Promise<void> {
  let sessionCounts = [500, 1000];
  let seconds = 20;
  let repeat = 2;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1] ?? '';
    if (argv[i] === '--sessions') sessionCounts = value.split(',').map(Number);
    else if (argv[i] === '--seconds') seconds = Number(value);
    else if (argv[i] === '--repeat') repeat = Number(value);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (
    sessionCounts.some((n) => !(n > 0 && n <= 3000)) ||
    !(seconds > 0 && seconds <= 300) ||
    !(repeat >= 1 && repeat <= 10)
  ) {
    throw new Error('--sessions 1-3000 each, --seconds up to 300, --repeat 1-10');
  }
  const worker = tsxWorker(import.meta.url, 'media-pacing-receiver');
  const receiverPort = await new Promise<number>((resolve) =>
    worker.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const promptEngine = new MediaEngine({ bindAddress: '127.0.0.1', portRange: { min: 40000, max: 40010 } });
  const rows: Row[] = [];
  try {
    for (const sessions of sessionCounts) {
      for (let rep = 0; rep < repeat; rep++) {
        const runs: [string, (intervals: SendIntervals) => Promise<PlayerRun>][] = [
          ['media-clock', (intervals) => startEngine(sessions, receiverPort, 20000, intervals)],
          ['setInterval', (intervals) => startNaive(sessions, receiverPort, promptEngine, intervals)],
        ];
        if (rep % 2 === 1) runs.reverse();
        for (const [name, start] of runs) {
          const row = await measure(name, sessions, seconds, worker, start);
          rows.push(row);
          process.stdout.write(`${JSON.stringify({ bench: 'media-pacing', ...row })}\n`);
        }
      }
    }
  } finally {
    await worker.terminate();
    await promptEngine.close();
  }
  const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const lines = [
    '',
    `Prompt playback pacing, ${seconds} s per run, ${repeat} run(s) per row (medians).`,
    'Deviation of the packet interval from 20 ms, at the sender (when each packet was sent) and at a receiver thread on loopback.',
    '',
    '| player | sessions | sent p50 ms | sent p99 ms | sent max ms | received p50 ms | received p99 ms | received max ms | packets/s per stream (want 50) | drift ms/min (median) | worst drift ms/min | sender CPU % | machine noise p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const sessions of sessionCounts) {
    for (const player of ['media-clock', 'setInterval']) {
      const r = rows.filter((x) => x.player === player && x.sessions === sessions);
      lines.push(
        `| ${player} | ${sessions} | ${fmt(median(r.map((x) => x.sendP50)))} | ${fmt(median(r.map((x) => x.sendP99)))} | ${fmt(median(r.map((x) => x.sendMax)))} | ${fmt(median(r.map((x) => x.p50)))} | ${fmt(median(r.map((x) => x.p99)))} | ${fmt(median(r.map((x) => x.max)))} | ` +
          `${fmt(median(r.map((x) => x.rate)))} | ${fmt(median(r.map((x) => x.driftMedian)), 0)} | ${fmt(median(r.map((x) => x.driftWorst)), 0)} | ${fmt(median(r.map((x) => x.cpuPct)), 0)} | ${fmt(median(r.map((x) => x.noiseP99)))} |`,
      );
    }
  }
  for (const sessions of sessionCounts) {
    const pick = (player: string, key: 'sendP99' | 'driftMedian') =>
      median(rows.filter((x) => x.player === player && x.sessions === sessions).map((x) => Math.abs(x[key])));
    const ours = pick('media-clock', 'sendP99');
    lines.push(
      `- ${sessions} sessions: media-clock sent-interval p99 deviation ${fmt(ours)} ms (${ours < 3 ? 'under' : 'OVER'} the 3 ms target), ` +
        `setInterval ${fmt(pick('setInterval', 'sendP99'))} ms (ratio ${fmt(ours / pick('setInterval', 'sendP99'))}); ` +
        `drift ${fmt(pick('media-clock', 'driftMedian'), 0)} against ${fmt(pick('setInterval', 'driftMedian'), 0)} ms per minute`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (workerData === 'media-pacing-receiver') receiver();
else
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
