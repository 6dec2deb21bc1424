import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * Ports for the tools the tests start (SIPp, baresip, a PBX given a fixed
 * port) come from above Linux's ephemeral range (32768-60999 by default), so
 * no socket bound to port 0 anywhere on the machine can take one between the
 * probe and the tool's bind. Each Vitest worker (VITEST_POOL_ID) has its own
 * slice, so test files running side by side never hand out the same port.
 */
const TOOL_PORTS = { min: 61_000, max: 65_519 } as const;
const SLICES = 8;
const sliceSize = Math.floor((TOOL_PORTS.max - TOOL_PORTS.min + 1) / SLICES);

function sliceStart(): number {
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  const index = Number.isInteger(pool) && pool > 0 ? (pool - 1) % SLICES : 0;
  return TOOL_PORTS.min + index * sliceSize;
}

/** Where this process looks next in its slice (each file starts somewhere random: files in one worker run in turn). */
let cursor = Math.floor(Math.random() * sliceSize);

async function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/**
 * The first of `size` consecutive ports that are free on `host` right now,
 * the first for TCP and UDP and the rest for UDP, for tools that need numbers
 * up front: SIPp's `-mp` binds its audio port and the video port two above
 * it, a baresip `rtp_ports` range needs all of its ports. The first port is
 * even when `size` is more than one (RTP on even ports, RFC 3550 §11).
 * Never hard-code a port in a test: test files run in parallel.
 */
export async function freePortBlock(size: number, host = '127.0.0.1'): Promise<number> {
  if (!Number.isInteger(size) || size < 1 || size > sliceSize / 2) {
    throw new RangeError(`a block of ${size} ports does not fit a slice of ${sliceSize}`);
  }
  const start = sliceStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    if (cursor + size > sliceSize) cursor = 0;
    let first = start + cursor;
    if (size > 1 && first % 2 === 1) first += 1;
    cursor = first - start + size;
    if (first + size > start + sliceSize) continue;
    let free = await tcpFree(first, host);
    for (let port = first; free && port < first + size; port++) free = await udpFree(port, host);
    if (free) return first;
  }
  throw new Error(`no ${size} free consecutive ports on ${host} in ${start}-${start + sliceSize - 1}`);
}

/** A port free for both UDP and TCP on `host` right now (see freePortBlock). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return freePortBlock(1, host);
}
