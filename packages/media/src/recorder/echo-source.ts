import type { AudioSink, AudioSource } from '../audio/audio-frame.js';

/** At most this much audio (samples, 500 ms) waits to be echoed; older audio is dropped. */
export const ECHO_MAX_QUEUE_SAMPLES = 4000;

/**
 * The *43 echo test: what the caller says comes back. A sink and a source
 * over a bounded sample FIFO (so any packet size in, 20 ms frames out);
 * playback starts once `delayFrames` × 20 ms have arrived, so the echo is a
 * steady fraction of a second behind the voice.
 */
export class EchoSource implements AudioSink, AudioSource {
  private readonly buffer = new Int16Array(ECHO_MAX_QUEUE_SAMPLES);
  private start = 0;
  private length = 0;
  private primed = false;
  /** Samples dropped because the queue was full. */
  dropped = 0;

  constructor(private readonly delayFrames = 5) {}

  write(frame: Int16Array): void {
    const capacity = this.buffer.length;
    for (let i = 0; i < frame.length; i++) {
      if (this.length === capacity) {
        this.start = (this.start + 1) % capacity;
        this.length--;
        this.dropped++;
      }
      this.buffer[(this.start + this.length) % capacity] = frame[i]!;
      this.length++;
    }
    if (this.length >= this.delayFrames * 160) this.primed = true;
  }

  read(frame: Int16Array): boolean {
    if (!this.primed) return false;
    if (this.length < frame.length) {
      this.primed = false; // underrun: wait for the delay to build up again
      return false;
    }
    const capacity = this.buffer.length;
    for (let i = 0; i < frame.length; i++) frame[i] = this.buffer[(this.start + i) % capacity]!;
    this.start = (this.start + frame.length) % capacity;
    this.length -= frame.length;
    return true;
  }
}
