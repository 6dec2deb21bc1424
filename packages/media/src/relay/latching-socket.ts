import type { RemoteInfo, Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { isWildcard, type LocalRoute, type LocalRtpRoutes } from './local-rtp-routes.js';
import { isPrivateAddress } from './private-address.js';

interface Target {
  readonly address: string;
  readonly port: number;
}

/** Local hand-overs in progress on this thread (see `send`). */
let handingOver = 0;

/** Joins a socket to its thread's table of local media sockets (see LocalRtpRoutes). */
export interface LocalRouting {
  readonly routes: LocalRtpRoutes;
  /** The address parties are told in SDP (the socket is filed under it and its bound address). */
  readonly advertisedAddress: string;
}

/**
 * One relay socket facing one party, with symmetric-RTP latching:
 *
 * - Until the party's first packet it sends to the address from the party's
 *   SDP and accepts packets from anywhere.
 * - The first packet's source becomes the target (the party's NAT mapping)
 *   and the only accepted source; a socket bound to a specific address is
 *   then connect()ed to it, so the kernel filters other sources and no
 *   address is looked up per send (a wildcard-bound one is not: connecting
 *   would pin its local address).
 * - Against RTP hijacking ("RTP bleed"): when the signalled address is a
 *   public one, only a packet from that same IP (any port) may latch; a
 *   private, CGNAT or link-local address (a phone behind NAT) lets the first
 *   packet from anywhere latch, since its public address is unknown.
 * - `setTarget` (a new SDP from the party, e.g. a re-INVITE) unlatches.
 *
 * Node drops a send with an address while a connect is in progress, and
 * queues one without; `send` follows the connect state accordingly.
 *
 * With `local` routing, a target that is another media socket of this
 * thread (a relay leg, a media endpoint) gets each packet handed to its
 * 'message' listeners instead of through the kernel, appearing to come
 * from this socket's advertised address and port.
 */
export class LatchingSocket {
  private target: Target | undefined;
  private latched = false;
  private state: 'none' | 'connecting' | 'connected' = 'none';
  private connectingTo: Target | undefined;
  private closed = false;

  /**
   * @param latching false: never latch nor connect; accept any source and
   *   always send to the signalled address (for peers known not to be behind NAT).
   */
  private readonly connecting: boolean;

  private readonly routes: LocalRtpRoutes | undefined;
  private readonly unroute: (() => void) | undefined;
  /** The route for `routeFor` as of table version `routeVersion`. */
  private route: LocalRoute | undefined;
  private routeFor: Target | undefined;
  private routeVersion = -1;
  /** What a packet handed over locally appears to come from (reused; `size` set per packet). */
  private readonly self: RemoteInfo | undefined;

  constructor(
    readonly socket: Socket,
    private readonly latching = true,
    local?: LocalRouting,
  ) {
    // connect() on a wildcard-bound socket pins it to the one local address
    // the route to the party uses; packets the party sends to another local
    // address would be lost. Only specific-address sockets are connected.
    const bound = socket.address();
    this.connecting = !isWildcard(bound.address);
    if (local) {
      this.routes = local.routes;
      this.unroute = local.routes.add(socket, [local.advertisedAddress, bound.address]);
      const address = isWildcard(local.advertisedAddress) ? bound.address : local.advertisedAddress;
      this.self = { address, family: isIPv6(address) ? 'IPv6' : 'IPv4', port: bound.port, size: 0 };
    }
  }

  /** The party's address from signalling; unlatches. */
  setTarget(address: string, port: number): void {
    this.latched = false;
    this.target = { address, port };
    if (this.state === 'connected') {
      disconnectQuietly(this.socket);
      this.state = 'none';
    }
    // 'connecting': the connect callback sees the target changed and undoes it.
  }

  get latchedTo(): Target | undefined {
    return this.latched ? this.target : undefined;
  }

  /** Whether a packet from `rinfo` is from the party (latching onto it if this is the first). */
  accept(rinfo: RemoteInfo): boolean {
    if (this.state === 'connected') return true; // the kernel filtered already
    if (!this.latching) return true;
    if (!this.latched) {
      const signalled = this.target;
      if (this.closed) return false;
      if (signalled && !isPrivateAddress(signalled.address) && rinfo.address !== signalled.address)
        return false;
      this.latch(rinfo);
      return true;
    }
    const target = this.target!;
    return rinfo.port === target.port && rinfo.address === target.address;
  }

  /** Whether packets to the party are handed over in this thread (no UDP). */
  get local(): boolean {
    return this.localRoute() !== undefined;
  }

  private localRoute(): LocalRoute | undefined {
    const routes = this.routes;
    if (routes === undefined) return undefined;
    const target = this.target;
    if (this.routeFor !== target || this.routeVersion !== routes.version) {
      this.route = target && !this.closed ? routes.find(target.address, target.port) : undefined;
      this.routeFor = target;
      this.routeVersion = routes.version;
    }
    return this.route;
  }

  /** Sends to the party; false when there is nowhere to send yet (then `sent` is not called). */
  send(msg: Buffer, sent?: () => void): boolean {
    const route = this.routes === undefined ? undefined : this.localRoute();
    // Handed over at most one level deep: a relay leg whose party's SDP names
    // one of our own sockets would otherwise recurse without end (over UDP it
    // is a packet loop the latching and timeouts end).
    if (route !== undefined && handingOver === 0) {
      const self = this.self!;
      self.size = msg.length;
      handingOver++;
      try {
        route.socket.emit('message', msg, self);
      } finally {
        handingOver--;
      }
      if (sent) process.nextTick(sent);
      return true;
    }
    switch (this.state) {
      case 'connected':
        this.socket.send(msg, sent);
        return true;
      case 'connecting':
        if (this.connectingTo !== this.target) return false;
        this.socket.send(msg, sent); // queued by Node until connected
        return true;
      case 'none': {
        const target = this.target;
        if (!target || this.closed) return false;
        this.socket.send(msg, target.port, target.address, sent);
        return true;
      }
    }
  }

  private latch(rinfo: RemoteInfo): void {
    const target = { address: rinfo.address, port: rinfo.port };
    this.target = target;
    this.latched = true;
    if (!this.connecting || this.localRoute() !== undefined) return; // nothing to connect for a local party
    if (this.state !== 'none') return; // a connect is still settling; stay unconnected
    this.state = 'connecting';
    this.connectingTo = target;
    try {
      this.socket.connect(target.port, target.address, () => {
        if (this.closed) return;
        if (this.target === target && this.latched) {
          this.state = 'connected';
        } else {
          disconnectQuietly(this.socket);
          this.state = 'none';
        }
      });
    } catch {
      this.state = 'none';
    }
  }

  close(): void {
    this.closed = true;
    this.unroute?.();
    this.route = undefined;
    this.routeFor = undefined;
  }
}

function disconnectQuietly(socket: Socket): void {
  try {
    socket.disconnect();
  } catch {
    // not connected
  }
}
