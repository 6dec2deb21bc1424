/**
 * Per-source reception statistics: extended sequence numbers (RFC 3550
 * Appendix A.1), loss (A.3) and interarrival jitter (A.8).
 *
 * NOTE: not the full A.1 probation: a source is accepted from its first
 * packet (MIN_SEQUENTIAL = 1), because our sources were negotiated in SDP and
 * latched already; waiting for a second packet would only lose audio.
 */

const RTP_SEQ_MOD = 0x10000;
/** A.1: a forward jump smaller than this is a gap, not a restart. */
const MAX_DROPOUT = 3000;
/** A.1: a backward step smaller than this is reordering, not a restart. */
const MAX_MISORDER = 100;

export type SequenceVerdict = 'in-order' | 'late' | 'restart' | 'bad-jump';

export interface ReceptionReport {
  /** Fraction lost since the previous report, in 1/256 units (8 bits). */
  readonly fractionLost: number;
  /** Cumulative packets lost, clamped to the 24-bit signed field. */
  readonly cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | max). */
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in timestamp units. */
  readonly jitter: number;
}

export class ReceiveStatistics {
  private started = false;
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private lastTransit = 0;
  private jitterScaled = 0;
  /** Packets counted by A.1 (duplicates included, as the RFC does). */
  received = 0;
  /** Packets that arrived after a later one. */
  reordered = 0;

  /**
   * @param clockRate RTP timestamp units per second (8000 for G.711).
   */
  constructor(private readonly clockRate: number) {}

  /**
   * Accounts one packet.
   * @param arrivalMs arrival time on a monotonic clock, in milliseconds.
   */
  update(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number): SequenceVerdict {
    const seq = sequenceNumber & 0xffff;
    if (!this.started) {
      this.started = true;
      this.initSequence(seq);
      this.received = 1;
      this.lastTransit = this.transit(rtpTimestamp, arrivalMs);
      return 'in-order';
    }
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    let verdict: SequenceVerdict;
    if (udelta === 0) {
      verdict = 'late'; // duplicate
    } else if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
      verdict = 'in-order';
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: a restarted sender, or garbage. Two sequential
      // packets after the jump confirm a restart.
      if (seq === this.badSeq) {
        this.initSequence(seq);
        verdict = 'restart';
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return 'bad-jump';
      }
    } else {
      this.reordered++;
      verdict = 'late';
    }
    this.received++;
    // A.8: jitter only from packets in order (a late packet's transit is not
    // a new sample of the network's variation in the same sense; RFC permits
    // either, most stacks skip reordered ones).
    if (verdict === 'in-order') {
      const transit = this.transit(rtpTimestamp, arrivalMs);
      const d = Math.abs((transit - this.lastTransit) | 0);
      this.lastTransit = transit;
      this.jitterScaled += d - this.jitterScaled / 16;
    } else if (verdict === 'restart') {
      this.lastTransit = this.transit(rtpTimestamp, arrivalMs);
    }
    return verdict;
  }

  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.started ? this.extendedHighestSequence - this.baseSeq + 1 : 0;
  }

  /** Cumulative loss (negative when duplicates outnumber losses, as A.3 allows). */
  get lost(): number {
    return this.expected - this.received;
  }

  /** Interarrival jitter in timestamp units. */
  get jitter(): number {
    return Math.floor(this.jitterScaled / 16);
  }

  get hasData(): boolean {
    return this.started;
  }

  /** A report block's figures; advances the interval for the fraction lost. */
  report(): ReceptionReport {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      fractionLost: Math.min(fractionLost, 255),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, this.lost)),
      extendedHighestSequence: this.extendedHighestSequence >>> 0,
      jitter: this.jitter >>> 0,
    };
  }

  private initSequence(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /** Relative transit time in timestamp units (A.8); wraps like the timestamp. */
  private transit(rtpTimestamp: number, arrivalMs: number): number {
    const arrival = Math.floor((arrivalMs * this.clockRate) / 1000);
    return (arrival - rtpTimestamp) | 0;
  }
}
