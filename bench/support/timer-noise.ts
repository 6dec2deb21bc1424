/**
 * Machine noise: how late a 5 ms timer fires in this thread. A receiver
 * thread that is otherwise idle runs one; when its lateness is high, other
 * processes held the CPU and no pacing can beat it.
 */
export class TimerNoise {
  private measuring = false;
  private readonly lateness_ms: number[] = [];

  constructor() {
    this.probe();
  }

  private probe(): void {
    const start = performance.now();
    setTimeout(() => {
      if (this.measuring) this.lateness_ms.push(performance.now() - start - 5);
      this.probe();
    }, 5);
  }

  /** Forgets what was measured and measures from now. */
  start(): void {
    this.lateness_ms.length = 0;
    this.measuring = true;
  }

  /** Stops measuring; the p99 lateness in ms (NaN when nothing was measured). */
  stop(): number {
    this.measuring = false;
    this.lateness_ms.sort((a, b) => a - b);
    return this.lateness_ms[Math.floor(this.lateness_ms.length * 0.99)] ?? Number.NaN;
  }
}
