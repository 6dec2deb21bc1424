import { BEEP, type PlayInput, type Recorder, sayLanguage, unlinkIfExists } from '@telekommune/media';
import type { CallMedia } from '../apps/call-media.js';
import type { VoiceContext } from '../apps/voice-context.js';
import type { ApplicationContext } from '../calls/ring-outcome.js';
import type { ExtensionConfig, TenantConfig } from '../provisioning/tenant-config.js';
import { MIN_MESSAGE_MS } from './voicemail-config.js';
import type { RecordingMetadata } from './voicemail-service.js';

const MAX_SILENCE_MS = 10_000;

/**
 * A caller leaves a message in `box` (pbx.md §4): the busy or unavailable
 * greeting (recorded, or the default naming the extension), the beep, then
 * recording until `#`, the maximum length, 10 s of silence, or hang-up
 * (which keeps the message). Messages shorter than a second, or silent,
 * are dropped. The file is written durably as it is recorded
 * (docs/media.md), then stored, which lights the lamp and sends the e-mail.
 */
export async function leaveMessage(
  media: CallMedia,
  voice: VoiceContext,
  tenant: TenantConfig,
  extension: ExtensionConfig,
  context: ApplicationContext,
): Promise<void> {
  const box = extension.voicemail;
  if (!box?.enabled) return;
  const service = voice.voicemail;
  const say = sayLanguage('en');
  const counts = await service.counts(tenant.id, extension.number);
  if (counts.new + counts.old >= box.maxMessages) {
    await media.play(['vm-mailbox-full', 'goodbye'], false);
    return;
  }
  const busy = context.reason === 'busy';
  const recorded = await service.greeting(tenant.id, extension.number, busy ? 'busy' : 'unavailable');
  let greeting: PlayInput[];
  if (recorded) {
    greeting = [{ kind: 'file', path: recorded }];
  } else {
    const name = await service.greeting(tenant.id, extension.number, 'name');
    greeting = [
      ...(name
        ? [{ kind: 'file' as const, path: name }]
        : ['vm-person-at-extension', ...say.extension(extension.number)]),
      busy ? 'vm-is-busy' : 'vm-is-unavailable',
      'vm-leave-message',
    ];
  }
  await media.play(greeting);
  // A key during the greeting skips to the beep.
  media.clearDigits();
  await media.play([{ kind: 'tone', plan: BEEP, durationMs: 500 }], false);
  if (!media.active) return;

  const file = await service.newMessageFile(tenant.id, extension.number);
  const metadata: RecordingMetadata = {
    id: file.id,
    tenantId: tenant.id,
    box: extension.number,
    caller: media.call.caller.extension,
    callerName: media.call.caller.displayName,
    receivedAt: voice.now().toISOString(),
  };
  let recorder: Recorder;
  try {
    recorder = await media.endpoint.record(file.path, {
      maxDurationMs: box.maxMessage_s * 1000,
      maxSilenceMs: MAX_SILENCE_MS,
      metadata,
    });
  } catch (error) {
    voice.log('warn', { box: extension.number, err: String(error) }, 'voicemail recording did not start');
    await media.play(['err-technical'], false);
    return;
  }
  const onKey = ({ digit }: { digit: string }) => {
    // The key's own sound is cut from the end.
    if (digit === '#') void recorder.stop({ trimTailMs: 250 });
  };
  media.endpoint.on('dtmf', onKey);
  const result = await recorder.done;
  media.endpoint.off('dtmf', onKey);
  media.clearDigits();
  const recording = result.recording;
  if (!recording) return;
  if (result.durationMs < MIN_MESSAGE_MS || !result.heardVoice) {
    await unlinkIfExists(recording.path);
    await recording.acknowledge();
    await media.play(['vm-message-too-short', 'goodbye'], false);
    return;
  }
  await service.store(recording, metadata);
  voice.log('info', { tenant: tenant.id, box: extension.number, ms: result.durationMs }, 'voicemail left');
  await media.play(['vm-message-recorded'], false);
}
