import { join, resolve } from 'node:path';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Everything `telekommune start` can be told, after validation. */
export interface Settings {
  readonly dataDir: string;
  /** A SQLite file path or a postgres:// URL. */
  readonly db: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly sipHost: string;
  readonly sipPort: number;
  readonly logLevel: LogLevel;
  /** Seed the demo tenant and commune on first start. */
  readonly demo: boolean;
}

/** Raw values as given by flags (commander) or environment variables. */
export interface SettingsInput {
  readonly dataDir?: string | undefined;
  readonly db?: string | undefined;
  readonly httpHost?: string | undefined;
  readonly httpPort?: string | undefined;
  readonly sipHost?: string | undefined;
  readonly sipPort?: string | undefined;
  readonly logLevel?: string | undefined;
  readonly demo?: string | boolean | undefined;
}

interface SettingSpec {
  readonly key: keyof SettingsInput;
  readonly flag: string;
  readonly env: string;
}

/** The one table of settings: flag, environment variable and key. */
export const settingSpecs: readonly SettingSpec[] = [
  { key: 'dataDir', flag: '--data-dir', env: 'TK_DATA_DIR' },
  { key: 'db', flag: '--db', env: 'TK_DB' },
  { key: 'httpHost', flag: '--http-host', env: 'TK_HTTP_HOST' },
  { key: 'httpPort', flag: '--http-port', env: 'TK_HTTP_PORT' },
  { key: 'sipHost', flag: '--sip-host', env: 'TK_SIP_HOST' },
  { key: 'sipPort', flag: '--sip-port', env: 'TK_SIP_PORT' },
  { key: 'logLevel', flag: '--log-level', env: 'TK_LOG_LEVEL' },
  { key: 'demo', flag: '--no-demo', env: 'TK_DEMO' },
];

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

function label(key: keyof SettingsInput): string {
  const spec = settingSpecs.find((s) => s.key === key);
  return spec ? `${spec.flag} / ${spec.env}` : key;
}

function pick(
  flags: SettingsInput,
  env: NodeJS.ProcessEnv,
  key: keyof SettingsInput,
): string | boolean | undefined {
  const fromFlag = flags[key];
  if (fromFlag !== undefined) return fromFlag;
  const spec = settingSpecs.find((s) => s.key === key);
  return spec ? env[spec.env] : undefined;
}

function port(key: keyof SettingsInput, raw: string | boolean | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    throw new SettingsError(`invalid ${label(key)}: "${text}" is not a port number (0 to 65535)`);
  }
  return Number(text);
}

function host(key: keyof SettingsInput, raw: string | boolean | undefined, fallback: string): string {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^[A-Za-z0-9.:-]+$/.test(text)) {
    throw new SettingsError(`invalid ${label(key)}: "${text}" is not a host name or IP address`);
  }
  return text;
}

function bool(key: keyof SettingsInput, raw: string | boolean | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (typeof raw === 'boolean') return raw;
  const text = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new SettingsError(`invalid ${label(key)}: "${raw}" is not true or false`);
}

/**
 * Resolves settings from flags, then environment variables, then defaults,
 * and validates each; the first bad value throws one line naming the setting.
 */
export function resolveSettings(flags: SettingsInput, env: NodeJS.ProcessEnv = process.env): Settings {
  const dataDirRaw = pick(flags, env, 'dataDir');
  const dataDir = resolve(typeof dataDirRaw === 'string' && dataDirRaw.trim() !== '' ? dataDirRaw : './data');
  const dbRaw = pick(flags, env, 'db');
  let db = join(dataDir, 'telekommune.db');
  if (dbRaw !== undefined) {
    const text = String(dbRaw).trim();
    if (text === '') throw new SettingsError(`invalid ${label('db')}: empty`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^postgres(ql)?:\/\/[^\s]+$/i.test(text)) {
      throw new SettingsError(
        `invalid ${label('db')}: "${text}" is neither a SQLite file path nor a postgres:// URL`,
      );
    }
    db = /^postgres(ql)?:\/\//i.test(text) ? text : resolve(text);
  }
  const logLevelRaw = pick(flags, env, 'logLevel');
  const logLevel = (
    logLevelRaw === undefined ? 'info' : String(logLevelRaw).trim().toLowerCase()
  ) as LogLevel;
  if (!logLevels.includes(logLevel)) {
    throw new SettingsError(
      `invalid ${label('logLevel')}: "${String(logLevelRaw)}" is not one of ${logLevels.join(', ')}`,
    );
  }
  return {
    dataDir,
    db,
    httpHost: host('httpHost', pick(flags, env, 'httpHost'), '0.0.0.0'),
    httpPort: port('httpPort', pick(flags, env, 'httpPort'), 8080),
    sipHost: host('sipHost', pick(flags, env, 'sipHost'), '0.0.0.0'),
    sipPort: port('sipPort', pick(flags, env, 'sipPort'), 5060),
    logLevel,
    demo: bool('demo', pick(flags, env, 'demo'), true),
  };
}
