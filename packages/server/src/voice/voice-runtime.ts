import { MediaClock, MediaEngine, synthesizeSpeech } from '@telekommune/media';
import {
  applyProvisioning,
  type Destination,
  type HoldMusicPlayer,
  type PbxSipService,
  resolveFeatureCode,
  type TenantConfig,
  type TenantDirectory,
  TenantPrompts,
  tenantConfigSchema,
  VoiceApplications,
  type VoiceContext,
  VoicemailService,
} from '@telekommune/pbx';
import { type SqlProvisioningRepository, SqlVoiceRepository, type Store } from '@telekommune/store';
import type { Logger } from '../logger.js';
import { holdMusicPlayers } from './hold-music-player.js';
import type { VoiceSettings } from './voice-settings.js';
import { VoicemailMailer } from './voicemail-mailer.js';

/**
 * The RTP port range split between the relay (anchoring calls, four ports
 * each) and the media engine (two ports per caller talking to an
 * application): the engine takes the top quarter.
 */
export function mediaPortRanges(settings: { rtpPortMin: number; rtpPortMax: number }): {
  relay: { min: number; max: number };
  engine: { min: number; max: number };
} {
  const span = settings.rtpPortMax - settings.rtpPortMin;
  const split = settings.rtpPortMax - Math.max(3, Math.floor(span / 4));
  return {
    relay: { min: settings.rtpPortMin, max: split - 1 },
    engine: { min: split, max: settings.rtpPortMax },
  };
}

/** A wall clock that tests may move (business hours). */
export interface VoiceClock {
  now: () => Date;
}

export interface VoiceRuntime {
  readonly engine: MediaEngine;
  readonly repository: SqlVoiceRepository;
  readonly voicemail: VoicemailService;
  readonly prompts: TenantPrompts;
  readonly applications: VoiceApplications;
  readonly clock: VoiceClock;
  readonly settings: VoiceSettings;
  /** Players of music on hold for anchored calls. */
  readonly holdMusic: (tenant: TenantConfig) => Promise<HoldMusicPlayer>;
  /** Connects the SIP service once started (MWI notifications, IVR transfers). */
  attach(sip: PbxSipService): void;
  /** Feature codes, menu and conference room numbers, for `resolveDialled`. */
  resolveDialled(tenant: TenantConfig, dialled: string): Destination | undefined;
  close(): Promise<void>;
}

/**
 * Voicemail, the auto attendant and feature codes: the media engine for
 * the endpoints that talk to callers, the voicemail store and files (with
 * crash recovery before calls are served), e-mail notices, tenant prompts.
 */
export async function startVoiceRuntime(options: {
  readonly settings: VoiceSettings;
  readonly logger: Logger;
  readonly store: Store;
  readonly provisioning: SqlProvisioningRepository;
  readonly directory: () => TenantDirectory;
  readonly reloadConfiguration: () => Promise<void>;
  readonly media: { bindAddress: string; advertisedAddress: string; portRange: { min: number; max: number } };
  /** Receives, per paced packet, how far its send interval strayed from the period (seconds). */
  readonly onSendDeviation?: (deviation_s: number) => void;
}): Promise<VoiceRuntime> {
  const logger = options.logger.child({ part: 'voice' });
  const repository = new SqlVoiceRepository(options.store);
  const clock: VoiceClock = { now: () => new Date() };
  let sip: PbxSipService | undefined;
  const mailer = options.settings.smtpUrl
    ? new VoicemailMailer(options.settings.smtpUrl, options.settings.smtpFrom)
    : undefined;
  const voicemail = new VoicemailService({
    repository,
    root: options.settings.voicemailDir,
    directory: options.directory,
    notifier: mailer,
    countsChanged: (tenantId, box) => sip?.mwi?.changed(tenantId, box),
    log: (level, detail, message) => logger[level](detail, message),
    now: () => clock.now(),
  });
  await voicemail.recover();
  const onSendDeviation = options.onSendDeviation;
  // Streams run in batches per 1 ms slot: a few dozen sends per wake-up, so other work (SIP,
  // collection) fits between them. No precise wait: its blocking cost more than its accuracy gave
  // (docs/ivr.md, benchmark).
  const mediaClock = new MediaClock({
    resolutionMs: 1,
    batchSlots: true,
    ...(onSendDeviation
      ? {
          observer: (_task, tick) => {
            const deviation = tick.intervalDeviationMs;
            if (deviation !== undefined) onSendDeviation(Math.abs(deviation) / 1000);
          },
        }
      : {}),
  });
  const engine = new MediaEngine({
    mediaClock,
    bindAddress: options.media.bindAddress,
    advertisedAddress: options.media.advertisedAddress,
    portRange: options.media.portRange,
  });
  const prompts = new TenantPrompts(
    repository,
    (text) => synthesizeSpeech(text),
    () => clock.now(),
  );
  const context: VoiceContext = {
    engine,
    directory: options.directory,
    router: () => {
      if (!sip) throw new Error('SIP not started');
      return sip.router;
    },
    voicemail,
    prompts,
    updateExtension: async (tenantId, number, change) => {
      const tenant = (await options.provisioning.listTenants()).find((t) => t.id === tenantId);
      const extension = tenant?.extensions.find((e) => e.number === number);
      if (!tenant || !extension) return false;
      const checked = tenantConfigSchema.safeParse({
        ...tenant,
        extensions: tenant.extensions.map((e) => (e.number === number ? change(e) : e)),
      });
      if (!checked.success) {
        logger.info(
          { tenantId, number, issues: checked.error.issues.length },
          'change from the phone refused',
        );
        return false;
      }
      const outcome = await applyProvisioning({ tenants: [checked.data] }, options.provisioning);
      if (!outcome.ok) return false;
      await options.reloadConfiguration();
      return true;
    },
    now: () => clock.now(),
    log: (level, detail, message) => logger[level](detail, message),
  };
  const applications = new VoiceApplications(context);
  return {
    holdMusic: holdMusicPlayers(engine, prompts),
    engine,
    repository,
    voicemail,
    prompts,
    applications,
    clock,
    settings: options.settings,
    attach(service) {
      sip = service;
    },
    resolveDialled: (tenant, dialled) => {
      const menu = (tenant.ivrs ?? []).find((m) => m.number === dialled);
      if (menu) return { kind: 'ivr', id: menu.id };
      const room = (tenant.conferences ?? []).find((r) => r.number === dialled);
      return room ? { kind: 'conference', room: room.id } : resolveFeatureCode(tenant, dialled);
    },
    async close() {
      await engine.close();
      mailer?.close();
    },
  };
}
