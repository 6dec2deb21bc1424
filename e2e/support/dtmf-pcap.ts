import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** RFC 4733 §3.2 event codes of the keypad. */
function eventCode(key: string): number {
  if (/^[0-9]$/.test(key)) return Number(key);
  if (key === '*') return 10;
  if (key === '#') return 11;
  if (/^[A-D]$/.test(key)) return 12 + key.charCodeAt(0) - 65;
  throw new Error(`no DTMF event for ${key}`);
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/UDP frame around an RTP packet (SIPp rewrites the addresses and ports). */
function frame(rtp: Buffer, id: number): Buffer {
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 8 + rtp.length, 2);
  ip.writeUInt16BE(id & 0xffff, 4);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  Buffer.from([192, 0, 2, 1]).copy(ip, 12);
  Buffer.from([192, 0, 2, 2]).copy(ip, 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40_000, 0);
  udp.writeUInt16BE(40_002, 2);
  udp.writeUInt16BE(8 + rtp.length, 4);
  const ethernet = Buffer.from('02000000000202000000000108' + '00', 'hex');
  return Buffer.concat([ethernet, ip, udp, rtp]);
}

const SSRC = 0x7e1e_0a57;
let directory: string | undefined;

/**
 * A pcap file with one key press as RFC 4733 telephone-event packets
 * (payload type 101): the marked start, duration updates every 20 ms for
 * 140 ms, then the end packet three times. Every call gets its own RTP
 * timestamp (`index`), because a receiver takes packets with a timestamp
 * it has seen as repeats of that event (RFC 4733 §2.5.2.1): Debian's
 * dtmf_2833_*.pcap all carry one fixed timestamp per key, so stock SIPp
 * cannot press the same key twice with them.
 */
export function dtmfPcap(key: string, index: number): string {
  directory ??= mkdtempSync(join(tmpdir(), 'tk-dtmf-pcap-'));
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `key-${eventCode(key)}-${index}.pcap`);
  const timestamp = (1_000_000 + index * 16_000) >>> 0;
  const sequence = (index * 16) & 0xffff;
  const records: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // Ethernet
  records.push(global);
  const packets: { atUs: number; end: boolean; duration: number }[] = [];
  for (let i = 0; i < 7; i++) packets.push({ atUs: i * 20_000, end: false, duration: (i + 1) * 160 });
  for (let i = 0; i < 3; i++) packets.push({ atUs: 7 * 20_000 + i * 50, end: true, duration: 8 * 160 });
  packets.forEach((packet, n) => {
    const rtp = Buffer.alloc(16);
    rtp.writeUInt8(0x80, 0);
    rtp.writeUInt8((n === 0 ? 0x80 : 0) | 101, 1);
    rtp.writeUInt16BE((sequence + n) & 0xffff, 2);
    rtp.writeUInt32BE(timestamp, 4);
    rtp.writeUInt32BE(SSRC, 8);
    rtp.writeUInt8(eventCode(key), 12);
    rtp.writeUInt8((packet.end ? 0x80 : 0) | 10, 13); // E bit, volume -10 dBm0
    rtp.writeUInt16BE(packet.duration, 14);
    const data = frame(rtp, index * 16 + n);
    const header = Buffer.alloc(16);
    header.writeUInt32LE(1_700_000_000, 0);
    header.writeUInt32LE(packet.atUs, 4);
    header.writeUInt32LE(data.length, 8);
    header.writeUInt32LE(data.length, 12);
    records.push(header, data);
  });
  writeFileSync(path, Buffer.concat(records));
  return path;
}
