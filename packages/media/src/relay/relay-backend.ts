import type { RelayLegStats } from './relay-leg.js';

export type RelaySide = 'a' | 'b';

/** Where a party receives, from its latest SDP. */
export interface PartyMedia {
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  readonly held: boolean;
}

export interface RelayCallCounters {
  readonly a: RelayLegStats;
  readonly b: RelayLegStats;
}

/**
 * Where relayed calls' sockets live: in this thread (RelayCore) or in a pool
 * of worker threads (WorkerRelayBackend). SDP rewriting stays with the
 * caller; a backend only needs to know where each party receives.
 */
export interface RelayBackend {
  /** Allocates the call's two port pairs; resolves with the RTP port facing each party. */
  create(callId: string): Promise<{ readonly a: number; readonly b: number }>;
  setRemote(callId: string, side: RelaySide, media: PartyMedia): void;
  /** Counters (live in-thread; a snapshot at most half a second old from a worker). */
  counters(callId: string): RelayCallCounters | undefined;
  release(callId: string): void;
  /** Ports held, and the most the backend's range(s) hold. */
  readonly portsInUse: number;
  readonly portCapacity: number;
  /**
   * The operating-system ids of the threads that carry the packets, when
   * they are threads of their own (worker threads, on Linux); empty when
   * the relay runs on the calling thread.
   */
  threadIds(): Promise<readonly number[]>;
  close(): Promise<void>;
}

export const EMPTY_LEG_STATS: RelayLegStats = { packetsIn: 0, octetsIn: 0, lostIn: 0, rtcpIn: 0, dropped: 0 };
