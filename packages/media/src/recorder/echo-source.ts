import type { AudioSink, AudioSource } from '../audio/audio-frame.js';

/** At most this much audio waits to be echoed (older frames are dropped). */
export const ECHO_MAX_QUEUE_FRAMES = 25;

/**
 * The *43 echo test: what the caller says comes back. A sink and a source
 * over a bounded queue; playback starts once `delayFrames` have arrived, so
 * the echo is a steady fraction of a second behind the voice.
 */
export class EchoSource implements AudioSink, AudioSource {
  private readonly queue: Int16Array[] = [];
  private primed = false;
  dropped = 0;

  constructor(private readonly delayFrames = 5) {}

  write(frame: Int16Array): void {
    if (this.queue.length >= ECHO_MAX_QUEUE_FRAMES) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(frame.slice());
    if (this.queue.length >= this.delayFrames) this.primed = true;
  }

  read(frame: Int16Array): boolean {
    if (!this.primed) return false;
    const next = this.queue.shift();
    if (!next) {
      this.primed = false; // underrun: wait for the delay to build up again
      return false;
    }
    frame.set(next.subarray(0, frame.length));
    if (next.length < frame.length) frame.fill(0, next.length);
    return true;
  }
}
