import { isIPv4, isIPv6, type Server } from 'node:net';
import { SipStackError } from '../errors.js';

/** Throws `invalid-argument` unless `address` is an IPv4 or IPv6 literal (transports bind to addresses, not names). */
export function requireBindAddress(address: string, what = 'bind address'): void {
  if (!isIPv4(address) && !isIPv6(address)) {
    throw new SipStackError('invalid-argument', `${what} ${address} is not an IP address`);
  }
}

/**
 * Starts `server` (TCP, TLS, HTTP or HTTPS) listening on `address:port`
 * (port 0 picks a free one); rejects when it cannot. Returns the address
 * and port it is bound to.
 */
export async function listenOn(
  server: Server,
  port: number,
  address: string,
): Promise<{ address: string; port: number } | undefined> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  return bound && typeof bound === 'object' ? { address: bound.address, port: bound.port } : undefined;
}
