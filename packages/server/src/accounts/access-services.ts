import { SqlAccountRepository, SqlSessionRepository, type Store } from '@telekommune/store';
import { defaultLoginLimits, LoginLimiter, type LoginLimits } from './login-limiter.js';
import { defaultSessionPolicy, type SessionPolicy } from './session-policy.js';

/** What authentication and the account routes need, carried in `AppContext.access`. */
export interface AccessServices {
  readonly accounts: SqlAccountRepository;
  readonly sessions: SqlSessionRepository;
  readonly limiter: LoginLimiter;
  readonly sessionPolicy: SessionPolicy;
}

export interface AccessOptions {
  readonly loginLimits?: LoginLimits;
  readonly sessionPolicy?: SessionPolicy;
}

export function createAccessServices(store: Store, options: AccessOptions = {}): AccessServices {
  return {
    accounts: new SqlAccountRepository(store),
    sessions: new SqlSessionRepository(store),
    limiter: new LoginLimiter(options.loginLimits ?? defaultLoginLimits),
    sessionPolicy: options.sessionPolicy ?? defaultSessionPolicy,
  };
}
