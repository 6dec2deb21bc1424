import type { SipTap, TappedMessage } from '../core/network.js';

/** What one trace records: messages containing `match` (e.g. a domain, a user, a Call-ID), from or to `address`. */
export interface TraceFilter {
  /** Bytes the message must contain, case-sensitive (SIP header names vary in case; values rarely do). */
  readonly match?: string | undefined;
  /** The far end's IP address. */
  readonly address?: string | undefined;
}

export interface TraceLimits {
  /** Traces running at once. */
  readonly maxTraces: number;
  /** Messages one trace keeps; it stops recording when full. */
  readonly maxMessages: number;
  /** Bytes one trace keeps; it stops recording when full. */
  readonly maxBytes: number;
  /** The longest a trace may run. */
  readonly maxDuration_ms: number;
  /** Finished traces kept for download (the oldest are forgotten past this). */
  readonly keepFinished: number;
}

export const defaultTraceLimits: TraceLimits = {
  maxTraces: 4,
  maxMessages: 20_000,
  maxBytes: 32 * 1024 * 1024,
  maxDuration_ms: 60 * 60_000,
  keepFinished: 8,
};

export interface TraceInfo {
  readonly id: string;
  readonly filter: TraceFilter;
  readonly startedAt_ms: number;
  readonly until_ms: number;
  readonly state: 'recording' | 'full' | 'finished';
  readonly messages: number;
  readonly bytes: number;
}

interface Trace {
  readonly id: string;
  readonly filter: TraceFilter;
  readonly needle: Buffer | undefined;
  readonly startedAt_ms: number;
  until_ms: number;
  state: 'recording' | 'full' | 'finished';
  readonly messages: TappedMessage[];
  bytes: number;
}

export class TraceLimitError extends Error {
  override readonly name = 'TraceLimitError';
}

/**
 * SIP traces on demand: while at least one trace records, `install` has put
 * a tap on the stack that copies matching messages (in and out) into each
 * trace, bounded in count, bytes and time; with none recording the tap is
 * removed and the stack pays nothing. Finished traces stay for download
 * (as JSON or pcap) until newer ones push them out or they are deleted.
 */
export class SipTraces {
  private readonly traces = new Map<string, Trace>();
  private readonly limits: TraceLimits;
  private seq = 0;

  constructor(
    private readonly install: (tap: SipTap | undefined) => void,
    limits: Partial<TraceLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...defaultTraceLimits, ...limits };
  }

  start(filter: TraceFilter, duration_ms: number): TraceInfo {
    this.expire();
    const recording = [...this.traces.values()].filter((t) => t.state === 'recording');
    if (recording.length >= this.limits.maxTraces) {
      throw new TraceLimitError(`${this.limits.maxTraces} traces are recording already; stop one first`);
    }
    const now = this.now();
    this.seq += 1;
    const trace: Trace = {
      id: `t${now.toString(36)}${this.seq.toString(36)}`,
      filter,
      needle: filter.match ? Buffer.from(filter.match) : undefined,
      startedAt_ms: now,
      until_ms: now + Math.min(Math.max(duration_ms, 1000), this.limits.maxDuration_ms),
      state: 'recording',
      messages: [],
      bytes: 0,
    };
    this.traces.set(trace.id, trace);
    this.forgetOld();
    this.refreshTap();
    return info(trace);
  }

  /** Ends a recording trace now; its messages stay for download. */
  stop(id: string): TraceInfo | undefined {
    const trace = this.traces.get(id);
    if (!trace) return undefined;
    if (trace.state !== 'finished') {
      trace.state = 'finished';
      trace.until_ms = Math.min(trace.until_ms, this.now());
    }
    this.refreshTap();
    return info(trace);
  }

  delete(id: string): boolean {
    const deleted = this.traces.delete(id);
    this.refreshTap();
    return deleted;
  }

  list(): TraceInfo[] {
    this.expire();
    return [...this.traces.values()].map(info);
  }

  get(id: string): { info: TraceInfo; messages: readonly TappedMessage[] } | undefined {
    this.expire();
    const trace = this.traces.get(id);
    return trace ? { info: info(trace), messages: trace.messages } : undefined;
  }

  /** Stops every trace (shutdown). */
  close(): void {
    for (const trace of this.traces.values()) trace.state = 'finished';
    this.install(undefined);
  }

  private readonly tap: SipTap = (message) => {
    const now = message.at_ms;
    let expired = false;
    for (const trace of this.traces.values()) {
      if (trace.state !== 'recording') continue;
      if (now > trace.until_ms) {
        trace.state = 'finished';
        expired = true;
        continue;
      }
      if (trace.filter.address !== undefined && message.remoteAddress !== trace.filter.address) continue;
      if (trace.needle && message.bytes.indexOf(trace.needle) < 0) continue;
      if (
        trace.messages.length >= this.limits.maxMessages ||
        trace.bytes + message.bytes.length > this.limits.maxBytes
      ) {
        trace.state = 'full';
        expired = true;
        continue;
      }
      // A copy: the transport may reuse its buffer.
      trace.messages.push({ ...message, bytes: Buffer.from(message.bytes) });
      trace.bytes += message.bytes.length;
    }
    if (expired) this.refreshTap();
  };

  private expire(): void {
    const now = this.now();
    let changed = false;
    for (const trace of this.traces.values()) {
      if (trace.state === 'recording' && now > trace.until_ms) {
        trace.state = 'finished';
        changed = true;
      }
    }
    if (changed) this.refreshTap();
  }

  private forgetOld(): void {
    const done = [...this.traces.values()].filter((t) => t.state !== 'recording');
    for (const trace of done.slice(0, Math.max(0, done.length - this.limits.keepFinished))) {
      this.traces.delete(trace.id);
    }
  }

  private refreshTap(): void {
    const recording = [...this.traces.values()].some((t) => t.state === 'recording');
    this.install(recording ? this.tap : undefined);
  }
}

function info(trace: Trace): TraceInfo {
  return {
    id: trace.id,
    filter: trace.filter,
    startedAt_ms: trace.startedAt_ms,
    until_ms: trace.until_ms,
    state: trace.state,
    messages: trace.messages.length,
    bytes: trace.bytes,
  };
}
