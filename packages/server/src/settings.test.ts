import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  it('uses defaults: ./data, SQLite inside it, 8080 and 5060', () => {
    const settings = resolveSettings({}, {});
    expect(settings).toEqual({
      dataDir: resolve('data'),
      db: join(resolve('data'), 'telekommune.db'),
      httpHost: '0.0.0.0',
      httpPort: 8080,
      sipHost: '0.0.0.0',
      sipPort: 5060,
      sipTlsPort: 5061,
      sipWsPort: 8088,
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      publicAddress: undefined,
      rtpPortMin: 10000,
      rtpPortMax: 20000,
      mediaMode: 'anchored',
      sipDigest: ['MD5'],
      relayThreads: 0,
      realtimePriority: undefined,
      logLevel: 'info',
      demo: true,
      carrierPing_s: 30,
      sipBanFailures: 20,
      sipBanMinutes: 15,
      sipSourceRate: 200,
      revenueEnterprise: 'telekommunisten',
      voicemailDir: join(resolve('data'), 'voicemail'),
      smtpUrl: undefined,
      smtpFrom: 'Telekommune Voicemail <voicemail@telekommune.localhost>',
    });
  });

  it('takes the voicemail directory and SMTP from flags or the environment', () => {
    const env = {
      TK_DATA_DIR: '/srv/tk',
      TK_SMTP_URL: 'smtps://vm:pa55@mail.example:465',
      TK_SMTP_FROM: 'ACME Voicemail <vm@acme.example>',
    };
    expect(resolveSettings({}, env)).toMatchObject({
      voicemailDir: '/srv/tk/voicemail',
      smtpUrl: 'smtps://vm:pa55@mail.example:465',
      smtpFrom: 'ACME Voicemail <vm@acme.example>',
    });
    expect(
      resolveSettings({ voicemailDir: '/mnt/vm', smtpFrom: 'vm@acme.example' }, { TK_VOICEMAIL_DIR: '/x' }),
    ).toMatchObject({ voicemailDir: '/mnt/vm', smtpFrom: 'vm@acme.example', smtpUrl: undefined });
    // An empty URL means no e-mail.
    expect(resolveSettings({}, { TK_SMTP_URL: ' ' }).smtpUrl).toBeUndefined();
  });

  it('refuses a bad SMTP URL without showing its password, and a sender that is no address', () => {
    expect(() => resolveSettings({}, { TK_SMTP_URL: 'http://vm:pa55@mail.example' })).toThrow(
      'invalid --smtp-url / TK_SMTP_URL: "http://vm:***@mail.example" is not an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587',
    );
    expect(() => resolveSettings({ smtpUrl: 'smtp://' }, {})).toThrow(/--smtp-url/);
    expect(() => resolveSettings({ smtpUrl: 'mail.example:25' }, {})).toThrow(/--smtp-url/);
    for (const from of ['voicemail', 'a@b\r\nBcc: x@y', 'Name <not-an-address>', `${'a'.repeat(251)}@b.c`]) {
      expect(() => resolveSettings({ smtpFrom: from }, {}), from).toThrow(
        /^invalid --smtp-from \/ TK_SMTP_FROM: ".*" is not a sender such as "Voicemail <voicemail@example.org>"$/s,
      );
    }
    expect(() => resolveSettings({ voicemailDir: ' ' }, {})).toThrow(
      'invalid --voicemail-dir / TK_VOICEMAIL_DIR: empty',
    );
  });

  it('takes environment variables, and flags over them', () => {
    const env = { TK_DATA_DIR: '/srv/tk', TK_HTTP_PORT: '9000', TK_SIP_PORT: '5070', TK_LOG_LEVEL: 'debug' };
    expect(resolveSettings({}, env)).toMatchObject({
      dataDir: '/srv/tk',
      db: '/srv/tk/telekommune.db',
      httpPort: 9000,
      sipPort: 5070,
      logLevel: 'debug',
    });
    expect(resolveSettings({ httpPort: '9001', db: 'postgres://u@h/db' }, env)).toMatchObject({
      httpPort: 9001,
      db: 'postgres://u@h/db',
    });
  });

  it.each([
    [{ httpPort: 'abc' }, 'invalid --http-port / TK_HTTP_PORT: "abc" is not a port number (0 to 65535)'],
    [{ sipPort: '70000' }, 'invalid --sip-port / TK_SIP_PORT: "70000" is not a port number (0 to 65535)'],
    [
      { logLevel: 'loud' },
      'invalid --log-level / TK_LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      { db: 'mysql://x/y' },
      'invalid --db / TK_DB: "mysql://x/y" is neither a SQLite file path nor a postgres:// URL',
    ],
    [{ httpHost: 'a b' }, 'invalid --http-host / TK_HTTP_HOST: "a b" is not a host name or IP address'],
    [{ demo: 'maybe' }, 'invalid --no-demo / TK_DEMO: "maybe" is not true or false'],
    [
      { carrierPing: '0' },
      'invalid --carrier-ping / TK_CARRIER_PING_S: "0" is not a number of seconds from 1 to 3600',
    ],
    [
      { sipBanFailures: '-1' },
      'invalid --sip-ban-failures / TK_SIP_BAN_FAILURES: "-1" is not a number of failures from 0 to 10000',
    ],
    [
      { sipSourceRate: 'lots' },
      'invalid --sip-source-rate / TK_SIP_SOURCE_RATE: "lots" is not a number of requests per second from 0 to 1000000',
    ],
    [
      { sipBanMinutes: '0' },
      'invalid --sip-ban-minutes / TK_SIP_BAN_MINUTES: "0" is not a number of minutes from 1 to 10080',
    ],
    [
      { sipWsPort: 'never' },
      'invalid --sip-ws-port / TK_SIP_WS_PORT: "never" is not a port number (0 to 65535) or off',
    ],
    [
      { rtpPorts: '20000-10000' },
      'invalid --rtp-ports / TK_RTP_PORTS: "20000-10000" is not a range such as 10000-20000 (1024 to 65535, at least 4 ports)',
    ],
    [
      { sipDigest: 'SHA-1' },
      'invalid --sip-digest / TK_SIP_DIGEST: "SHA-1" is not a list of distinct MD5, SHA-256, SHA-512-256',
    ],
    [
      { relayThreads: 'many' },
      'invalid --relay-threads / TK_RELAY_THREADS: "many" is not a number of threads from 0 to 16',
    ],
    [
      { realtimePriority: '100' },
      'invalid --realtime-priority / TK_REALTIME_PRIORITY: "100" is not a real-time priority from 1 to 99 or off',
    ],
    [{ mediaMode: 'p2p' }, 'invalid --media-mode / TK_MEDIA_MODE: "p2p" is not anchored or direct'],
    [{ tlsCert: '/x.pem' }, 'invalid --tls-key / TK_TLS_KEY: give both a certificate and a key, or neither'],
  ])('refuses %o with one line naming the setting', (flags, message) => {
    expect(() => resolveSettings(flags, {})).toThrow(message);
  });

  it('takes a real-time priority from 1 to 99, or off', () => {
    expect(resolveSettings({ realtimePriority: '10' }, {}).realtimePriority).toBe(10);
    expect(resolveSettings({}, { TK_REALTIME_PRIORITY: '99' }).realtimePriority).toBe(99);
    expect(resolveSettings({ realtimePriority: 'off' }, {}).realtimePriority).toBeUndefined();
    expect(resolveSettings({ realtimePriority: '0' }, {}).realtimePriority).toBeUndefined();
    expect(() => resolveSettings({ realtimePriority: 'high' }, {})).toThrow(/--realtime-priority/);
  });

  it('turns the TLS and WebSocket listeners off', () => {
    expect(resolveSettings({ sipTlsPort: 'off', sipWsPort: 'OFF' }, {})).toMatchObject({
      sipTlsPort: undefined,
      sipWsPort: undefined,
    });
  });

  it('names the environment variable when the bad value came from it', () => {
    expect(() => resolveSettings({}, { TK_HTTP_PORT: '-1' })).toThrow(/TK_HTTP_PORT: "-1"/);
  });
});
