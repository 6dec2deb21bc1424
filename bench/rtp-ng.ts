/**
 * rtpengine's ng control protocol, for driving rtpengine as the peer relay
 * in bench/rtp-relay.ts: `COOKIE <bencoded dictionary>` over UDP, the reply
 * carrying the same cookie. Bencode (BitTorrent's encoding): integers
 * `i42e`, strings `4:spam`, lists `l...e`, dictionaries `d...e` with sorted
 * keys.
 */

import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

export type BValue = number | string | Buffer | BValue[] | { [key: string]: BValue };

export function bencode(value: BValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('bencode integers only');
    return Buffer.from(`i${value}e`);
  }
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(value).sort();
  return Buffer.concat([
    Buffer.from('d'),
    ...keys.flatMap((k) => [bencode(k), bencode(value[k]!)]),
    Buffer.from('e'),
  ]);
}

/** Decodes one value; strings come back as UTF-8 text. Throws on malformed input. */
export function bdecode(data: Buffer): BValue {
  let offset = 0;
  const read = (depth: number): BValue => {
    if (depth > 32) throw new Error('bencode nested too deep');
    const ch = data[offset];
    if (ch === undefined) throw new Error('bencode truncated');
    if (ch === 0x69) {
      const end = data.indexOf(0x65, offset);
      if (end < 0) throw new Error('bencode integer unterminated');
      const n = Number(data.toString('latin1', offset + 1, end));
      offset = end + 1;
      return n;
    }
    if (ch === 0x6c) {
      offset++;
      const list: BValue[] = [];
      while (data[offset] !== 0x65) list.push(read(depth + 1));
      offset++;
      return list;
    }
    if (ch === 0x64) {
      offset++;
      const dict: { [key: string]: BValue } = {};
      while (data[offset] !== 0x65) {
        const key = read(depth + 1);
        dict[String(key)] = read(depth + 1);
      }
      offset++;
      return dict;
    }
    const colon = data.indexOf(0x3a, offset);
    if (colon < 0) throw new Error('bencode string unterminated');
    const length = Number(data.toString('latin1', offset, colon));
    if (!Number.isInteger(length) || colon + 1 + length > data.length)
      throw new Error('bencode string truncated');
    const text = data.toString('utf8', colon + 1, colon + 1 + length);
    offset = colon + 1 + length;
    return text;
  };
  return read(0);
}

/** An ng client: one request in flight per cookie, resent after 1 s, three tries. */
export class NgClient {
  private readonly socket: Socket;
  private readonly pending = new Map<string, (reply: { [key: string]: BValue }) => void>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket = createSocket('udp4');
    this.socket.on('message', (msg) => {
      const space = msg.indexOf(0x20);
      if (space < 0) return;
      const cookie = msg.toString('latin1', 0, space);
      const resolve = this.pending.get(cookie);
      if (!resolve) return;
      this.pending.delete(cookie);
      resolve(bdecode(msg.subarray(space + 1)) as { [key: string]: BValue });
    });
  }

  async request(command: { [key: string]: BValue }): Promise<{ [key: string]: BValue }> {
    const cookie = randomBytes(8).toString('hex');
    const message = Buffer.concat([Buffer.from(`${cookie} `), bencode(command)]);
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = await new Promise<{ [key: string]: BValue } | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.pending.delete(cookie);
          resolve(undefined);
        }, 1000);
        this.pending.set(cookie, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        this.socket.send(message, this.port, this.host);
      });
      if (reply) {
        if (reply.result !== 'ok' && reply.result !== 'pong') {
          throw new Error(
            `ng ${String(command.command)}: ${String(reply.result)} ${String(reply['error-reason'] ?? '')}`,
          );
        }
        return reply;
      }
    }
    throw new Error(`ng ${String(command.command)}: no reply from ${this.host}:${this.port}`);
  }

  close(): void {
    this.socket.close();
  }
}

export function audioSdp(port: number, address = '127.0.0.1'): string {
  const id = Math.floor(Math.random() * 1e9);
  return [
    'v=0',
    `o=- ${id} 1 IN IP4 ${address}`,
    's=bench',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** The audio port (and address) an SDP points at. */
export function sdpAudioTarget(sdp: string): { address: string; port: number } {
  const port = /^m=audio (\d+) /m.exec(sdp)?.[1];
  const address = /^c=IN IP4 ([\d.]+)/m.exec(sdp)?.[1];
  if (!port || !address) throw new Error(`no audio address in SDP:\n${sdp}`);
  return { address, port: Number(port) };
}
