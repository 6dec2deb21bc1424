import type { RelayCall } from '@telekommune/media';
import type { HoldMusicPlayer } from './b2bua-environment.js';
import { otherSide, type Side } from './in-dialog-relay.js';

export interface CallHoldMusicDeps {
  /** Makes a player (a media endpoint of the voice runtime). */
  readonly player: () => Promise<HoldMusicPlayer>;
  /** The call's media relay; music needs anchored media. */
  readonly relayCall: () => RelayCall | undefined;
  /** The SDP `side` sent last, as it sent it. */
  readonly lastSdp: (side: Side) => string | undefined;
  /** Whether the call may get music now: answered, two parties, no transfer or application in the way. */
  readonly eligible: () => boolean;
  readonly log: (level: 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
}

/**
 * Music on hold for one anchored call (pbx.md §4). When a party holds the
 * call (a re-INVITE or UPDATE whose SDP is sendonly or inactive) and the
 * other party accepted, a player takes the holder's place at the media
 * relay: the relay's leg that forwarded the holder's audio now forwards the
 * player's, so the held party hears music without being re-INVITEd. Any
 * new SDP from the holder (resume, a transfer target taking its place)
 * re-points that leg and ends the music; so does the end of the call.
 * A blind transferor who hangs up while the target rings is stood in for
 * the same way (`standIn`), so the transferee hears music, not silence.
 */
export class CallHoldMusic {
  private playing:
    | { readonly holder: Side; readonly player: HoldMusicPlayer; readonly cause: 'hold' | 'stand-in' }
    | undefined;
  private starting = false;

  constructor(private readonly deps: CallHoldMusicDeps) {}

  /** Who the music stands in for, while it plays. */
  get holder(): Side | undefined {
    return this.playing?.holder;
  }

  /** Party `holder` changed the session with `offer`; plays music to the other party if that holds the call. */
  async changed(holder: Side, offer: string): Promise<void> {
    const relayCall = this.deps.relayCall();
    if (!relayCall || !this.deps.eligible()) return;
    const view = relayCall.toward(holder, offer);
    if (!view.ok || !view.held) return;
    await this.start(holder, 'hold', () => this.deps.lastSdp(holder) === offer && this.deps.eligible());
  }

  /**
   * Plays music in `gone`'s place without any hold from it: a blind
   * transferor who hung up while the target rings leaves the transferee
   * waiting. `wanted` says, once the player exists, whether it still should.
   */
  async standIn(gone: Side, wanted: () => boolean): Promise<void> {
    await this.start(gone, 'stand-in', wanted);
  }

  private async start(holder: Side, cause: 'hold' | 'stand-in', wanted: () => boolean): Promise<void> {
    const relayCall = this.deps.relayCall();
    if (!relayCall || this.playing || this.starting) return;
    this.starting = true;
    let player: HoldMusicPlayer;
    try {
      player = await this.deps.player();
    } catch (error) {
      this.deps.log('warn', { error: String(error) }, 'no music on hold: no media endpoint');
      return;
    } finally {
      this.starting = false;
    }
    // Anything may have happened meanwhile: a resume, a transfer, the end of the call.
    const listener = otherSide(holder);
    const heard = this.deps.lastSdp(listener);
    if (!wanted() || heard === undefined) {
      void player.close().catch(() => {});
      return;
    }
    const towardListener = relayCall.toward(listener, heard);
    const answer = towardListener.ok ? player.answer(towardListener.sdp) : undefined;
    const turned = answer === undefined ? undefined : relayCall.rewrite(holder, answer);
    if (!turned?.ok) {
      void player.close().catch(() => {});
      return;
    }
    this.playing = { holder, player, cause };
    this.deps.log('info', { holder, cause }, 'music on hold');
  }

  /**
   * `side` sent new SDP, which would point its relay leg at it. While music
   * plays because `side` held the call and the SDP still holds it (a session
   * refresh, a re-INVITE repeating the hold), the music goes on: the SDP
   * for the other party, without touching the leg. Otherwise the music ends
   * (resume, a transfer target taking `side`'s place) and undefined says to
   * point the leg as usual.
   */
  stillHolding(side: Side, sdp: string): string | undefined {
    const playing = this.playing;
    if (playing?.holder !== side) return undefined;
    // Music standing in for a party that left ends with any SDP from whoever takes its place.
    const view = playing.cause === 'hold' ? this.deps.relayCall()?.toward(side, sdp) : undefined;
    if (view?.ok && view.held) return view.sdp;
    this.stop();
    return undefined;
  }

  stop(): void {
    const playing = this.playing;
    this.playing = undefined;
    if (playing) void playing.player.close().catch(() => {});
  }
}
