import type { Command } from 'commander';
import { startTelekommune } from '../../app.js';
import { createLogger } from '../../logger.js';
import { setRealtimePriority } from '../../realtime-priority.js';
import { resolveSettings, type SettingsInput } from '../../settings.js';
import { startBanner } from '../banner.js';

interface StartFlags extends SettingsInput {
  readonly demo?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the PBX and the commune in one process')
    .option(
      '--data-dir <dir>',
      'data directory: database, voicemail, certificates (env TK_DATA_DIR, default ./data)',
    )
    .option('--db <url>', 'SQLite file or postgres:// URL (env TK_DB, default <data-dir>/telekommune.db)')
    .option('--http-host <host>', 'HTTP listen address (env TK_HTTP_HOST, default 0.0.0.0)')
    .option('--http-port <port>', 'HTTP port for the API and console (env TK_HTTP_PORT, default 8080)')
    .option('--sip-host <host>', 'SIP listen address (env TK_SIP_HOST, default 0.0.0.0)')
    .option('--sip-port <port>', 'SIP port, UDP and TCP (env TK_SIP_PORT, default 5060)')
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (env TK_LOG_LEVEL, default info)',
    )
    .option('--sip-tls-port <port>', 'SIP over TLS, or off (env TK_SIP_TLS_PORT, default 5061)')
    .option('--sip-ws-port <port>', 'SIP over WebSocket, or off (env TK_SIP_WS_PORT, default 8088)')
    .option(
      '--tls-cert <file>',
      'PEM certificate for TLS (env TK_TLS_CERT; default: self-signed in the data dir)',
    )
    .option('--tls-key <file>', 'PEM private key for TLS (env TK_TLS_KEY)')
    .option(
      '--public-address <ip>',
      'address phones reach for SIP and media, behind NAT (env TK_PUBLIC_ADDRESS)',
    )
    .option('--rtp-ports <min-max>', 'RTP port range (env TK_RTP_PORTS, default 10000-20000)')
    .option(
      '--relay-threads <n>',
      'worker threads for the RTP relay, 0 = main thread (env TK_RELAY_THREADS, default 0)',
    )
    .option(
      '--realtime-priority <n>',
      'run the main thread (which paces prompts) and relay threads under SCHED_RR at 1-99, or off; needs CAP_SYS_NICE (env TK_REALTIME_PRIORITY, default off)',
    )
    .option(
      '--media-mode <mode>',
      'anchored (media through the relay) or direct (env TK_MEDIA_MODE, default anchored)',
    )
    .option(
      '--sip-digest <list>',
      'digest algorithms offered, in order (env TK_SIP_DIGEST, default MD5; e.g. SHA-256,MD5)',
    )
    .option(
      '--carrier-ping <seconds>',
      'seconds between OPTIONS health pings to carriers (env TK_CARRIER_PING_S, default 30)',
    )
    .option(
      '--sip-ban-failures <n>',
      'failed SIP authentications from one address within a minute that ban it, 0 = never (env TK_SIP_BAN_FAILURES, default 20)',
    )
    .option(
      '--sip-ban-minutes <n>',
      'minutes a banned address gets no answer at all (env TK_SIP_BAN_MINUTES, default 15)',
    )
    .option(
      '--sip-source-rate <n>',
      'SIP requests per second one source address may send, carriers exempt, 0 = no limit (env TK_SIP_SOURCE_RATE, default 200)',
    )
    .option(
      '--revenue-enterprise <id>',
      'commune enterprise that books call revenue each month, or off (env TK_REVENUE_ENTERPRISE, default telekommunisten)',
    )
    .option(
      '--voicemail-dir <dir>',
      'voicemail messages and greetings (env TK_VOICEMAIL_DIR, default <data-dir>/voicemail)',
    )
    .option(
      '--smtp-url <url>',
      'SMTP server for voicemail e-mail, smtp:// or smtps:// (env TK_SMTP_URL; unset: no e-mail)',
    )
    .option(
      '--smtp-from <sender>',
      'sender of voicemail e-mail (env TK_SMTP_FROM, default Telekommune Voicemail <voicemail@telekommune.localhost>)',
    )
    .option('--no-demo', 'do not seed the demo tenant and commune on first start (env TK_DEMO=false)')
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune start
  $ telekommune start --data-dir /var/lib/telekommune --http-port 8081
  $ TK_DB=postgres://telekommune@db.internal/telekommune telekommune start --log-level debug
  $ sudo telekommune start --realtime-priority 10   # media paced like Asterisk -p`,
    )
    .action(async (flags: StartFlags) => {
      const settings = resolveSettings({ ...flags, demo: flags.demo === false ? false : undefined });
      const logger = createLogger(settings.logLevel);
      const running = await startTelekommune(settings, logger);
      if (settings.realtimePriority !== undefined) {
        const priority = settings.realtimePriority;
        const relayThreads = (await running.context.pbx.relay?.threadIds()) ?? [];
        for (const [thread, pid] of [
          ['main thread', process.pid] as const,
          ...relayThreads.map((id) => ['relay thread', id] as const),
        ]) {
          const outcome = await setRealtimePriority(priority, { pid });
          if (outcome.ok)
            logger.info({ priority, tid: pid }, `${thread} runs at real-time priority (SCHED_RR)`);
          else
            logger.warn(
              { priority, tid: pid, reason: outcome.reason },
              `could not set real-time priority; the ${thread} runs under the normal scheduler (give the process CAP_SYS_NICE)`,
            );
        }
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        const force = setTimeout(() => {
          logger.error('shutdown took longer than 10 s; exiting');
          process.exit(1);
        }, 10_000);
        force.unref();
        void running.close().then(() => {
          logger.info('stopped');
          logger.flush();
          process.exitCode = 0;
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      // Only after the handlers: whoever reads the banner may signal at once.
      process.stdout.write(
        startBanner(running.httpUrl, settings, running.demo, running.consoleLogins, running.communeDemo),
      );
    });
}
