import type { FraudCall } from '../../fraud/fraud-guard.js';
import type { TenantConfig } from '../../provisioning/tenant-config.js';

/** The carrier side of one call that came in from a carrier. */
export interface InboundTrunkLeg {
  readonly carrierId: string;
  /** The DID called, in E.164. */
  readonly did: string;
  /** Gives back the carrier's call slot; once. */
  readonly release: () => void;
}

/** The carrier side of one call that went (or tried to go) out through carriers. */
export interface OutboundTrunkLeg {
  readonly tenant: TenantConfig;
  /** The number called: E.164, or the short code of an emergency call. */
  readonly number: string;
  readonly emergency: boolean;
  /** The extension whose call or rule it is (fraud scope, billing). */
  readonly extension: string | undefined;
  /** The carrier tried last, or the one that answered. */
  carrierId: string | undefined;
  /** The fraud guard counts this call until it ends. */
  fraudCall: FraudCall | undefined;
  /** Set once a carrier answered. */
  answeredAt_ms: number | undefined;
  /** Price reported to the fraud guard so far. */
  accrued_micro: bigint;
  /** Gives back the answering carrier's call slot; once. */
  releaseSlot: (() => void) | undefined;
  /** The prepaid limit's timer, if any. */
  limitTimer: NodeJS.Timeout | undefined;
}

export interface TrunkCall {
  inbound?: InboundTrunkLeg;
  outbound?: OutboundTrunkLeg;
}

/**
 * The trunk side of calls in progress, by B2BUA call id, from the first
 * carrier decision to the CDR. Bounded by the calls the PBX carries.
 */
export class TrunkCallBook {
  private readonly calls = new Map<string, TrunkCall>();

  get(callId: string): TrunkCall | undefined {
    return this.calls.get(callId);
  }

  /** The record of a call, created on first use. */
  of(callId: string): TrunkCall {
    let record = this.calls.get(callId);
    if (!record) {
      record = {};
      this.calls.set(callId, record);
    }
    return record;
  }

  isInbound(callId: string): boolean {
    return this.calls.get(callId)?.inbound !== undefined;
  }

  /** Removes and returns a call's record when it ends. */
  take(callId: string): TrunkCall | undefined {
    const record = this.calls.get(callId);
    this.calls.delete(callId);
    return record;
  }

  /** Every call id with a record. */
  ids(): string[] {
    return [...this.calls.keys()];
  }

  /** Answered outbound legs, for cost accrual. */
  *answeredOutbound(): Iterable<[string, OutboundTrunkLeg]> {
    for (const [id, record] of this.calls) {
      if (record.outbound?.answeredAt_ms !== undefined) yield [id, record.outbound];
    }
  }

  get size(): number {
    return this.calls.size;
  }
}
