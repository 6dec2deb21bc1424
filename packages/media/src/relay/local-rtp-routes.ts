import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/** Most sockets one table holds (two per media port pair). */
export const MAX_LOCAL_ROUTES = 65_536;

/** A socket of this thread that packets can be handed to without the kernel. */
export interface LocalRoute {
  readonly socket: Socket;
  /** Set when the socket left the table, so a sender holding the route looks again. */
  removed: boolean;
}

/**
 * The media sockets of one thread, by the address and port other parties
 * are told in SDP: the RTP relay's legs and the media endpoints of voice
 * applications. A LatchingSocket whose target is in the table hands each
 * packet to that socket's 'message' listeners directly, as if it had come
 * over loopback UDP, instead of sending it: an IVR prompt through an
 * anchored call then costs one send (relay to caller) instead of two sends
 * and a receive. The relay still sits between caller and endpoint, so a
 * transfer re-points the relay's leg and never re-INVITEs the caller.
 *
 * Only sockets of the same thread can share a table (a relay in worker
 * threads keeps using UDP).
 */
export class LocalRtpRoutes {
  private readonly routes = new Map<string, LocalRoute>();
  /** Bumped on every change, so senders can cache a lookup. */
  version = 0;

  get size(): number {
    return this.routes.size;
  }

  /**
   * Files `socket` under each of `addresses` (its advertised and bound
   * addresses; wildcards are skipped) and its bound port. Returns its
   * removal. A key held by another socket is a bug (the relay and the
   * endpoints take ports from disjoint ranges): it throws and adds nothing.
   */
  add(socket: Socket, addresses: readonly string[]): () => void {
    const port = socket.address().port;
    const keys = [...new Set(addresses.filter((a) => !isWildcard(a)).map((a) => routeKey(a, port)))];
    if (this.routes.size + keys.length > MAX_LOCAL_ROUTES) {
      throw new RangeError(`local RTP route table is full (${MAX_LOCAL_ROUTES})`);
    }
    for (const key of keys) {
      const existing = this.routes.get(key);
      if (existing && existing.socket !== socket) throw new RangeError(`local RTP route ${key} is taken`);
    }
    const route: LocalRoute = { socket, removed: false };
    for (const key of keys) this.routes.set(key, route);
    this.version++;
    return () => {
      if (route.removed) return;
      route.removed = true;
      for (const key of keys) if (this.routes.get(key) === route) this.routes.delete(key);
      this.version++;
    };
  }

  find(address: string, port: number): LocalRoute | undefined {
    return this.routes.get(routeKey(address, port));
  }
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

function routeKey(address: string, port: number): string {
  return isIPv6(address) ? `[${address.toLowerCase()}]:${port}` : `${address}:${port}`;
}
