/**
 * Packets expected and received on one relayed direction, from RTP sequence
 * numbers (RFC 3550 A.1 and A.3, without jitter: the relay only counts).
 * A new SSRC starts a new stream; the totals carry over.
 */
export class LossCounter {
  private ssrc = -1;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private streamReceived = 0;
  private closedExpected = 0;
  private closedReceived = 0;

  /** Accounts a packet that looked like RTP (version 2, not RTCP). */
  update(ssrc: number, seq: number): void {
    if (ssrc !== this.ssrc) {
      this.closeStream();
      this.ssrc = ssrc;
      this.baseSeq = seq;
      this.maxSeq = seq;
      this.cycles = 0;
      this.streamReceived = 1;
      return;
    }
    const delta = (seq - this.maxSeq) & 0xffff;
    if (delta > 0 && delta < 3000) {
      if (seq < this.maxSeq) this.cycles += 0x10000;
      this.maxSeq = seq;
    } else if (delta >= 3000 && delta <= 0x10000 - 100) {
      // A sequence jump (restarted sender): count it as a new stream.
      this.closeStream();
      this.baseSeq = seq;
      this.maxSeq = seq;
      this.cycles = 0;
      this.streamReceived = 1;
      return;
    }
    this.streamReceived++;
  }

  get expected(): number {
    return this.closedExpected + this.streamExpected();
  }

  get received(): number {
    return this.closedReceived + this.streamReceived;
  }

  /** Packets lost (never negative: duplicates do not offset losses here). */
  get lost(): number {
    return Math.max(0, this.expected - this.received);
  }

  private streamExpected(): number {
    return this.ssrc < 0 ? 0 : this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  private closeStream(): void {
    if (this.ssrc < 0) return;
    this.closedExpected += this.streamExpected();
    this.closedReceived += this.streamReceived;
    this.streamReceived = 0;
  }
}
