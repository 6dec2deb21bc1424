/**
 * The life of an outbound registration to a carrier (RFC 3261 §10.2): it is
 * `registering` until the registrar accepts it, `registered` while the
 * binding lasts (refreshed before it expires), `failed` between retries
 * after a refusal or no answer, and `stopped` once the carrier is removed,
 * disabled or the process shuts down.
 */
export type RegistrationState = 'registering' | 'registered' | 'failed' | 'stopped';

const allowed: Record<RegistrationState, readonly RegistrationState[]> = {
  registering: ['registered', 'failed', 'stopped'],
  registered: ['registering', 'failed', 'stopped'],
  failed: ['registering', 'stopped'],
  stopped: [],
};

export function canMove(from: RegistrationState, to: RegistrationState): boolean {
  return allowed[from].includes(to);
}

/** What the API shows about a carrier's registration. */
export interface RegistrationStatus {
  readonly carrierId: string;
  readonly state: RegistrationState;
  /** When the state was entered (ISO 8601). */
  readonly since: string;
  /** The registrar's last final status, e.g. 200, 403, or 408 for no answer. */
  readonly lastStatus?: number | undefined;
  /** Why the last attempt failed. */
  readonly reason?: string | undefined;
  /** When the current binding runs out (registered only). */
  readonly expiresAt?: string | undefined;
  /** When the next REGISTER goes out (refresh or retry). */
  readonly nextAttemptAt?: string | undefined;
  /** Failed attempts in a row. */
  readonly failures: number;
}
