import type { Settings } from '../settings.js';

/** The settings voicemail needs (docs/voicemail.md): resolved with the rest in settings.ts. */
export type VoiceSettings = Pick<Settings, 'voicemailDir' | 'smtpUrl' | 'smtpFrom'>;
