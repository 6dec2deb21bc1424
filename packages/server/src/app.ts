import type { AddressInfo } from 'node:net';
import { type Cdr, LocationService, TenantDirectory } from '@telekommune/pbx';
import {
  ApiTokenRepository,
  migrateToLatest,
  openStore,
  SqlCdrRepository,
  SqlProvisioningRepository,
  SqlRegistrationRepository,
} from '@telekommune/store';
import type { FastifyInstance } from 'fastify';
import { createAccessServices } from './accounts/access-services.js';
import { type ConsoleLogin, seedConsoleLogins } from './accounts/first-accounts.js';
import { startCarrierRuntime } from './carriers-runtime.js';
import {
  type CommuneDemo,
  type CommuneRuntime,
  seedCommuneDemoOnce,
  seedCommuneMemberLogin,
  startCommuneRuntime,
} from './commune-runtime.js';
import { ConfigWatcher } from './config-watcher.js';
import type { AppContext } from './context.js';
import { type DemoCredentials, seedDemoOnce } from './demo-seed.js';
import { installAuthentication } from './http/auth.js';
import { buildHttp } from './http/build-http.js';
import { accountRoutes } from './http/routes/accounts.js';
import { accountsMeRoutes } from './http/routes/accounts-me.js';
import { authRoutes } from './http/routes/auth.js';
import { billingRoutes } from './http/routes/billing.js';
import { callRoutes } from './http/routes/calls.js';
import { carrierRoutes } from './http/routes/carriers.js';
import { communeCommandRoutes } from './http/routes/commune.js';
import { communeReportRoutes } from './http/routes/commune-reports.js';
import { conferenceRoutes } from './http/routes/conferences.js';
import { didRoutes } from './http/routes/dids.js';
import { healthRoutes } from './http/routes/health.js';
import { ivrRoutes } from './http/routes/ivr.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { openapiRoutes } from './http/routes/openapi.js';
import { promptRoutes } from './http/routes/prompts.js';
import { provisioningRoutes } from './http/routes/provisioning.js';
import { rateRoutes } from './http/routes/rates.js';
import { revenueRoutes } from './http/routes/revenue.js';
import { ringGroupRoutes } from './http/routes/ring-groups.js';
import { sessionRoutes } from './http/routes/sessions.js';
import { tenantRoutes } from './http/routes/tenants.js';
import { tokenRoutes } from './http/routes/tokens.js';
import { traceRoutes } from './http/routes/traces.js';
import { voicemailRoutes } from './http/routes/voicemail.js';
import { webRoutes } from './http/routes/web.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import { registerPbxMetrics } from './pbx-metrics.js';
import { isLocalAddress, reachableAddress, startPbxRuntime } from './pbx-runtime.js';
import { startRevenueBooking } from './revenue-booking-runtime.js';
import type { Settings } from './settings.js';
import { version } from './version.js';
import { mediaPortRanges, startVoiceRuntime } from './voice/voice-runtime.js';

export interface RunningTelekommune {
  readonly context: AppContext;
  readonly httpUrl: string;
  /** Present only on the start that seeded the demo. */
  readonly demo: DemoCredentials | undefined;
  /** The SIP listeners, e.g. `udp 127.0.0.1:5060`. */
  readonly sipEndpoints: readonly string[];
  /** The Venture Commune of this installation. */
  readonly commune: CommuneRuntime;
  /** Present only on the start that seeded the demo commune. */
  readonly communeDemo: CommuneDemo | undefined;
  /** Console sign-ins created by this start (the first operator, demo accounts), printed once. */
  readonly consoleLogins: readonly ConsoleLogin[];
  /** The HTTP server (for the OpenAPI document and in-process tests). */
  readonly http: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Starts the whole process: database (migrated), demo seed, HTTP API. Each
 * capability registers here; `close` stops them in reverse order.
 */
export async function startTelekommune(settings: Settings, logger: Logger): Promise<RunningTelekommune> {
  const store = openStore({ url: settings.db });
  const closers: Array<() => Promise<void> | void> = [() => store.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
  };
  try {
    const applied = await migrateToLatest(store);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    const provisioning = new SqlProvisioningRepository(store);
    const tokens = new ApiTokenRepository(store);
    const metrics = createMetrics();
    const demo = settings.demo ? await seedDemoOnce(store, provisioning, tokens) : undefined;
    const access = createAccessServices(store);
    const commune = await startCommuneRuntime(store, logger);
    const communeDemo = settings.demo ? await seedCommuneDemoOnce(store, commune) : undefined;
    const consoleLogins = await seedConsoleLogins(
      store,
      access,
      demo ? { id: demo.tenant.id, firstExtension: demo.extensions[0]?.number ?? '1001' } : undefined,
    );
    const firstMember = communeDemo?.members[0];
    const memberLogin = firstMember ? await seedCommuneMemberLogin(access, firstMember) : undefined;
    if (memberLogin) consoleLogins.push(memberLogin);

    let directory = new TenantDirectory(await provisioning.listTenants());
    const watcher = new ConfigWatcher(provisioning, logger);
    watcher.on('change', (revision) => {
      void provisioning.listTenants().then(
        (tenants) => {
          directory = new TenantDirectory(tenants);
          logger.info({ revision, tenants: tenants.length }, 'configuration reloaded');
        },
        (error: unknown) => logger.error({ err: error }, 'configuration reload failed'),
      );
    });
    await watcher.start();
    closers.push(() => watcher.stop());

    const location = new LocationService({
      repository: new SqlRegistrationRepository(store),
      onError: (error: unknown) =>
        logger.error({ err: error }, 'persisting registrations failed; will retry'),
    });
    const restored = await location.start();
    if (restored > 0) logger.info({ registrations: restored }, 'registrations restored');
    closers.push(() => location.stop());

    const carriers = await startCarrierRuntime({ store, provisioning, directory: () => directory, logger });
    const revenue = startRevenueBooking({
      commune,
      billing: carriers.billingRepository,
      logger,
      enterprise: settings.revenueEnterprise,
    });
    closers.push(() => revenue.close());

    const mediaAddress = reachableAddress(settings);
    const voice = await startVoiceRuntime({
      settings,
      logger,
      store,
      provisioning,
      directory: () => directory,
      reloadConfiguration: async () => {
        directory = new TenantDirectory(await provisioning.listTenants());
      },
      onSendDeviation: (deviation_s) => metrics.mediaSendDeviation.observe(deviation_s),
      media: {
        bindAddress: isLocalAddress(mediaAddress)
          ? mediaAddress
          : settings.sipHost === '::'
            ? '::'
            : '0.0.0.0',
        advertisedAddress: mediaAddress,
        portRange: mediaPortRanges(settings).engine,
      },
    });
    closers.push(() => voice.close());

    const cdrs = new SqlCdrRepository(store);
    let countCall: (cdr: Cdr) => void = () => {};
    const pbx = await startPbxRuntime({
      onCdr: (cdr) => countCall(cdr),
      voice,
      settings,
      logger,
      store,
      directory: () => directory,
      location,
      cdrs,
      carriers,
    });
    closers.push(() => pbx.close());
    countCall = registerPbxMetrics(metrics.registry, { location, pbx, carriers }).countCall;
    watcher.on('change', () => {
      carriers
        .reload()
        .then(() => pbx.trunks.reload())
        .catch((error: unknown) => logger.error({ err: error }, 'carrier reload failed'));
    });

    const context: AppContext = {
      settings,
      version,
      logger,
      metrics,
      store,
      provisioning,
      tokens,
      access,
      location,
      cdrs,
      pbx,
      directory: () => directory,
      reloadConfiguration: async () => {
        directory = new TenantDirectory(await provisioning.listTenants());
      },
      carriers,
      voice,
    };

    const http = await buildHttp({ logger, metrics, version });
    healthRoutes(http, context);
    metricsRoutes(http, context);
    openapiRoutes(http);
    await http.register(async (api) => {
      await installAuthentication(api, context);
      authRoutes(api, context);
      accountRoutes(api, context);
      accountsMeRoutes(api, context);
      sessionRoutes(api, context);
      tokenRoutes(api, context);
      ringGroupRoutes(api, context);
      provisioningRoutes(api, context);
      tenantRoutes(api, context);
      callRoutes(api, context);
      traceRoutes(api, context);
      carrierRoutes(api, context);
      didRoutes(api, context);
      rateRoutes(api, context);
      billingRoutes(api, context);
      voicemailRoutes(api, context);
      ivrRoutes(api, context);
      conferenceRoutes(api, context);
      promptRoutes(api, context);
      communeCommandRoutes(api, context, commune);
      communeReportRoutes(api, context, commune);
      revenueRoutes(api, context, revenue);
    });
    await webRoutes(http, context);
    await http.listen({ host: settings.httpHost, port: settings.httpPort });
    closers.push(() => http.close());
    const address = http.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const httpUrl = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
    logger.info({ url: httpUrl, database: store.description }, 'telekommune started');
    return {
      context,
      httpUrl,
      demo,
      commune,
      communeDemo,
      consoleLogins,
      http,
      sipEndpoints: pbx.endpoints,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
