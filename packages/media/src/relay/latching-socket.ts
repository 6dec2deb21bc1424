import type { RemoteInfo, Socket } from 'node:dgram';
import { isPrivateAddress } from './private-address.js';

interface Target {
  readonly address: string;
  readonly port: number;
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

  constructor(
    readonly socket: Socket,
    private readonly latching = true,
  ) {
    // connect() on a wildcard-bound socket pins it to the one local address
    // the route to the party uses; packets the party sends to another local
    // address would be lost. Only specific-address sockets are connected.
    const local = socket.address().address;
    this.connecting = local !== '0.0.0.0' && local !== '::';
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

  /** Sends to the party; false when there is nowhere to send yet (then `sent` is not called). */
  send(msg: Buffer, sent?: () => void): boolean {
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
    if (!this.connecting) return;
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
  }
}

function disconnectQuietly(socket: Socket): void {
  try {
    socket.disconnect();
  } catch {
    // not connected
  }
}
