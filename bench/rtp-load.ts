/**
 * The RTP load generator of bench/rtp-relay.ts, run in worker threads.
 * Per call two UDP sockets on 127.0.0.1 (caller and callee), each sending
 * G.711-sized RTP (12-octet header + 160 octets) every 20 ms to where the
 * relay (or, for the baseline, the other socket) told it to. Packet k of a
 * stream is due at start + k × 20 ms + the stream's phase, paced by the
 * media package's drift-free MediaClock. The payload carries the send time,
 * so the receiving socket (same thread, same clock) measures the one-way
 * latency through the relay.
 */
import { createSocket, type Socket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { MediaClock, RTP_HEADER_SIZE, writeRtpHeader } from '@telekommune/media';

export interface Target {
  readonly address: string;
  readonly port: number;
}

export type WorkerRequest =
  | { readonly type: 'bind'; readonly calls: readonly number[] }
  | {
      readonly type: 'start';
      readonly targets: readonly { readonly callerSendsTo: Target; readonly calleeSendsTo: Target }[];
      readonly startEpochMs: number;
      readonly warmupMs: number;
      readonly seconds: number;
      readonly drainMs: number;
      readonly totalCalls: number;
    };

export interface WorkerResult {
  readonly type: 'result';
  readonly sent: number;
  readonly received: number;
  readonly duplicates: number;
  readonly misrouted: number;
  readonly sendErrors: number;
  /** Latency histogram, 10 µs buckets; the last bucket collects everything above. */
  readonly latency: number[];
  readonly lateness: number[];
}

export const BUCKET_US = 10;
export const BUCKETS = 50_000; // up to 500 ms

const PTIME_MS = 20;
const PACKET_SIZE = RTP_HEADER_SIZE + 160;

interface Stream {
  readonly socket: Socket;
  readonly ssrc: number;
  readonly call: number;
  readonly direction: 0 | 1;
  seq: number;
  /** Highest measured packet index received, for duplicates. */
  readonly seen: Uint8Array;
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

function bucket(ms: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor((ms * 1000) / BUCKET_US)));
}

async function bindSocket(): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  socket.on('error', () => {});
  return socket;
}

function connect(socket: Socket, target: Target): Promise<void> {
  return new Promise((resolve) => socket.connect(target.port, target.address, () => resolve()));
}

async function main(): Promise<void> {
  const port = parentPort!;
  let streams: Stream[] = [];
  let calls: readonly number[] = [];
  port.on('message', (request: WorkerRequest) => {
    void (async () => {
      if (request.type === 'bind') {
        calls = request.calls;
        streams = [];
        const ports: [number, number][] = [];
        for (const call of calls) {
          const caller = await bindSocket();
          const callee = await bindSocket();
          ports.push([caller.address().port, callee.address().port]);
          for (const [socket, direction] of [
            [caller, 0],
            [callee, 1],
          ] as const) {
            streams.push({
              socket,
              call,
              direction,
              ssrc: (call * 2 + direction + 1) >>> 0,
              seq: 0,
              seen: new Uint8Array(0),
            });
          }
        }
        port.postMessage({ type: 'bound', ports });
        return;
      }
      port.postMessage(await run(streams, calls, request));
      for (const stream of streams) stream.socket.close();
    })();
  });
}

async function run(
  streams: Stream[],
  calls: readonly number[],
  request: Extract<WorkerRequest, { type: 'start' }>,
): Promise<WorkerResult> {
  const warmupTicks = Math.ceil(request.warmupMs / PTIME_MS);
  const measuredTicks = Math.round((request.seconds * 1000) / PTIME_MS);
  const totalTicks = warmupTicks + measuredTicks;
  const latency = new Array<number>(BUCKETS).fill(0);
  const lateness = new Array<number>(BUCKETS).fill(0);
  let sent = 0;
  let received = 0;
  let duplicates = 0;
  let misrouted = 0;
  let sendErrors = 0;
  const byPort = new Map<Socket, Stream>();
  // Connect each socket to where it sends; a symmetric relay answers from there.
  for (let i = 0; i < calls.length; i++) {
    const target = request.targets[i]!;
    await connect(streams[2 * i]!.socket, target.callerSendsTo);
    await connect(streams[2 * i + 1]!.socket, target.calleeSendsTo);
  }
  for (const stream of streams) {
    (stream as { seen: Uint8Array }).seen = new Uint8Array(measuredTicks);
    byPort.set(stream.socket, stream);
  }
  // Receiving: the other direction's stream of the same call arrives on this socket.
  for (const stream of streams) {
    stream.socket.on('message', (msg) => {
      const arrival = now();
      if (msg.length !== PACKET_SIZE) {
        misrouted++;
        return;
      }
      const call = msg.readUInt32BE(RTP_HEADER_SIZE + 8);
      const direction = msg[RTP_HEADER_SIZE + 12]!;
      const index = msg.readUInt32BE(RTP_HEADER_SIZE + 13);
      if (call !== stream.call || direction === stream.direction) {
        misrouted++;
        return;
      }
      const measured = index - warmupTicks;
      if (measured < 0 || measured >= measuredTicks) return;
      const seen = stream.seen;
      if (seen[measured]) {
        duplicates++;
        return;
      }
      seen[measured] = 1;
      received++;
      latency[bucket(arrival - msg.readDoubleBE(RTP_HEADER_SIZE))]!++;
    });
  }
  const clock = new MediaClock({ clock: { now }, maxCatchUpTicks: 1_000_000, maxTasks: 100_000 });
  const done = new Promise<void>((resolve) => {
    let finished = 0;
    streams.forEach((stream) => {
      // Calls spread over the 20 ms; a call's two directions 10 ms apart.
      const phase =
        ((stream.call / request.totalCalls) * PTIME_MS + stream.direction * (PTIME_MS / 2)) % PTIME_MS;
      const task = clock.schedule(
        (tick) => {
          if (tick.index >= totalTicks) {
            task.cancel();
            if (++finished === streams.length) resolve();
            return;
          }
          const packet = Buffer.allocUnsafe(PACKET_SIZE);
          writeRtpHeader(packet, tick.index === 0, 0, stream.seq, tick.index * 160, stream.ssrc);
          stream.seq = (stream.seq + 1) & 0xffff;
          packet.fill(0, RTP_HEADER_SIZE);
          packet.writeDoubleBE(now(), RTP_HEADER_SIZE);
          packet.writeUInt32BE(stream.call, RTP_HEADER_SIZE + 8);
          packet[RTP_HEADER_SIZE + 12] = stream.direction;
          packet.writeUInt32BE(tick.index, RTP_HEADER_SIZE + 13);
          stream.socket.send(packet, (error) => {
            if (error) sendErrors++;
          });
          if (tick.index >= warmupTicks) {
            sent++;
            lateness[bucket(tick.lateMs)]!++;
          }
        },
        PTIME_MS,
        request.startEpochMs + phase,
      );
    });
  });
  await done;
  await new Promise((resolve) => setTimeout(resolve, request.drainMs));
  clock.stop();
  return { type: 'result', sent, received, duplicates, misrouted, sendErrors, latency, lateness };
}

if (parentPort && workerData === 'rtp-load') void main();
