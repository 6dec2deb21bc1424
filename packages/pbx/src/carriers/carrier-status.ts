/**
 * The live state of carriers: health from OPTIONS pings (the SIP half sets it)
 * and the calls each carries now, against its `maxCalls`. LCR reads it; the
 * failover iterator takes and gives back call slots.
 */
export interface CarrierStatusView {
  isHealthy(carrierId: string): boolean;
  activeCalls(carrierId: string): number;
}

export interface CarrierHealthChange {
  readonly carrierId: string;
  readonly healthy: boolean;
  readonly at: Date;
  readonly reason: string;
}

export class CarrierStatusBoard implements CarrierStatusView {
  private readonly unhealthy = new Map<string, CarrierHealthChange>();
  private readonly active = new Map<string, number>();
  private readonly listeners: Array<(change: CarrierHealthChange) => void> = [];

  /** A carrier is healthy until a health check says otherwise. */
  isHealthy(carrierId: string): boolean {
    return !this.unhealthy.has(carrierId);
  }

  /** Records a health check outcome; notifies listeners only when the state changes. */
  setHealth(carrierId: string, healthy: boolean, reason: string, at: Date = new Date()): void {
    if (healthy === this.isHealthy(carrierId)) return;
    const change = { carrierId, healthy, at, reason };
    if (healthy) this.unhealthy.delete(carrierId);
    else this.unhealthy.set(carrierId, change);
    for (const listener of this.listeners) listener(change);
  }

  onHealthChange(listener: (change: CarrierHealthChange) => void): void {
    this.listeners.push(listener);
  }

  activeCalls(carrierId: string): number {
    return this.active.get(carrierId) ?? 0;
  }

  /** Takes a call slot if the carrier has one free under `maxCalls`. */
  tryAcquire(carrierId: string, maxCalls: number): boolean {
    const now = this.activeCalls(carrierId);
    if (now >= maxCalls) return false;
    this.active.set(carrierId, now + 1);
    return true;
  }

  release(carrierId: string): void {
    const now = this.activeCalls(carrierId);
    if (now <= 1) this.active.delete(carrierId);
    else this.active.set(carrierId, now - 1);
  }

  /** Health and load of every carrier known here, for the API. */
  snapshot(): { carrierId: string; healthy: boolean; activeCalls: number; since?: Date; reason?: string }[] {
    const ids = new Set([...this.unhealthy.keys(), ...this.active.keys()]);
    return [...ids].sort().map((carrierId) => {
      const down = this.unhealthy.get(carrierId);
      return {
        carrierId,
        healthy: down === undefined,
        activeCalls: this.activeCalls(carrierId),
        ...(down ? { since: down.at, reason: down.reason } : {}),
      };
    });
  }
}
