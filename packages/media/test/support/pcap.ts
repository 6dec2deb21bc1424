import { readFileSync } from 'node:fs';

export interface PcapUdpPacket {
  readonly timeMs: number;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

/**
 * The UDP payloads of a classic libpcap file (Ethernet or Linux cooked
 * link types, IPv4): enough to replay the RTP captures Debian's sip-tester
 * ships under /usr/share/sip-tester.
 */
export function readPcapUdp(path: string): PcapUdpPacket[] {
  const data = readFileSync(path);
  const magic = data.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && data.readUInt32BE(0) !== 0xa1b2c3d4) throw new Error(`${path}: not a pcap file`);
  const u32 = (offset: number) => (little ? data.readUInt32LE(offset) : data.readUInt32BE(offset));
  const linkType = u32(20);
  const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : -1;
  if (linkHeader < 0) throw new Error(`${path}: unsupported link type ${linkType}`);
  const packets: PcapUdpPacket[] = [];
  let offset = 24;
  while (offset + 16 <= data.length) {
    const seconds = u32(offset);
    const micros = u32(offset + 4);
    const length = u32(offset + 8);
    const frame = data.subarray(offset + 16, offset + 16 + length);
    offset += 16 + length;
    const ip = frame.subarray(linkHeader);
    if (ip.length < 20 || ip[0]! >> 4 !== 4 || ip[9] !== 17) continue;
    const udp = ip.subarray((ip[0]! & 0x0f) * 4);
    const udpLength = udp.readUInt16BE(4);
    packets.push({
      timeMs: seconds * 1000 + micros / 1000,
      sourcePort: udp.readUInt16BE(0),
      destinationPort: udp.readUInt16BE(2),
      payload: Buffer.from(udp.subarray(8, udpLength)),
    });
  }
  return packets;
}
