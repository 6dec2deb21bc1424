import { join, resolve } from 'node:path';
import { SettingsError } from '../settings.js';

/** Voicemail settings (docs/voicemail.md), read from the environment. */
export interface VoiceSettings {
  /** Where voicemail messages and greetings are kept. */
  readonly voicemailDir: string;
  /** SMTP server for voicemail e-mail, e.g. smtp://user:pass@mail.example:587; none: no e-mail. */
  readonly smtpUrl: string | undefined;
  /** Sender of voicemail e-mail. */
  readonly smtpFrom: string;
}

export function resolveVoiceSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): VoiceSettings {
  const smtpUrl = env.TK_SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/i.test(smtpUrl)) {
    throw new SettingsError(`invalid TK_SMTP_URL: "${smtpUrl}" is not an smtp:// or smtps:// URL`);
  }
  const from = env.TK_SMTP_FROM?.trim() || 'Telekommune Voicemail <voicemail@telekommune.localhost>';
  const dir = env.TK_VOICEMAIL_DIR?.trim();
  return { voicemailDir: dir ? resolve(dir) : join(dataDir, 'voicemail'), smtpUrl, smtpFrom: from };
}
