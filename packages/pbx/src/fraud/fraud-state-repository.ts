import type { KnownDestination, Suspension } from './fraud-guard.js';

/** What the fraud guard keeps across restarts; packages/store implements it. */
export interface FraudStateRepository {
  loadSuspensions(): Promise<Suspension[]>;
  saveSuspension(suspension: Suspension): Promise<void>;
  deleteSuspension(tenantId: string, extension: string | undefined): Promise<void>;
  loadKnownDestinations(): Promise<KnownDestination[]>;
  /** Records a destination's first call; a destination already known keeps its first date. */
  addKnownDestination(destination: KnownDestination): Promise<void>;
}
