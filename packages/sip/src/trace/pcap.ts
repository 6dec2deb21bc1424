import { isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { TappedMessage } from '../core/network.js';

/** LINKTYPE_RAW: each record is an IPv4 or IPv6 packet (tcpdump.org/linktypes.html). */
const LINKTYPE_RAW = 101;
const IPPROTO_UDP = 17;
/** The most a UDP datagram can carry; longer messages (over TCP) are cut to it in the capture. */
const MAX_UDP_PAYLOAD = 65_507;

/**
 * A libpcap file (the classic format Wireshark and tcpdump read) of traced
 * SIP messages. Each message becomes one UDP datagram between its real
 * addresses and ports, whatever transport carried it (a message that came
 * over TCP, TLS or WebSocket is shown decrypted and unframed, as UDP), so
 * Wireshark's SIP dissector and call flows work on it directly.
 */
export function tracePcap(messages: readonly TappedMessage[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // magic: microsecond timestamps, little-endian
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8); // this zone
  header.writeUInt32LE(0, 12); // sigfigs
  header.writeUInt32LE(65_535, 16); // snaplen
  header.writeUInt32LE(LINKTYPE_RAW, 20);
  const parts: Buffer[] = [header];
  for (const message of messages) {
    const packet = udpPacket(message);
    const record = Buffer.alloc(16);
    const seconds = Math.floor(message.at_ms / 1000);
    record.writeUInt32LE(seconds, 0);
    record.writeUInt32LE(Math.round((message.at_ms - seconds * 1000) * 1000), 4);
    record.writeUInt32LE(packet.length, 8);
    record.writeUInt32LE(packet.length, 12);
    parts.push(record, packet);
  }
  return Buffer.concat(parts);
}

function udpPacket(message: TappedMessage): Buffer {
  const inbound = message.direction === 'in';
  const source = {
    address: inbound ? message.remoteAddress : message.localAddress,
    port: inbound ? message.remotePort : message.localPort,
  };
  const destination = {
    address: inbound ? message.localAddress : message.remoteAddress,
    port: inbound ? message.localPort : message.remotePort,
  };
  const payload = message.bytes.subarray(0, MAX_UDP_PAYLOAD);
  const v6 = isIPv6(source.address) || isIPv6(destination.address);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(source.port & 0xffff, 0);
  udp.writeUInt16BE(destination.port & 0xffff, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  if (!v6) {
    const ip = Buffer.alloc(20);
    ip[0] = 0x45; // version 4, 5 words
    ip.writeUInt16BE(20 + 8 + payload.length, 2);
    ip[8] = 64; // TTL
    ip[9] = IPPROTO_UDP;
    ipv4Bytes(source.address).copy(ip, 12);
    ipv4Bytes(destination.address).copy(ip, 16);
    ip.writeUInt16BE(checksum([ip]), 10);
    // The UDP checksum is optional over IPv4 (RFC 768): 0 says none.
    return Buffer.concat([ip, udp, payload]);
  }
  const ip = Buffer.alloc(40);
  ip.writeUInt32BE(0x60000000, 0); // version 6
  ip.writeUInt16BE(8 + payload.length, 4);
  ip[6] = IPPROTO_UDP;
  ip[7] = 64; // hop limit
  const src = ipv6Bytes(source.address);
  const dst = ipv6Bytes(destination.address);
  src.copy(ip, 8);
  dst.copy(ip, 24);
  // Over IPv6 the UDP checksum is required (RFC 8200 §8.1), over a pseudo-header.
  const pseudo = Buffer.alloc(40);
  src.copy(pseudo, 0);
  dst.copy(pseudo, 16);
  pseudo.writeUInt32BE(8 + payload.length, 32);
  pseudo[39] = IPPROTO_UDP;
  udp.writeUInt16BE(checksum([pseudo, udp, payload]) || 0xffff, 6);
  return Buffer.concat([ip, udp, payload]);
}

/** The Internet checksum (RFC 1071) over the concatenation of `buffers`. */
export function checksum(buffers: readonly Buffer[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const buffer of buffers) {
    for (const byte of buffer) {
      if (odd === undefined) odd = byte;
      else {
        sum += (odd << 8) | byte;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The 4 bytes of an IPv4 address (also from its IPv4-mapped IPv6 form); 0.0.0.0 for anything else. */
function ipv4Bytes(address: string): Buffer {
  try {
    const parsed = ipaddr.process(address);
    if (parsed.kind() === 'ipv4') return Buffer.from(parsed.toByteArray());
  } catch {
    // not an address: shown as 0.0.0.0
  }
  return Buffer.alloc(4);
}

/** The 16 bytes of an IPv6 address; an IPv4 address as IPv4-mapped (::ffff:a.b.c.d). */
function ipv6Bytes(address: string): Buffer {
  try {
    const parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').split('%')[0]!);
    const v6 =
      parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6) : (parsed as ipaddr.IPv4).toIPv4MappedAddress();
    return Buffer.from(v6.toByteArray());
  } catch {
    return Buffer.alloc(16);
  }
}
