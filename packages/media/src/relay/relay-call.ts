import { EventEmitter } from 'node:events';
import type { RelayLeg, RelayLegStats } from './relay-leg.js';
import { type RelaySdpFailure, rewriteSdpForRelay } from './relay-sdp.js';

/** The two parties of a relayed call: `a` the caller's side, `b` the callee's. */
export type RelaySide = 'a' | 'b';

export type RewriteResult =
  | { readonly ok: true; readonly sdp: string; readonly held: boolean }
  | { readonly ok: false; readonly reason: RelaySdpFailure | 'released' };

export interface RelayCallStats {
  readonly callId: string;
  readonly a: RelayLegStats;
  readonly b: RelayLegStats;
  /** Whether either party's latest SDP holds the call. */
  readonly held: boolean;
}

export interface RelayCallEvents {
  /** No media from either party for the relay's timeout (the hold timeout while held). */
  timeout: [];
  released: [];
}

/**
 * One anchored call: a leg per party, each with its RTP/RTCP port pair.
 * The B2BUA passes every SDP through `rewrite(from, sdp)` (offers, answers,
 * re-INVITEs and UPDATEs alike) and sends the result to the other party.
 */
export class RelayCall extends EventEmitter<RelayCallEvents> {
  private readonly heldBy = { a: false, b: false };
  private released = false;
  private timedOut = false;
  readonly createdTick: number;

  constructor(
    readonly callId: string,
    private readonly legs: { readonly a: RelayLeg; readonly b: RelayLeg },
    private readonly advertisedAddress: string,
    private readonly onRelease: (call: RelayCall) => void,
    currentTick: number,
  ) {
    super();
    legs.a.other = legs.b;
    legs.b.other = legs.a;
    this.createdTick = currentTick;
  }

  /** The relay port a party sends to (its leg's RTP port). */
  portFor(side: RelaySide): number {
    return this.legs[side].port;
  }

  /**
   * Takes the SDP that party `from` sent and returns the SDP to give the
   * other party, pointing it at the relay. Records where `from` receives
   * and re-arms latching for it.
   */
  rewrite(from: RelaySide, sdp: string): RewriteResult {
    if (this.released) return { ok: false, reason: 'released' };
    const to: RelaySide = from === 'a' ? 'b' : 'a';
    const result = rewriteSdpForRelay(sdp, this.advertisedAddress, this.legs[to].port);
    if (!result.ok) return result;
    const media = result.media;
    this.legs[from].setRemote(media.address, media.rtpPort, media.rtcpPort);
    this.heldBy[from] = media.held;
    this.timedOut = false;
    return { ok: true, sdp: result.sdp, held: this.held };
  }

  get held(): boolean {
    return this.heldBy.a || this.heldBy.b;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** The tick of the last packet from either party (or of creation). */
  lastActivityTick(): number {
    return Math.max(this.createdTick, this.legs.a.lastSeenTick, this.legs.b.lastSeenTick);
  }

  /** Called by the relay's housekeeping; emits `timeout` once per silence. */
  checkTimeout(currentTick: number, timeoutTicks: number, holdTimeoutTicks: number): void {
    if (this.released || this.timedOut) return;
    const limit = this.held ? holdTimeoutTicks : timeoutTicks;
    if (limit > 0 && currentTick - this.lastActivityTick() >= limit) {
      this.timedOut = true;
      this.emit('timeout');
    }
  }

  stats(): RelayCallStats {
    return { callId: this.callId, a: this.legs.a.stats(), b: this.legs.b.stats(), held: this.held };
  }

  /** Closes both legs and returns their ports. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.legs.a.close();
    this.legs.b.close();
    this.onRelease(this);
    this.emit('released');
  }
}
