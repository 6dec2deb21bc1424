import type { ApiTokenRepository, SqlProvisioningRepository, Store } from '@telekommune/store';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Settings } from './settings.js';

/** What the running process holds, handed to every HTTP route module and service. */
export interface AppContext {
  readonly settings: Settings;
  readonly version: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: Store;
  readonly provisioning: SqlProvisioningRepository;
  readonly tokens: ApiTokenRepository;
}
