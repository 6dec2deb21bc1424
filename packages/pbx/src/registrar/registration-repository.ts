import type { Binding } from './binding.js';

/** The registrar's storage port: bindings survive a restart with their remaining lifetime. */
export interface RegistrationRepository {
  /** Every binding that has not expired at `now_ms`. */
  loadActive(now_ms: number): Promise<Binding[]>;
  /** Stores these changes in one transaction: bindings added or refreshed, and bindings removed. */
  applyChanges(
    upserts: readonly Binding[],
    removals: readonly Pick<Binding, 'tenantId' | 'aor' | 'contact'>[],
  ): Promise<void>;
  /** Deletes bindings that expired before `now_ms`; returns how many. */
  purgeExpired(now_ms: number): Promise<number>;
}
