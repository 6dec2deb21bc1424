import { type AudioSink, type AudioSource, FRAME_MS, FRAME_SAMPLES } from '../audio/audio-frame.js';
import type { MediaClock, PacedTask } from '../clock/media-clock.js';
import { clamp16, mixMinusOne } from './mix-minus.js';

/** Limits of a mixer (STYLE.md 14). */
export interface ConferenceMixerLimits {
  /** Participants one mixer takes; `join` refuses beyond this. */
  readonly maxParticipants: number;
  /** Received audio waiting to be mixed, per participant (ms); older audio is dropped. */
  readonly maxInputMs: number;
  /** Mixed frames waiting to be sent, per participant; older frames are dropped. */
  readonly maxOutputFrames: number;
}

export const defaultConferenceMixerLimits: ConferenceMixerLimits = {
  maxParticipants: 64,
  maxInputMs: 60,
  maxOutputFrames: 3,
};

export interface MixerParticipantStats {
  /** Ticks in which this participant's audio went into the mix. */
  readonly framesIn: number;
  /** Mixed frames handed to this participant's sender. */
  readonly framesOut: number;
  /** Of those, frames that carried someone else's audio (not digital silence). */
  readonly voicedFramesOut: number;
  /** Received samples dropped because the input queue was full. */
  readonly droppedSamples: number;
  /** Mixed frames dropped because the sender did not take them. */
  readonly droppedFrames: number;
}

/**
 * One participant of a conference: a sink for the audio its peer sends
 * (`MediaEndpoint.addSink`) and the source of what it hears
 * (`MediaEndpoint.setSource`), so its endpoint's paced sender encodes each
 * mixed frame in the participant's own codec (PCMU or PCMA) and sends it.
 */
export class MixerParticipant implements AudioSink, AudioSource {
  private readonly input: Int16Array;
  private inputStart = 0;
  private inputLength = 0;
  /** Mixed frames, a ring of `maxOutputFrames`. */
  private readonly output: Int16Array[];
  private outputStart = 0;
  private outputLength = 0;
  /** A sound heard by this participant only, on top of the mix (join and leave tones). */
  private overlaySource: AudioSource | undefined;
  private readonly overlayFrame = new Int16Array(FRAME_SAMPLES);
  /** Scratch frame for this tick's input. */
  readonly inputFrame = new Int16Array(FRAME_SAMPLES);
  /** Scratch frame for this tick's mix. */
  readonly mixFrame = new Int16Array(FRAME_SAMPLES);
  private left = false;
  private framesIn = 0;
  private framesOut = 0;
  private voicedFramesOut = 0;
  private droppedSamples = 0;
  private droppedFrames = 0;

  constructor(
    readonly id: number,
    private readonly mixer: ConferenceMixer,
    limits: ConferenceMixerLimits,
  ) {
    this.input = new Int16Array(Math.max(FRAME_SAMPLES, (limits.maxInputMs * FRAME_SAMPLES) / FRAME_MS));
    this.output = Array.from(
      { length: Math.max(1, limits.maxOutputFrames) },
      () => new Int16Array(FRAME_SAMPLES),
    );
  }

  get active(): boolean {
    return !this.left;
  }

  /** Received audio (any packet size), queued until the next tick; the oldest is dropped when full. */
  write(pcm: Int16Array): void {
    if (this.left) return;
    const capacity = this.input.length;
    for (let i = 0; i < pcm.length; i++) {
      if (this.inputLength === capacity) {
        this.inputStart = (this.inputStart + 1) % capacity;
        this.inputLength--;
        this.droppedSamples++;
      }
      this.input[(this.inputStart + this.inputLength) % capacity] = pcm[i]!;
      this.inputLength++;
    }
  }

  /** The next mixed frame for the sender; false when none is ready (the sender sends silence). */
  read(frame: Int16Array): boolean {
    if (this.outputLength === 0) return false;
    frame.set(this.output[this.outputStart]!);
    this.outputStart = (this.outputStart + 1) % this.output.length;
    this.outputLength--;
    return true;
  }

  /** Plays `source` to this participant on top of what it hears, until the source ends. */
  overlay(source: AudioSource): void {
    if (!this.left) this.overlaySource = source;
  }

  /** Leaves the conference (idempotent); the others stop hearing this participant at once. */
  leave(): void {
    if (this.left) return;
    this.left = true;
    this.inputLength = 0;
    this.outputLength = 0;
    this.overlaySource = undefined;
    this.mixer.remove(this);
  }

  stats(): MixerParticipantStats {
    return {
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      voicedFramesOut: this.voicedFramesOut,
      droppedSamples: this.droppedSamples,
      droppedFrames: this.droppedFrames,
    };
  }

  /**
   * This tick's input: the oldest 20 ms received (what arrived: a short
   * read is padded with silence), or undefined when nothing arrived.
   */
  takeInput(): Int16Array | undefined {
    if (this.inputLength === 0) return undefined;
    const frame = this.inputFrame;
    const n = Math.min(FRAME_SAMPLES, this.inputLength);
    const capacity = this.input.length;
    for (let i = 0; i < n; i++) frame[i] = this.input[(this.inputStart + i) % capacity]!;
    frame.fill(0, n);
    this.inputStart = (this.inputStart + n) % capacity;
    this.inputLength -= n;
    this.framesIn++;
    return frame;
  }

  /** Queues this tick's mix (with the overlay added) for the sender. */
  deliver(): void {
    const mix = this.mixFrame;
    let voiced = false;
    for (let s = 0; s < FRAME_SAMPLES; s++) {
      if (mix[s] !== 0) {
        voiced = true;
        break;
      }
    }
    const overlay = this.overlaySource;
    if (overlay) {
      if (overlay.read(this.overlayFrame)) {
        const add = this.overlayFrame;
        for (let s = 0; s < FRAME_SAMPLES; s++) mix[s] = clamp16(mix[s]! + add[s]!);
      } else this.overlaySource = undefined;
    }
    const size = this.output.length;
    if (this.outputLength === size) {
      this.outputStart = (this.outputStart + 1) % size;
      this.outputLength--;
      this.droppedFrames++;
    }
    this.output[(this.outputStart + this.outputLength) % size]!.set(mix);
    this.outputLength++;
    this.framesOut++;
    if (voiced) this.voicedFramesOut++;
  }
}

/**
 * A conference's audio mixer (pbx.md §4, conference rooms). Driven by the
 * shared MediaClock every 20 ms while it has participants: each
 * participant's received audio of the last 20 ms is taken (what arrived,
 * silence when nothing did; no waiting for late packets), everyone hears
 * the sum of the others (N-1, clipped to 16 bits, never their own voice),
 * and the mix is queued for each participant's endpoint, whose paced sender
 * encodes it in that participant's codec. Keys sent as RFC 4733 events
 * never reach the mix (they are not audio). The work per tick is
 * O(participants × 160 samples), bounded by `maxParticipants`.
 */
export class ConferenceMixer {
  private readonly participants: MixerParticipant[] = [];
  private readonly inputs: (Int16Array | undefined)[] = [];
  private readonly outputs: Int16Array[] = [];
  private readonly total = new Int32Array(FRAME_SAMPLES);
  private readonly limits: ConferenceMixerLimits;
  private task: PacedTask | undefined;
  private nextId = 1;
  /** Ticks mixed over the mixer's life. */
  ticks = 0;

  constructor(
    private readonly mediaClock: MediaClock,
    limits: Partial<ConferenceMixerLimits> = {},
  ) {
    this.limits = { ...defaultConferenceMixerLimits, ...limits };
    if (!(this.limits.maxParticipants >= 1)) throw new RangeError('maxParticipants must be at least 1');
  }

  get size(): number {
    return this.participants.length;
  }

  /** Adds a participant; undefined when the mixer is full. Starts the tick with the first one. */
  join(): MixerParticipant | undefined {
    if (this.participants.length >= this.limits.maxParticipants) return undefined;
    const participant = new MixerParticipant(this.nextId++, this, this.limits);
    this.participants.push(participant);
    this.task ??= this.mediaClock.schedule(() => this.tick(), FRAME_MS);
    return participant;
  }

  /** Called by `MixerParticipant.leave`; stops the tick with the last one. */
  remove(participant: MixerParticipant): void {
    const index = this.participants.indexOf(participant);
    if (index < 0) return;
    this.participants.splice(index, 1);
    if (this.participants.length === 0) {
      this.task?.cancel();
      this.task = undefined;
    }
  }

  /** Removes everyone and stops. */
  close(): void {
    for (const participant of [...this.participants]) participant.leave();
  }

  /** One 20 ms step: take each input, mix N-1, queue each output. */
  tick(): void {
    const participants = this.participants;
    const n = participants.length;
    if (n === 0) return;
    this.inputs.length = n;
    this.outputs.length = n;
    for (let i = 0; i < n; i++) {
      const participant = participants[i]!;
      this.inputs[i] = participant.takeInput();
      this.outputs[i] = participant.mixFrame;
    }
    mixMinusOne(this.inputs, this.outputs, this.total);
    for (let i = 0; i < n; i++) participants[i]!.deliver();
    this.inputs.fill(undefined);
    this.ticks++;
  }
}
