// @telekommune/server: the process. Exported for tests and embedding.
export { type RunningTelekommune, startTelekommune } from './app.js';
export type { AppContext } from './context.js';
export { createLogger, type Logger } from './logger.js';
export {
  type RealtimeOutcome,
  SCHED_RR,
  schedulingOf,
  setRealtimePriority,
} from './realtime-priority.js';
export { resolveSettings, type Settings, SettingsError, type SettingsInput } from './settings.js';
