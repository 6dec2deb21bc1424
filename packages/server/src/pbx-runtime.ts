import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { RtpRelay } from '@telekommune/media';
import {
  type B2buaCall,
  type Cdr,
  cdrJson,
  type LocationService,
  PbxSipService,
  type SipTrunks,
  type TenantDirectory,
  WebhookDispatcher,
} from '@telekommune/pbx';
import { generateSelfSignedCertificate, type ListenConfig, SipTraces } from '@telekommune/sip';
import { getMeta, type SqlCdrRepository, type Store, setMeta } from '@telekommune/store';
import type { CarrierRuntime } from './carriers-runtime.js';
import type { Logger } from './logger.js';
import type { Settings } from './settings.js';
import { createSipTrunks } from './trunks-runtime.js';
import { mediaPortRanges, type VoiceRuntime } from './voice/voice-runtime.js';

export interface PbxRuntime {
  readonly sip: PbxSipService;
  readonly relay: RtpRelay | undefined;
  /** Carrier trunks: outside calls, calls to DIDs, registrations to carriers, health pings. */
  readonly trunks: SipTrunks;
  /** The SIP listeners as phones reach them, e.g. `udp 192.0.2.10:5060`. */
  readonly endpoints: readonly string[];
  /** SIP traces on demand (docs/operator-guide.md). */
  readonly traces: SipTraces;
  /** Call events to the tenants' webhooks. */
  readonly webhooks: WebhookDispatcher;
  close(): Promise<void>;
}

/** The digest nonce secret, shared by every node through the database. */
async function digestSecret(store: Store): Promise<Buffer> {
  const stored = await getMeta(store, 'sip_digest_secret');
  if (stored) return Buffer.from(stored, 'hex');
  const secret = randomBytes(32).toString('hex');
  await setMeta(store, 'sip_digest_secret', secret);
  return Buffer.from((await getMeta(store, 'sip_digest_secret')) ?? secret, 'hex');
}

/** The certificate and key for SIP over TLS: configured files, or a self-signed pair kept in the data directory. */
async function tlsMaterial(settings: Settings, logger: Logger): Promise<{ cert: string; key: string }> {
  if (settings.tlsCertFile && settings.tlsKeyFile) {
    return {
      cert: await readFile(settings.tlsCertFile, 'utf8'),
      key: await readFile(settings.tlsKeyFile, 'utf8'),
    };
  }
  const dir = join(settings.dataDir, 'tls');
  try {
    return {
      cert: await readFile(join(dir, 'sip.crt'), 'utf8'),
      key: await readFile(join(dir, 'sip.key'), 'utf8'),
    };
  } catch {
    const generated = await generateSelfSignedCertificate(settings.publicAddress ?? 'telekommune.localhost', {
      altNames: ['localhost', '127.0.0.1'],
    });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'sip.crt'), generated.cert);
    await writeFile(join(dir, 'sip.key'), generated.key, { mode: 0o600 });
    logger.info(
      { fingerprint: generated.fingerprint, dir },
      'generated a self-signed TLS certificate for SIP',
    );
    return { cert: generated.cert, key: generated.key };
  }
}

/** The address phones can reach: the public one if set, the listen address if specific, else the first external one. */
export function reachableAddress(settings: Settings): string {
  if (settings.publicAddress) return settings.publicAddress;
  if (settings.sipHost !== '0.0.0.0' && settings.sipHost !== '::') return settings.sipHost;
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (!entry.internal && entry.family === 'IPv4') return entry.address;
  }
  return '127.0.0.1';
}

/** Whether `address` belongs to one of this machine's interfaces. */
export function isLocalAddress(address: string): boolean {
  return Object.values(networkInterfaces()).some((list) =>
    (list ?? []).some((entry) => entry.address === address),
  );
}

/** Starts the PBX's SIP side: listeners, registrar, B2BUA, and the RTP relay that anchors media. */
export async function startPbxRuntime(options: {
  settings: Settings;
  logger: Logger;
  store: Store;
  directory: () => TenantDirectory;
  location: LocationService;
  cdrs: SqlCdrRepository;
  carriers: CarrierRuntime;
  /** Voicemail, IVR and feature codes (voice/voice-runtime.ts). */
  voice?: VoiceRuntime;
  /** Each call's CDR once complete (rated), before it is stored: metrics. */
  onCdr?: (cdr: Cdr) => void;
}): Promise<PbxRuntime> {
  const { settings, logger } = options;
  const address = reachableAddress(settings);
  const advertise = settings.publicAddress ? { host: settings.publicAddress } : undefined;
  const listen: ListenConfig[] = [
    {
      protocol: 'udp',
      address: settings.sipHost,
      port: settings.sipPort,
      ...(advertise ? { advertise } : {}),
    },
    {
      protocol: 'tcp',
      address: settings.sipHost,
      port: settings.sipPort,
      ...(advertise ? { advertise } : {}),
    },
  ];
  if (settings.sipTlsPort !== undefined) {
    const tls = await tlsMaterial(settings, logger);
    listen.push({
      protocol: 'tls',
      address: settings.sipHost,
      port: settings.sipTlsPort,
      tls,
      ...(advertise ? { advertise } : {}),
    });
  }
  if (settings.sipWsPort !== undefined) {
    listen.push({
      protocol: 'ws',
      address: settings.sipHost,
      port: settings.sipWsPort,
      ...(advertise ? { advertise } : {}),
    });
  }
  const relay =
    settings.mediaMode === 'anchored'
      ? new RtpRelay({
          // Bound to the advertised address when it is ours: the relay connect()s its sockets to
          // the phones, which pins a wildcard socket to one local address, and packets the
          // phones send to another local address would then be lost.
          bindAddress: isLocalAddress(address) ? address : settings.sipHost === '::' ? '::' : '0.0.0.0',
          advertisedAddress: address,
          // The media engine of voice applications takes the top of the range (mediaPortRanges).
          portRange: mediaPortRanges(settings).relay,
          threads: settings.relayThreads,
          // In this thread, the relay hands IVR and voicemail packets to the media endpoints directly.
          ...(options.voice ? { localRoutes: options.voice.engine.localRoutes } : {}),
        })
      : undefined;
  const sipLogger = logger.child({ part: 'sip' });
  let started: PbxSipService | undefined;
  const trunks = createSipTrunks({
    settings,
    logger,
    carriers: options.carriers,
    directory: options.directory,
    sip: () => {
      if (!started) throw new Error('SIP not started');
      return started;
    },
  });
  // Call events to the tenants' webhooks (docs/calls.md, "Call events").
  const webhooks = new WebhookDispatcher(logger.child({ part: 'webhooks' }));
  const tenantWebhooks = (tenantId: string) => options.directory().tenant(tenantId)?.webhooks;
  const sip = await PbxSipService.start({
    listen,
    directory: options.directory,
    location: options.location,
    cdrs: options.cdrs,
    relay,
    digestSecret: await digestSecret(options.store),
    digestAlgorithms: settings.sipDigest,
    securityLimits: {
      // 0 failures: never ban (the count is never reached).
      maxFailures: settings.sipBanFailures === 0 ? Number.POSITIVE_INFINITY : settings.sipBanFailures,
      ban_ms: settings.sipBanMinutes * 60_000,
    },
    sourceRate: { perSecond: settings.sipSourceRate },
    rateExempt: (address) => options.carriers.sources().carrierFor(address) !== undefined,
    logger: {
      debug: (detail, message) => sipLogger.debug(detail, message),
      info: (detail, message) => sipLogger.info(detail, message),
      warn: (detail, message) => sipLogger.warn(detail, message),
      error: (detail, message) => sipLogger.error(detail, message),
    },
    resolveDialled: (tenant, dialled) =>
      options.voice?.resolveDialled(tenant, dialled) ?? trunks.resolveDialled(tenant, dialled),
    ...(options.voice
      ? {
          application: options.voice.applications.handle,
          holdMusic: options.voice.holdMusic,
          messageCounts: (tenantId: string, box: string) => options.voice!.voicemail.counts(tenantId, box),
        }
      : {}),
    outside: (call, number, signal, path) => trunks.outside(call, number, signal, path),
    carrierInvite: (request, flow) => trunks.carrierInvite(request, flow),
    completeCdr: async (cdr) => {
      const done = await trunks.completeCdr(cdr);
      options.onCdr?.(done);
      webhooks.send(tenantWebhooks(done.tenantId), {
        type: 'call.ended',
        tenantId: done.tenantId,
        at: new Date(done.endedAt_ms).toISOString(),
        data: cdrJson(done),
      });
      return done;
    },
  });
  started = sip;
  options.voice?.attach(sip);
  trunks.start();
  const endpoints = sip.stack.listeners.map((l) => `${l.transport.protocol} ${l.host}:${l.port}`);
  logger.info({ endpoints, media: settings.mediaMode, mediaAddress: address }, 'SIP started');
  const callData = (call: B2buaCall) => ({
    id: call.id,
    callId: call.invite.callId,
    caller: call.caller.extension,
    ...(call.caller.displayName !== undefined ? { callerName: call.caller.displayName } : {}),
    callee: call.dialled,
    start: new Date(call.startedAt_ms).toISOString(),
  });
  sip.registry.observe({
    started: (call) =>
      webhooks.send(tenantWebhooks(call.tenant.id), {
        type: 'call.started',
        tenantId: call.tenant.id,
        at: new Date(call.startedAt_ms).toISOString(),
        data: callData(call),
      }),
    answered: (call) => {
      const answeredAt = new Date(call.answeredAt_ms ?? Date.now()).toISOString();
      webhooks.send(tenantWebhooks(call.tenant.id), {
        type: 'call.answered',
        tenantId: call.tenant.id,
        at: answeredAt,
        data: {
          ...callData(call),
          ...(call.answeredBy !== undefined ? { answeredBy: call.answeredBy } : {}),
          answer: answeredAt,
        },
      });
    },
  });
  const traces = new SipTraces((tap) => {
    sip.stack.tap = tap;
  });
  return {
    sip,
    relay,
    trunks,
    endpoints,
    traces,
    webhooks,
    async close() {
      traces.close();
      webhooks.close();
      await trunks.close();
      await sip.close();
      await relay?.close();
    },
  };
}
