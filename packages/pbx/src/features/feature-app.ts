import { BEEP, sayLanguage } from '@telekommune/media';
import type { CallMedia } from '../apps/call-media.js';
import type { VoiceContext } from '../apps/voice-context.js';
import type { ExtensionConfig, TenantConfig } from '../provisioning/tenant-config.js';
import { VoicemailMenu } from '../voicemail/voicemail-menu.js';
import type { FeatureName } from './feature-codes-config.js';

const ECHO_MAX_MS = 120_000;

type ForwardRule = 'always' | 'busy' | 'noAnswer';

const forwardOn: Partial<Record<FeatureName, { rule: ForwardRule; prompt: string }>> = {
  forwardAllOn: { rule: 'always', prompt: 'fc-forward-all-enabled' },
  forwardBusyOn: { rule: 'busy', prompt: 'fc-forward-busy-enabled' },
  forwardNoAnswerOn: { rule: 'noAnswer', prompt: 'fc-forward-no-answer-enabled' },
};
const forwardOff: Partial<Record<FeatureName, { rule: ForwardRule; prompt: string }>> = {
  forwardAllOff: { rule: 'always', prompt: 'fc-forward-all-disabled' },
  forwardBusyOff: { rule: 'busy', prompt: 'fc-forward-busy-disabled' },
  forwardNoAnswerOff: { rule: 'noAnswer', prompt: 'fc-forward-no-answer-disabled' },
};

/**
 * Runs a feature code the caller dialled (pbx.md §4, docs/feature-codes.md):
 * voicemail, forwarding on and off, DND on and off, the echo test. Each
 * change is stored in the caller's extension (so `export` shows it) and
 * confirmed by voice.
 */
export async function runFeature(
  media: CallMedia,
  voice: VoiceContext,
  tenant: TenantConfig,
  caller: ExtensionConfig,
  feature: FeatureName,
  argument: string | undefined,
): Promise<void> {
  const say = sayLanguage('en');
  const update = (change: (e: ExtensionConfig) => ExtensionConfig) =>
    voice.updateExtension(tenant.id, caller.number, change);

  if (feature === 'voicemail' || feature === 'voicemailAny') {
    const menu = new VoicemailMenu(media, voice, tenant);
    const box =
      feature === 'voicemail'
        ? caller.voicemail?.enabled
          ? caller
          : undefined
        : await menu.chooseBox(argument);
    if (!box) {
      await media.play(['vm-no-such-mailbox', 'goodbye'], false);
      return;
    }
    if (!(await menu.login(box))) {
      await media.play(['goodbye'], false);
      return;
    }
    await menu.run(box);
    await media.play(['goodbye'], false);
    return;
  }
  if (feature === 'echoTest') {
    await media.play(['fc-echo-test']);
    media.clearDigits();
    await media.play([{ kind: 'tone', plan: BEEP, durationMs: 500 }], false);
    const echo = media.endpoint.startEcho();
    const started = Date.now();
    while (media.active && Date.now() - started < ECHO_MAX_MS) {
      const digit = await media.nextDigit(ECHO_MAX_MS - (Date.now() - started));
      if (digit === '#' || digit === undefined) break;
    }
    media.endpoint.stopEcho(echo);
    await media.play(['fc-echo-test-ended', 'goodbye'], false);
    return;
  }
  if (feature === 'dndOn' || feature === 'dndOff') {
    const on = feature === 'dndOn';
    const ok = await update((e) => ({ ...e, dnd: on }));
    await media.play(
      [ok ? (on ? 'fc-dnd-enabled' : 'fc-dnd-disabled') : 'fc-not-available', 'goodbye'],
      false,
    );
    return;
  }
  const off = forwardOff[feature];
  if (off) {
    const ok = await update((e) => {
      const { [off.rule]: _removed, ...rest } = e.forward ?? {};
      const { forward: _old, ...withoutForward } = e;
      return Object.keys(rest).length > 0 ? { ...withoutForward, forward: rest } : withoutForward;
    });
    await media.play([ok ? off.prompt : 'fc-not-available', 'goodbye'], false);
    return;
  }
  const on = forwardOn[feature];
  if (on) {
    const number =
      argument ??
      (await media.collect(['fc-enter-forward-number'], {
        max: 20,
        firstTimeout_ms: 10_000,
        interDigit_ms: 4000,
      }));
    if (!media.active) return;
    const target = forwardTarget(voice, tenant, caller, number);
    if (!target) {
      await media.play(['fc-invalid-number', 'goodbye'], false);
      return;
    }
    const ok = await update((e) => ({ ...e, forward: { ...e.forward, [on.rule]: target } }));
    if (!ok) {
      await media.play(['fc-not-available', 'goodbye'], false);
      return;
    }
    await media.play([on.prompt, 'fc-forwarding-to', ...say.digits(number), 'goodbye'], false);
  }
}

/** Where a dialled forwarding number goes: an extension or ring group of the tenant, else outside. */
function forwardTarget(
  voice: VoiceContext,
  tenant: TenantConfig,
  caller: ExtensionConfig,
  number: string,
): string | undefined {
  if (number === caller.number || !/^\+?[0-9]{2,20}$/.test(number)) return undefined;
  const directory = voice.directory();
  if (directory.extension(tenant.id, number)) return `extension:${number}`;
  const group = directory.ringGroupByNumber(tenant.id, number);
  if (group) return `ringgroup:${group.id}`;
  // Short numbers that are no extension are a typo, not an outside call.
  if (number.length <= 6) return undefined;
  return `number:${number}`;
}
