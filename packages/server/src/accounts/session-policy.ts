/** How long browser sessions live (STYLE.md 14: named, configurable limits). */
export interface SessionPolicy {
  /** A session unused this long ends. */
  readonly idle_ms: number;
  /** No session lives longer than this, however busy. */
  readonly absolute_ms: number;
  /** Activity is written back at most this often per session. */
  readonly touchEvery_ms: number;
}

export const defaultSessionPolicy: SessionPolicy = {
  idle_ms: 12 * 3_600_000,
  absolute_ms: 7 * 24 * 3_600_000,
  touchEvery_ms: 5 * 60_000,
};

/** The session cookie: HTTP-only, SameSite=Strict, Secure whenever the request came over HTTPS. */
export const sessionCookieName = 'tk_session';

/** The header a session's state-changing requests must carry (synchronizer token). */
export const csrfHeaderName = 'x-csrf-token';

/** The expiry after activity at `now`: idle time from now, never past the absolute limit. */
export function slidingExpiry(policy: SessionPolicy, createdAt: string, now: Date): Date {
  const idle = now.getTime() + policy.idle_ms;
  const absolute = new Date(createdAt).getTime() + policy.absolute_ms;
  return new Date(Math.min(idle, absolute));
}
