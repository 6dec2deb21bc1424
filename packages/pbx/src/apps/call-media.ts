import {
  type DtmfDigit,
  type MediaEndpoint,
  type MediaEngine,
  type PlaybackResult,
  type PlayInput,
  TONE_PLANS,
  ToneSource,
} from '@telekommune/media';
import type { RingOutcome } from '../calls/ring-outcome.js';
import type { B2buaCall } from '../sip/b2bua-call.js';
import type { CallMediaHandler } from '../sip/call-media-handler.js';
import { restrictAudioPayloads } from './codec-filter.js';

/** Keys waiting to be read (type-ahead); older ones are dropped beyond this. */
const MAX_QUEUED_DIGITS = 32;

export interface CollectOptions {
  /** Most digits to collect; collection ends at this many. */
  readonly max: number;
  /** Wait for the first digit (after the prompts). */
  readonly firstTimeout_ms: number;
  /** Wait for each following digit. */
  readonly interDigit_ms: number;
  /** A key that ends the input without being part of it (default '#'). */
  readonly terminator?: DtmfDigit | undefined;
}

/**
 * A caller answered by an application (voicemail, IVR, feature code): the
 * media endpoint that talks to them, wired through the call's RTP relay
 * when media is anchored (the caller's side of the relay faces the caller,
 * the other side the endpoint, so an IVR transfer only turns the relay to
 * the callee and never re-INVITEs the caller), or facing the caller
 * directly otherwise. Keys from RFC 4733, SIP INFO or in-band tones queue
 * up as type-ahead for `collect`.
 */
export class CallMedia {
  private readonly digits: DtmfDigit[] = [];
  private wake: (() => void) | undefined;
  private callerSdp: string;
  /** Set once a callee took over the caller's media. */
  bridged = false;
  /** Applications entered on this call (nested: IVR -> voicemail); bounded against loops. */
  depth = 0;
  readonly signal: AbortSignal;
  private readonly handler: CallMediaHandler;

  private constructor(
    readonly call: B2buaCall,
    readonly endpoint: MediaEndpoint,
    callerSdp: string,
  ) {
    this.callerSdp = callerSdp;
    this.signal = AbortSignal.any([call.ended]);
    endpoint.on('dtmf', ({ digit }) => {
      this.digits.push(digit);
      if (this.digits.length > MAX_QUEUED_DIGITS) this.digits.shift();
      this.wake?.();
    });
    endpoint.on('timeout', () => call.hangup('system'));
    this.signal.addEventListener('abort', () => {
      this.wake?.();
      void endpoint.close();
    });
    this.handler = {
      offer: (sdp) => this.reanswer(sdp),
      currentSdp: () => this.callerSdp,
      info: (contentType, body) => endpoint.receiveSipInfo(contentType, body).ok,
      detach: () => {
        this.bridged = true;
        void endpoint.close();
      },
    };
  }

  /**
   * Answers the caller with a new endpoint. Returns the failure outcome
   * (488 for SDP we cannot answer, 503 without media ports) instead when it
   * cannot.
   */
  static async answer(
    call: B2buaCall,
    engine: MediaEngine,
    label: string,
    language = 'en',
  ): Promise<CallMedia | RingOutcome> {
    const offer = call.callerOffer;
    if (offer === undefined) return { kind: 'failed', status: 488, reason: 'Applications Need An SDP Offer' };
    let endpoint: MediaEndpoint;
    try {
      endpoint = await engine.createEndpoint({ language });
    } catch {
      return { kind: 'failed', status: 503, reason: 'Media Resources Exhausted' };
    }
    const sdp = answerThrough(call, endpoint, offer);
    if (sdp === undefined || call.ended.aborted) {
      await endpoint.close();
      return { kind: 'failed', status: 488, reason: 'Not Acceptable Here' };
    }
    const media = new CallMedia(call, endpoint, sdp);
    if (!call.answerWithApplication(sdp, label, media.handler)) {
      await endpoint.close();
      return { kind: 'cancelled' };
    }
    return media;
  }

  private reanswer(offer: string): string | undefined {
    if (this.endpoint.isClosed) return undefined;
    const sdp = answerThrough(this.call, this.endpoint, offer);
    if (sdp !== undefined) this.callerSdp = sdp;
    return sdp;
  }

  get active(): boolean {
    return !this.signal.aborted && !this.bridged;
  }

  /** Plays prompts; an interruptible batch is skipped when keys are already waiting. */
  async play(items: readonly PlayInput[], interruptible = true): Promise<PlaybackResult> {
    if (!this.active || items.length === 0) return { reason: 'stopped', failedItems: 0, playedSamples: 0 };
    if (interruptible && this.digits.length > 0)
      return { reason: 'interrupted', failedItems: 0, playedSamples: 0 };
    const stop = () => this.endpoint.stopPlayback();
    this.signal.addEventListener('abort', stop, { once: true });
    try {
      return await this.endpoint.play(items, { interruptible });
    } finally {
      this.signal.removeEventListener('abort', stop);
    }
  }

  /** Drops keys typed ahead (before asking something that must not be answered by accident). */
  clearDigits(): void {
    this.digits.length = 0;
  }

  /** The next key, waiting at most `timeout_ms`; undefined on timeout or hang-up. */
  async nextDigit(timeout_ms: number): Promise<DtmfDigit | undefined> {
    if (this.digits.length > 0) return this.digits.shift();
    if (!this.active) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeout_ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
    return this.active ? this.digits.shift() : undefined;
  }

  /** Plays `prompts`, then collects up to `max` digits ended by the terminator or a pause. */
  async collect(prompts: readonly PlayInput[], options: CollectOptions): Promise<string> {
    await this.play(prompts);
    const terminator = options.terminator === undefined ? '#' : options.terminator;
    let text = '';
    let timeout = options.firstTimeout_ms;
    while (text.length < options.max && this.active) {
      const digit = await this.nextDigit(timeout);
      if (digit === undefined || digit === terminator) break;
      text += digit;
      timeout = options.interDigit_ms;
    }
    return text;
  }

  /** Waits for one key while a source (ringback, echo) plays; used between prompts. */
  setSource(source: 'ringback' | undefined): void {
    this.endpoint.setSource(source === 'ringback' ? new ToneSource(TONE_PLANS.eu.ringback) : undefined);
  }

  /**
   * Offers the callee only the codec in use with the caller, then rings
   * `ring` (the router's walk to an extension or group) with ringback
   * playing. Answered: the callee has the caller's media now. Otherwise the
   * application gets the media back.
   */
  async transfer(ring: (signal: AbortSignal) => Promise<RingOutcome>): Promise<RingOutcome> {
    const offer = this.call.callerOffer;
    const negotiated = this.endpoint.media;
    if (offer === undefined || !negotiated) return { kind: 'failed', status: 488 };
    const payloads = [negotiated.codec.payloadType];
    if (negotiated.telephoneEventPt !== undefined) payloads.push(negotiated.telephoneEventPt);
    const restricted = restrictAudioPayloads(offer, payloads);
    const relay = this.call.relayCall;
    if (relay) {
      const rewritten = relay.rewrite('a', restricted);
      if (!rewritten.ok) return { kind: 'failed', status: 488 };
      this.call.setCalleeOffer(rewritten.sdp);
    } else {
      this.call.setCalleeOffer(restricted);
    }
    this.setSource('ringback');
    const outcome = await ring(this.signal);
    if (outcome.kind !== 'answered' && !this.bridged && this.active) {
      this.setSource(undefined);
      this.call.attachMedia(this.handler);
    }
    return outcome;
  }

  /** Ends the call (BYE to the caller) unless a callee took it over. */
  hangup(): void {
    if (!this.bridged) this.call.hangup('system');
  }
}

/** Our answer to a caller's offer, through the relay when media is anchored. */
function answerThrough(call: B2buaCall, endpoint: MediaEndpoint, offer: string): string | undefined {
  const relay = call.relayCall;
  if (!relay) {
    const answer = endpoint.answer(offer);
    return answer.ok ? answer.answer : undefined;
  }
  const toEndpoint = relay.rewrite('a', offer);
  if (!toEndpoint.ok) return undefined;
  const answer = endpoint.answer(toEndpoint.sdp);
  if (!answer.ok) return undefined;
  const toCaller = relay.rewrite('b', answer.answer);
  return toCaller.ok ? toCaller.sdp : undefined;
}
