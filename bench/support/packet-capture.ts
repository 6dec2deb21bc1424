/**
 * When RTP packets were sent, as the kernel saw them: tcpdump on the
 * loopback interface stamps each packet as it passes the device, which on
 * loopback happens inside the sender's own send call. The interval between
 * a stream's consecutive packets there is the sent interval itself, free of
 * the receiving thread's scheduling (which a receiver's clock adds).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { histogram, record } from './stats.js';

/** Enough of each packet for the link, IPv4, UDP and RTP headers. */
const SNAPLEN = 96;
const PTIME_MS = 20;

export interface SentIntervals {
  /** Deviation of each consecutive packet pair's interval from 20 ms (bench/support/stats.ts buckets). */
  readonly histogram: number[];
  readonly streams: number;
  /** Packets the kernel dropped before tcpdump read them (their intervals are not counted). */
  readonly dropped: number;
}

export interface Capture {
  stop(): Promise<SentIntervals>;
}

/** Why captures cannot run here (one line with the fix), or undefined when they can. */
export function captureUnavailable(): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v tcpdump']).status !== 0) {
    return 'tcpdump is not installed (apt-get install -y tcpdump): sent-side figures skipped';
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'capturing on lo needs root (or CAP_NET_RAW for tcpdump): sent-side figures skipped';
  }
  return undefined;
}

/** Starts capturing UDP to 127.0.0.1:`port` on lo; resolves once tcpdump listens. */
export async function startCapture(port: number, dir: string): Promise<Capture> {
  const file = join(dir, `sent-${port}-${Date.now()}.pcap`);
  const child = spawn(
    'tcpdump',
    [
      '-i',
      'lo',
      '-n',
      '-B',
      String(128 * 1024),
      '-s',
      String(SNAPLEN),
      '--time-stamp-precision=nano',
      '-w',
      file,
      `udp and dst host 127.0.0.1 and dst port ${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr.trim()}`)), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code}): ${stderr.trim()}`));
    });
  });
  return {
    stop: async () => {
      await stopChild(child);
      const dropped = Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
      try {
        return { ...sentIntervals(readFileSync(file)), dropped };
      } finally {
        rmSync(file, { force: true });
      }
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT'); // tcpdump writes out what it holds and its counts
  });
}

/** The sent-interval deviations of every RTP stream in a pcap file (IPv4 over Ethernet, Linux cooked v1/v2). */
export function sentIntervals(pcap: Buffer): Omit<SentIntervals, 'dropped'> {
  if (pcap.length < 24) throw new Error('not a pcap file (shorter than its header)');
  const magic = pcap.readUInt32LE(0);
  if (magic !== 0xa1b23c4d && magic !== 0xa1b2c3d4) throw new Error('not a little-endian pcap file');
  const fractionMs = magic === 0xa1b23c4d ? 1e-6 : 1e-3;
  const linkHeader = ({ 1: 14, 113: 16, 276: 20 } as Record<number, number>)[pcap.readUInt32LE(20)];
  if (linkHeader === undefined) throw new Error(`unexpected link type ${pcap.readUInt32LE(20)}`);
  const buckets = histogram();
  const last = new Map<number, { atMs: number; seq: number }>();
  for (let offset = 24; offset + 16 <= pcap.length; ) {
    const atMs = pcap.readUInt32LE(offset) * 1000 + pcap.readUInt32LE(offset + 4) * fractionMs;
    const length = pcap.readUInt32LE(offset + 8);
    const ip = offset + 16 + linkHeader;
    offset += 16 + length;
    if (length < linkHeader + 20 || pcap[ip]! >> 4 !== 4) continue;
    const udp = ip + (pcap[ip]! & 0x0f) * 4;
    const rtp = udp + 8;
    if (rtp + 12 > offset || (pcap[rtp + 1]! & 0x7f) >= 72) continue; // RTCP or too short
    // A stream is its source address and port.
    const source = pcap.readUInt32BE(ip + 12) * 65_536 + pcap.readUInt16BE(udp);
    const seq = pcap.readUInt16BE(rtp + 2);
    const previous = last.get(source);
    if (previous && ((seq - previous.seq) & 0xffff) === 1) {
      record(buckets, Math.abs(atMs - previous.atMs - PTIME_MS));
    }
    last.set(source, { atMs, seq });
  }
  return { histogram: buckets, streams: last.size };
}
