import { EventEmitter } from 'node:events';
import { EMPTY_LEG_STATS, type RelayBackend, type RelaySide } from './relay-backend.js';
import type { RelayLegStats } from './relay-leg.js';
import { type RelaySdpFailure, rewriteSdpForRelay } from './relay-sdp.js';

export type { RelaySide } from './relay-backend.js';

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
 * One anchored call: a leg per party (`a` the caller's side, `b` the
 * callee's), each an RTP/RTCP port pair. The B2BUA passes every SDP through
 * `rewrite(from, sdp)` (offers, answers, re-INVITEs and UPDATEs alike) and
 * sends the result to the other party.
 */
export class RelayCall extends EventEmitter<RelayCallEvents> {
  private readonly heldBy = { a: false, b: false };
  private released = false;

  constructor(
    readonly callId: string,
    private readonly ports: { readonly a: number; readonly b: number },
    private readonly advertisedAddress: string,
    private readonly backend: RelayBackend,
    private readonly onRelease: (call: RelayCall) => void,
  ) {
    super();
  }

  /** The relay port a party sends to (its leg's RTP port). */
  portFor(side: RelaySide): number {
    return this.ports[side];
  }

  /**
   * Takes the SDP that party `from` sent and returns the SDP to give the
   * other party, pointing it at the relay. Records where `from` receives
   * and re-arms latching for it.
   */
  rewrite(from: RelaySide, sdp: string): RewriteResult {
    if (this.released) return { ok: false, reason: 'released' };
    const to: RelaySide = from === 'a' ? 'b' : 'a';
    const result = rewriteSdpForRelay(sdp, this.advertisedAddress, this.ports[to]);
    if (!result.ok) return result;
    const media = result.media;
    this.heldBy[from] = media.held;
    this.backend.setRemote(this.callId, from, {
      address: media.address,
      rtpPort: media.rtpPort,
      rtcpPort: media.rtcpPort,
      held: media.held,
    });
    return { ok: true, sdp: result.sdp, held: this.held };
  }

  /**
   * What `rewrite(from, sdp)` would hand the other party, without recording
   * anything: party `from`'s media pointed at the relay port the other party
   * sends to. A media endpoint that answers it can take the other party's
   * place (music on hold): once `rewrite(other, endpoint's answer)` turns the
   * other party's leg to the endpoint, `from` hears the endpoint. `held` is
   * whether `from`'s SDP itself holds the call.
   */
  toward(from: RelaySide, sdp: string): RewriteResult {
    if (this.released) return { ok: false, reason: 'released' };
    const result = rewriteSdpForRelay(sdp, this.advertisedAddress, this.ports[from === 'a' ? 'b' : 'a']);
    return result.ok ? { ok: true, sdp: result.sdp, held: result.media.held } : result;
  }

  get held(): boolean {
    return this.heldBy.a || this.heldBy.b;
  }

  get isReleased(): boolean {
    return this.released;
  }

  stats(): RelayCallStats {
    const counters = this.backend.counters(this.callId);
    return {
      callId: this.callId,
      a: counters?.a ?? EMPTY_LEG_STATS,
      b: counters?.b ?? EMPTY_LEG_STATS,
      held: this.held,
    };
  }

  /** Closes both legs and returns their ports. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.backend.release(this.callId);
    this.onRelease(this);
    this.emit('released');
  }
}
