/** How a call attempt ended, as a user would describe it. */
export const dispositions = [
  'answered',
  'busy',
  'no-answer',
  'unavailable',
  'declined',
  'not-found',
  'cancelled',
  'rejected',
  'failed',
] as const;
export type Disposition = (typeof dispositions)[number];

export type HangupSide = 'caller' | 'callee' | 'system';
export type CallDirection = 'internal' | 'inbound' | 'outbound';

/**
 * A call detail record: one per call attempt (pbx.md §3), written when the
 * call ends. Times are epoch milliseconds; money is bigint minor units.
 */
export interface Cdr {
  readonly id: string;
  readonly tenantId: string;
  /** The Call-ID of the caller's leg. */
  readonly callId: string;
  readonly direction: CallDirection;
  /** Extension number, or the outside number in E.164. */
  readonly caller: string;
  readonly callerName?: string | undefined;
  /** What the caller dialled. */
  readonly callee: string;
  /** The extension or number that answered, if any. */
  readonly answeredBy?: string | undefined;
  readonly did?: string | undefined;
  readonly carrierId?: string | undefined;
  readonly startedAt_ms: number;
  readonly answeredAt_ms?: number | undefined;
  readonly endedAt_ms: number;
  readonly disposition: Disposition;
  readonly hangupSide?: HangupSide | undefined;
  /** The final SIP status of the caller's leg (200 for answered calls). */
  readonly sipStatus: number;
  /** Destinations the call passed through, e.g. `extension:1002`, then `voicemail:1002`. */
  readonly forwardingPath: readonly string[];
  readonly cost_minor?: bigint | undefined;
  readonly price_minor?: bigint | undefined;
  readonly currency?: string | undefined;
}

/** Whole seconds from start to end. */
export function durationSeconds(cdr: Pick<Cdr, 'startedAt_ms' | 'endedAt_ms'>): number {
  return Math.max(0, Math.round((cdr.endedAt_ms - cdr.startedAt_ms) / 1000));
}

/** Talk time from answer to end, rounded up to whole seconds (a started second counts). */
export function billableSeconds(cdr: Pick<Cdr, 'answeredAt_ms' | 'endedAt_ms'>): number {
  if (cdr.answeredAt_ms === undefined) return 0;
  return Math.max(0, Math.ceil((cdr.endedAt_ms - cdr.answeredAt_ms) / 1000));
}

export interface CdrQuery {
  readonly tenantId?: string | undefined;
  readonly from_ms?: number | undefined;
  readonly to_ms?: number | undefined;
  /** Matches caller or callee exactly. */
  readonly number?: string | undefined;
  readonly disposition?: Disposition | undefined;
  readonly direction?: CallDirection | undefined;
  /** Newest first; at most this many. */
  readonly limit: number;
  /** Only records started before this instant (paging: the last row's startedAt_ms). */
  readonly before_ms?: number | undefined;
}

/** The CDR storage port. */
export interface CdrRepository {
  insert(cdr: Cdr): Promise<void>;
  /** Stores several records in one transaction, all or none. */
  insertMany(cdrs: readonly Cdr[]): Promise<void>;
  query(query: CdrQuery): Promise<Cdr[]>;
}
