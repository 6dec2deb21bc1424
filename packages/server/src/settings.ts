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
  /** SIP over TLS; undefined when turned off. */
  readonly sipTlsPort: number | undefined;
  /** SIP over WebSocket (RFC 7118); undefined when turned off. */
  readonly sipWsPort: number | undefined;
  /** PEM files for TLS; a self-signed pair in the data directory when not given. */
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  /** The address phones send SIP and media to, when the listen address is a wildcard or behind NAT. */
  readonly publicAddress: string | undefined;
  /** RTP ports of the media relay and media engine. */
  readonly rtpPortMin: number;
  readonly rtpPortMax: number;
  /** `anchored`: media through the relay (default); `direct`: phone to phone. */
  readonly mediaMode: 'anchored' | 'direct';
  /** Digest algorithms offered to phones, in order (RFC 8760). */
  readonly sipDigest: readonly ('MD5' | 'SHA-256' | 'SHA-512-256')[];
  /** Worker threads that carry the RTP relay's packets (0: the main thread). */
  readonly relayThreads: number;
  /** SCHED_RR priority (1-99) for the main thread, which paces the media; undefined: the normal scheduler. */
  readonly realtimePriority: number | undefined;
  readonly logLevel: LogLevel;
  /** Seed the demo tenant and commune on first start. */
  readonly demo: boolean;
  /** Seconds between OPTIONS health pings to each carrier. */
  readonly carrierPing_s: number;
  /** Failed SIP authentications from one address within a minute that ban it; 0: never ban. */
  readonly sipBanFailures: number;
  /** How long a banned address gets no answer at all. */
  readonly sipBanMinutes: number;
  /** SIP requests per second one source address may send (carriers exempt); 0: no limit. */
  readonly sipSourceRate: number;
  /** The commune enterprise each closed month's call revenue is booked to; undefined: not booked. */
  readonly revenueEnterprise: string | undefined;
  /** Where voicemail messages and greetings are kept (docs/voicemail.md). */
  readonly voicemailDir: string;
  /** SMTP server for voicemail e-mail (smtp:// or smtps://); undefined: no e-mail. */
  readonly smtpUrl: string | undefined;
  /** Sender of voicemail e-mail. */
  readonly smtpFrom: string;
}

/** Raw values as given by flags (commander) or environment variables. */
export interface SettingsInput {
  readonly dataDir?: string | undefined;
  readonly db?: string | undefined;
  readonly httpHost?: string | undefined;
  readonly httpPort?: string | undefined;
  readonly sipHost?: string | undefined;
  readonly sipPort?: string | undefined;
  readonly sipTlsPort?: string | undefined;
  readonly sipWsPort?: string | undefined;
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly publicAddress?: string | undefined;
  readonly rtpPorts?: string | undefined;
  readonly mediaMode?: string | undefined;
  readonly sipDigest?: string | undefined;
  readonly relayThreads?: string | undefined;
  readonly realtimePriority?: string | undefined;
  readonly logLevel?: string | undefined;
  readonly demo?: string | boolean | undefined;
  readonly carrierPing?: string | undefined;
  readonly sipBanFailures?: string | undefined;
  readonly sipBanMinutes?: string | undefined;
  readonly sipSourceRate?: string | undefined;
  readonly revenueEnterprise?: string | undefined;
  readonly voicemailDir?: string | undefined;
  readonly smtpUrl?: string | undefined;
  readonly smtpFrom?: string | undefined;
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
  { key: 'sipTlsPort', flag: '--sip-tls-port', env: 'TK_SIP_TLS_PORT' },
  { key: 'sipWsPort', flag: '--sip-ws-port', env: 'TK_SIP_WS_PORT' },
  { key: 'tlsCert', flag: '--tls-cert', env: 'TK_TLS_CERT' },
  { key: 'tlsKey', flag: '--tls-key', env: 'TK_TLS_KEY' },
  { key: 'publicAddress', flag: '--public-address', env: 'TK_PUBLIC_ADDRESS' },
  { key: 'rtpPorts', flag: '--rtp-ports', env: 'TK_RTP_PORTS' },
  { key: 'mediaMode', flag: '--media-mode', env: 'TK_MEDIA_MODE' },
  { key: 'sipDigest', flag: '--sip-digest', env: 'TK_SIP_DIGEST' },
  { key: 'relayThreads', flag: '--relay-threads', env: 'TK_RELAY_THREADS' },
  { key: 'realtimePriority', flag: '--realtime-priority', env: 'TK_REALTIME_PRIORITY' },
  { key: 'logLevel', flag: '--log-level', env: 'TK_LOG_LEVEL' },
  { key: 'demo', flag: '--no-demo', env: 'TK_DEMO' },
  { key: 'carrierPing', flag: '--carrier-ping', env: 'TK_CARRIER_PING_S' },
  { key: 'sipBanFailures', flag: '--sip-ban-failures', env: 'TK_SIP_BAN_FAILURES' },
  { key: 'sipBanMinutes', flag: '--sip-ban-minutes', env: 'TK_SIP_BAN_MINUTES' },
  { key: 'sipSourceRate', flag: '--sip-source-rate', env: 'TK_SIP_SOURCE_RATE' },
  { key: 'revenueEnterprise', flag: '--revenue-enterprise', env: 'TK_REVENUE_ENTERPRISE' },
  { key: 'voicemailDir', flag: '--voicemail-dir', env: 'TK_VOICEMAIL_DIR' },
  { key: 'smtpUrl', flag: '--smtp-url', env: 'TK_SMTP_URL' },
  { key: 'smtpFrom', flag: '--smtp-from', env: 'TK_SMTP_FROM' },
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

/** A whole number from `min` to `max`, or `fallback` when not given. */
function whole(
  key: keyof SettingsInput,
  raw: string | boolean | undefined,
  fallback: number,
  min: number,
  max: number,
  unit: string,
): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^[0-9]{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new SettingsError(
      `invalid ${label(key)}: "${text}" is not a number of ${unit} from ${min} to ${max}`,
    );
  }
  return Number(text);
}

function port(key: keyof SettingsInput, raw: string | boolean | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    throw new SettingsError(`invalid ${label(key)}: "${text}" is not a port number (0 to 65535)`);
  }
  return Number(text);
}

/** A port, or `off` to turn the listener off. */
function optionalPort(
  key: keyof SettingsInput,
  raw: string | boolean | undefined,
  fallback: number,
): number | undefined {
  if (raw !== undefined && String(raw).trim().toLowerCase() === 'off') return undefined;
  if (raw !== undefined && !/^[0-9]{1,5}$/.test(String(raw).trim())) {
    throw new SettingsError(
      `invalid ${label(key)}: "${String(raw).trim()}" is not a port number (0 to 65535) or off`,
    );
  }
  return port(key, raw, fallback);
}

function portRange(
  key: keyof SettingsInput,
  raw: string | boolean | undefined,
): { min: number; max: number } {
  const text = raw === undefined ? '10000-20000' : String(raw).trim();
  const match = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(text);
  const min = Number(match?.[1]);
  const max = Number(match?.[2]);
  if (!match || min < 1024 || max > 65535 || max - min < 3) {
    throw new SettingsError(
      `invalid ${label(key)}: "${text}" is not a range such as 10000-20000 (1024 to 65535, at least 4 ports)`,
    );
  }
  return { min, max };
}

function file(key: keyof SettingsInput, raw: string | boolean | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === '') throw new SettingsError(`invalid ${label(key)}: empty`);
  return resolve(text);
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

/** An smtp:// or smtps:// URL with a host; the password never appears in the error. */
function smtpUrl(raw: string | boolean | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (text === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    const shown = text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    throw new SettingsError(
      `invalid ${label('smtpUrl')}: "${shown}" is not an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587`,
    );
  }
  return text;
}

/** A sender: `voicemail@example.org` or `Name <voicemail@example.org>`, one header line. */
function mailbox(raw: string | boolean | undefined, fallback: string): string {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const address = '[^\\s<>@",;]+@[A-Za-z0-9.-]+';
  const form = new RegExp(`^(?:${address}|[^<>\\r\\n"]{0,100} <${address}>)$`);
  if (text.length > 254 || !form.test(text)) {
    throw new SettingsError(
      `invalid ${label('smtpFrom')}: "${text.slice(0, 80)}" is not a sender such as "Voicemail <voicemail@example.org>"`,
    );
  }
  return text;
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
  const rtp = portRange('rtpPorts', pick(flags, env, 'rtpPorts'));
  const mediaModeRaw = pick(flags, env, 'mediaMode');
  const mediaMode = mediaModeRaw === undefined ? 'anchored' : String(mediaModeRaw).trim().toLowerCase();
  if (mediaMode !== 'anchored' && mediaMode !== 'direct') {
    throw new SettingsError(
      `invalid ${label('mediaMode')}: "${String(mediaModeRaw)}" is not anchored or direct`,
    );
  }
  const tlsCertFile = file('tlsCert', pick(flags, env, 'tlsCert'));
  const tlsKeyFile = file('tlsKey', pick(flags, env, 'tlsKey'));
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
    throw new SettingsError(
      `invalid ${label(tlsCertFile ? 'tlsKey' : 'tlsCert')}: give both a certificate and a key, or neither`,
    );
  }
  const threadsRaw = pick(flags, env, 'relayThreads');
  const relayThreads = threadsRaw === undefined ? 0 : Number(String(threadsRaw).trim());
  if (
    !Number.isInteger(relayThreads) ||
    relayThreads < 0 ||
    relayThreads > 16 ||
    String(threadsRaw ?? '0').trim() === ''
  ) {
    throw new SettingsError(
      `invalid ${label('relayThreads')}: "${String(threadsRaw)}" is not a number of threads from 0 to 16`,
    );
  }
  const realtimeRaw = pick(flags, env, 'realtimePriority');
  const realtimeText = realtimeRaw === undefined ? 'off' : String(realtimeRaw).trim().toLowerCase();
  let realtimePriority: number | undefined;
  if (realtimeText !== 'off' && realtimeText !== '0') {
    realtimePriority = Number(realtimeText);
    if (!/^[0-9]{1,2}$/.test(realtimeText) || realtimePriority < 1) {
      throw new SettingsError(
        `invalid ${label('realtimePriority')}: "${realtimeText}" is not a real-time priority from 1 to 99 or off`,
      );
    }
  }
  const digestRaw = pick(flags, env, 'sipDigest');
  const digestNames = ['MD5', 'SHA-256', 'SHA-512-256'] as const;
  const sipDigest = (digestRaw === undefined ? 'MD5' : String(digestRaw))
    .split(',')
    .map((name) => name.trim().toUpperCase());
  const badDigest = sipDigest.find((name) => !(digestNames as readonly string[]).includes(name));
  if (badDigest !== undefined || sipDigest.length === 0 || new Set(sipDigest).size !== sipDigest.length) {
    throw new SettingsError(
      `invalid ${label('sipDigest')}: "${String(digestRaw)}" is not a list of distinct ${digestNames.join(', ')}`,
    );
  }
  const pingRaw = pick(flags, env, 'carrierPing');
  const carrierPing_s = pingRaw === undefined ? 30 : Number(String(pingRaw).trim());
  if (!Number.isInteger(carrierPing_s) || carrierPing_s < 1 || carrierPing_s > 3600) {
    throw new SettingsError(
      `invalid ${label('carrierPing')}: "${String(pingRaw)}" is not a number of seconds from 1 to 3600`,
    );
  }
  const sipBanFailures = whole(
    'sipBanFailures',
    pick(flags, env, 'sipBanFailures'),
    20,
    0,
    10_000,
    'failures',
  );
  const sipBanMinutes = whole('sipBanMinutes', pick(flags, env, 'sipBanMinutes'), 15, 1, 10_080, 'minutes');
  const sipSourceRate = whole(
    'sipSourceRate',
    pick(flags, env, 'sipSourceRate'),
    200,
    0,
    1_000_000,
    'requests per second',
  );
  const enterpriseRaw = pick(flags, env, 'revenueEnterprise');
  const enterpriseText = enterpriseRaw === undefined ? 'telekommunisten' : String(enterpriseRaw).trim();
  if (enterpriseText !== 'off' && !/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(enterpriseText)) {
    throw new SettingsError(
      `invalid ${label('revenueEnterprise')}: "${enterpriseText}" is not an enterprise id (lowercase letters, digits, hyphens) or off`,
    );
  }
  const publicRaw = pick(flags, env, 'publicAddress');
  const sipPort = port('sipPort', pick(flags, env, 'sipPort'), 5060);
  return {
    dataDir,
    db,
    httpHost: host('httpHost', pick(flags, env, 'httpHost'), '0.0.0.0'),
    httpPort: port('httpPort', pick(flags, env, 'httpPort'), 8080),
    sipHost: host('sipHost', pick(flags, env, 'sipHost'), '0.0.0.0'),
    sipPort,
    // With an ephemeral SIP port (tests, several instances) the other listeners default to ephemeral too.
    sipTlsPort: optionalPort('sipTlsPort', pick(flags, env, 'sipTlsPort'), sipPort === 0 ? 0 : 5061),
    sipWsPort: optionalPort('sipWsPort', pick(flags, env, 'sipWsPort'), sipPort === 0 ? 0 : 8088),
    tlsCertFile,
    tlsKeyFile,
    publicAddress: publicRaw === undefined ? undefined : host('publicAddress', publicRaw, ''),
    rtpPortMin: rtp.min,
    rtpPortMax: rtp.max,
    mediaMode,
    sipDigest: sipDigest as Settings['sipDigest'],
    relayThreads,
    realtimePriority,
    logLevel,
    demo: bool('demo', pick(flags, env, 'demo'), true),
    carrierPing_s,
    sipBanFailures,
    sipBanMinutes,
    sipSourceRate,
    revenueEnterprise: enterpriseText === 'off' ? undefined : enterpriseText,
    voicemailDir: file('voicemailDir', pick(flags, env, 'voicemailDir')) ?? join(dataDir, 'voicemail'),
    smtpUrl: smtpUrl(pick(flags, env, 'smtpUrl')),
    smtpFrom: mailbox(
      pick(flags, env, 'smtpFrom'),
      'Telekommune Voicemail <voicemail@telekommune.localhost>',
    ),
  };
}
