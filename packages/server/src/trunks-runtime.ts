import { type CarrierServices, type PbxSipService, SipTrunks, type TenantDirectory } from '@telekommune/pbx';
import type { CarrierRuntime } from './carriers-runtime.js';
import type { Logger } from './logger.js';
import type { Settings } from './settings.js';

/** The carrier runtime as the SIP trunks see it. */
export function carrierServicesOf(runtime: CarrierRuntime): CarrierServices {
  return {
    board: runtime.board,
    decks: runtime.decks,
    billing: runtime.billing,
    fraud: runtime.fraud,
    carriers: () => runtime.carriers(),
    sources: () => runtime.sources(),
    dids: () => runtime.dids(),
    onCut: (listener) => {
      runtime.events.on('cut', listener);
    },
  };
}

/**
 * The SIP trunks of the process (outside calls, carrier calls to DIDs,
 * registrations, health), created before the SIP service so its hooks are
 * in place from the first request; `sip()` is the service once started.
 */
export function createSipTrunks(options: {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly carriers: CarrierRuntime;
  readonly directory: () => TenantDirectory;
  readonly sip: () => PbxSipService;
}): SipTrunks {
  const log = options.logger.child({ part: 'trunks' });
  const ping_ms = options.settings.carrierPing_s * 1000;
  return new SipTrunks({
    services: carrierServicesOf(options.carriers),
    transport: () => options.sip().stack,
    directory: options.directory,
    calls: () => options.sip().registry.active(),
    logger: {
      debug: (detail, message) => log.debug(detail, message),
      info: (detail, message) => log.info(detail, message),
      warn: (detail, message) => log.warn(detail, message),
      error: (detail, message) => log.error(detail, message),
    },
    health: { interval_ms: ping_ms, timeout_ms: Math.min(5_000, ping_ms) },
  });
}
