import type { MediaErrorCode } from '../errors.js';
import type { PortRange } from '../session/port-allocator.js';
import type { PartyMedia, RelayCallCounters, RelaySide } from './relay-backend.js';

/** What a relay worker thread is started with (its `workerData`). */
export interface RelayWorkerData {
  readonly kind: 'telekommune-relay-worker';
  readonly bindAddress: string;
  readonly portRange: PortRange;
  readonly mediaTimeoutMs: number;
  readonly holdTimeoutMs: number;
  readonly receiveBufferSize: number;
  /** How often the worker sends its calls' counters. */
  readonly countersIntervalMs: number;
}

export type ToWorker =
  | { readonly op: 'create'; readonly id: number; readonly callId: string }
  | { readonly op: 'remote'; readonly callId: string; readonly side: RelaySide; readonly media: PartyMedia }
  | { readonly op: 'release'; readonly callId: string }
  | { readonly op: 'close'; readonly id: number };

export type FromWorker =
  | { readonly op: 'ready'; readonly osThreadId?: number | undefined }
  | {
      readonly op: 'reply';
      readonly id: number;
      readonly ports?: { a: number; b: number };
      readonly error?: { readonly code: MediaErrorCode; readonly message: string };
    }
  | { readonly op: 'timeout'; readonly callId: string }
  | {
      readonly op: 'counters';
      readonly calls: readonly [string, RelayCallCounters][];
      readonly portsInUse: number;
    };
