import type { LocationService, TenantDirectory } from '@telekommune/pbx';
import type {
  ApiTokenRepository,
  SqlCdrRepository,
  SqlProvisioningRepository,
  Store,
} from '@telekommune/store';
import type { AccessServices } from './accounts/access-services.js';
import type { CarrierRuntime } from './carriers-runtime.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { PbxRuntime } from './pbx-runtime.js';
import type { Settings } from './settings.js';
import type { VoiceRuntime } from './voice/voice-runtime.js';

/** What the running process holds, handed to every HTTP route module and service. */
export interface AppContext {
  readonly settings: Settings;
  readonly version: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: Store;
  readonly provisioning: SqlProvisioningRepository;
  readonly tokens: ApiTokenRepository;
  /** Console accounts, sessions and login limits (accounts/). */
  readonly access: AccessServices;
  /** Registered devices, in memory, persisted behind. */
  readonly location: LocationService;
  readonly cdrs: SqlCdrRepository;
  /** SIP, registrar, B2BUA and media relay. */
  readonly pbx: PbxRuntime;
  /** The current tenant directory; replaced whole when the configuration changes. */
  directory(): TenantDirectory;
  /** Reloads the tenant directory now (it also reloads by itself within a second of any change). */
  reloadConfiguration(): Promise<void>;
  /** Carriers, DIDs, rate decks, billing and the fraud guard. */
  readonly carriers: CarrierRuntime;
  /** Voicemail, auto attendant, feature codes and tenant prompts. */
  readonly voice: VoiceRuntime;
}
