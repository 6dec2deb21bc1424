import type { MediaEngine } from '@telekommune/media';
import type { CallRouter } from '../calls/call-router.js';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { TenantPrompts } from '../ivr/tenant-prompts.js';
import type { ExtensionConfig } from '../provisioning/tenant-config.js';
import type { VoicemailService } from '../voicemail/voicemail-service.js';

/**
 * Changes an extension's stored configuration (feature codes, a PIN changed
 * from the phone) exactly as an `apply` of the tenant would: validated,
 * stored, and visible in `export`. False when the extension is gone or the
 * change is refused.
 */
export type ExtensionUpdater = (
  tenantId: string,
  number: string,
  change: (extension: ExtensionConfig) => ExtensionConfig,
) => Promise<boolean>;

/** What the voice applications need from the process. */
export interface VoiceContext {
  readonly engine: MediaEngine;
  readonly directory: () => TenantDirectory;
  readonly router: () => CallRouter;
  readonly voicemail: VoicemailService;
  readonly prompts: TenantPrompts;
  readonly updateExtension: ExtensionUpdater;
  /** Wall clock (injectable: business hours in tests). */
  readonly now: () => Date;
  readonly log: (level: 'debug' | 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
}

/** Wrong PINs in a row that lock a box, and for how long. */
export const PIN_LOCK_AFTER = 5;
export const PIN_LOCK_MS = 15 * 60_000;
/** Wrong PINs one call may try before it is ended. */
export const PIN_TRIES_PER_CALL = 3;
