import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** Ports this process returned lately. */
const handedOut = new Set<number>();

/**
 * A port that is free for both UDP and TCP on 127.0.0.1 right now, for tools
 * such as SIPp that need a number up front. Test files run in parallel, so
 * never hard-code a port in a test.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    // A port handed out moments ago may not be bound yet by the tool it went to: never give it twice.
    if (udpFree && !handedOut.has(port)) {
      if (handedOut.size >= 4096) handedOut.clear();
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port found after 50 attempts');
}
