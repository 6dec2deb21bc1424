import type { Binding } from '../registrar/binding.js';

/** How an attempt to reach someone ended. */
export type RingOutcome =
  | { readonly kind: 'answered'; readonly by: string }
  | { readonly kind: 'busy' }
  | { readonly kind: 'no-answer' }
  | { readonly kind: 'declined' }
  | { readonly kind: 'unavailable'; readonly reason?: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'failed'; readonly status: number; readonly reason?: string }
  /** The caller gave up (CANCEL or BYE) before anyone answered. */
  | { readonly kind: 'cancelled' };

/** One extension's devices to ring together. */
export interface RingTarget {
  readonly extension: string;
  readonly bindings: readonly Binding[];
  /** More header fields for the INVITEs to these devices (intercom's auto-answer). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** Why the router hands a call to an application: which forwarding case led there, from which extension. */
export interface ApplicationContext {
  readonly reason?: 'busy' | 'dnd' | 'no-answer' | 'unreachable' | 'always';
  readonly forwardedFrom?: string;
}

/**
 * What the call router needs from the call's media and signalling side (the
 * B2BUA, or a fake in tests). Each method resolves when its attempt ends;
 * `signal` aborts when the caller hangs up.
 */
export interface CallLegs {
  /** Rings every device of every target at once until one answers, all fail, or `timeout_ms` passes. */
  ring(targets: readonly RingTarget[], timeout_ms: number, signal: AbortSignal): Promise<RingOutcome>;
  /** Hands the call to an application: voicemail, an IVR menu, a conference room. */
  application(destination: string, signal: AbortSignal, context?: ApplicationContext): Promise<RingOutcome>;
  /**
   * Calls an outside number (through the carriers). `path` is every
   * destination the call passed through, this number last: the entry before
   * it says whose forwarding rule (and so whose permission class) leads outside.
   */
  outside(number: string, signal: AbortSignal, path?: readonly string[]): Promise<RingOutcome>;
}
