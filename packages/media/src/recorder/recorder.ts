import { type AudioSink, samplesForMs } from '../audio/audio-frame.js';
import { rmsDbfs } from '../audio/level.js';
import { DurableWavWriter, type FinishedRecording } from '../wav/durable-wav-writer.js';

export type RecordingEndReason = 'stopped' | 'max-length' | 'silence' | 'aborted';

export interface RecorderOptions {
  /** Recording ends by itself at this length. Default 180 s. */
  readonly maxDurationMs?: number;
  /** Ends after this much continuous silence (none by default). */
  readonly maxSilenceMs?: number;
  /** Frames quieter than this count as silence. Default -45 dBFS. */
  readonly silenceThresholdDbfs?: number;
  /** Trailing silence is cut down to this much when the recording ends. Default 250 ms. */
  readonly keepTrailingSilenceMs?: number;
  /** Buffered audio goes to disk at least this often. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Stored in the sidecar for crash recovery (JSON). */
  readonly metadata?: unknown;
}

export interface RecordingResult {
  readonly reason: RecordingEndReason;
  /** Undefined when the recording was aborted. */
  readonly recording?: FinishedRecording;
  readonly durationMs: number;
  /** Whether any frame was louder than the silence threshold. */
  readonly heardVoice: boolean;
}

export interface StopOptions {
  /** Also drop this much from the end first (e.g. the sound of the '#' that ended it). */
  readonly trimTailMs?: number;
}

export const DEFAULT_MAX_RECORDING_MS = 180_000;
const HARD_MAX_RECORDING_MS = 3_600_000;

/**
 * Records received audio to a WAV file through DurableWavWriter: flushed to
 * disk every `flushIntervalMs` of audio, so a crash keeps the message up to
 * the last flush. Ends by `stop()` (the caller handles '#'), at the maximum
 * length, or after `maxSilenceMs` of silence; trailing silence is trimmed.
 * `done` resolves once, with how it ended.
 */
export class Recorder implements AudioSink {
  readonly done: Promise<RecordingResult>;
  private resolveDone!: (result: RecordingResult) => void;
  private readonly maxSamples: number;
  private readonly maxSilenceSamples: number;
  private readonly flushSamples: number;
  private readonly keepSilenceSamples: number;
  private readonly threshold: number;
  private total = 0;
  private unflushed = 0;
  private lastVoiceEnd = 0;
  private silentRun = 0;
  private heardVoice = false;
  private ending: Promise<RecordingResult> | undefined;
  /** Set when a flush failed (disk full); the recording ends. */
  failure: unknown;

  private constructor(
    private readonly writer: DurableWavWriter,
    options: RecorderOptions,
  ) {
    this.maxSamples = samplesForMs(
      Math.min(options.maxDurationMs ?? DEFAULT_MAX_RECORDING_MS, HARD_MAX_RECORDING_MS),
    );
    this.maxSilenceSamples = options.maxSilenceMs
      ? samplesForMs(options.maxSilenceMs)
      : Number.POSITIVE_INFINITY;
    this.flushSamples = samplesForMs(options.flushIntervalMs ?? 1000);
    this.keepSilenceSamples = samplesForMs(options.keepTrailingSilenceMs ?? 250);
    this.threshold = options.silenceThresholdDbfs ?? -45;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  static async start(path: string, options: RecorderOptions = {}): Promise<Recorder> {
    const writer = await DurableWavWriter.create(path, options.metadata);
    return new Recorder(writer, options);
  }

  get path(): string {
    return this.writer.path;
  }

  get durationMs(): number {
    return this.total / 8;
  }

  get active(): boolean {
    return this.ending === undefined;
  }

  write(frame: Int16Array): void {
    if (this.ending) return;
    const room = this.maxSamples - this.total;
    const samples = frame.length > room ? frame.subarray(0, room) : frame;
    this.writer.append(samples);
    this.total += samples.length;
    this.unflushed += samples.length;
    if (rmsDbfs(samples) > this.threshold) {
      this.heardVoice = true;
      this.lastVoiceEnd = this.total;
      this.silentRun = 0;
    } else {
      this.silentRun += samples.length;
    }
    if (this.unflushed >= this.flushSamples) {
      this.unflushed = 0;
      this.writer.flush().catch((error: unknown) => {
        this.failure = error;
        void this.end('aborted');
      });
    }
    if (this.total >= this.maxSamples) void this.end('max-length');
    else if (this.silentRun >= this.maxSilenceSamples) void this.end('silence');
  }

  /** Ends the recording and keeps it. */
  stop(options: StopOptions = {}): Promise<RecordingResult> {
    return this.end('stopped', options.trimTailMs ?? 0);
  }

  /** Ends the recording and deletes it. */
  abort(): Promise<RecordingResult> {
    return this.end('aborted');
  }

  private end(reason: RecordingEndReason, trimTailMs = 0): Promise<RecordingResult> {
    if (this.ending) return this.ending;
    this.ending = this.finalize(reason, trimTailMs).then((result) => {
      this.resolveDone(result);
      return result;
    });
    return this.ending;
  }

  private async finalize(reason: RecordingEndReason, trimTailMs: number): Promise<RecordingResult> {
    if (reason === 'aborted') {
      await this.writer.abort();
      return { reason, durationMs: 0, heardVoice: this.heardVoice };
    }
    const afterTail = Math.max(0, this.total - samplesForMs(trimTailMs));
    const keep = Math.min(afterTail, this.lastVoiceEnd + this.keepSilenceSamples);
    try {
      await this.writer.truncate(keep);
      const recording = await this.writer.finish();
      return { reason, recording, durationMs: recording.durationMs, heardVoice: this.heardVoice };
    } catch (error) {
      this.failure = error;
      await this.writer.abort().catch(() => {});
      return { reason: 'aborted', durationMs: 0, heardVoice: this.heardVoice };
    }
  }
}
