import { timingSafeEqual } from 'node:crypto';
import { BEEP, calendarParts, type Recorder, sayLanguage, unlinkIfExists } from '@telekommune/media';
import type { CallMedia } from '../apps/call-media.js';
import { PIN_LOCK_AFTER, PIN_LOCK_MS, PIN_TRIES_PER_CALL, type VoiceContext } from '../apps/voice-context.js';
import type { ExtensionConfig, TenantConfig } from '../provisioning/tenant-config.js';
import type { VoicemailFolder, VoicemailMessage } from './voicemail-repository.js';
import type { GreetingKind } from './voicemail-service.js';

const KEY_WAIT_MS = 8000;
const PIN_DIGIT_WAIT_MS = 5000;
/** Timeouts or invalid keys in a row before the menu says goodbye. */
const MAX_IDLE = 3;
const MAX_GREETING_MS = 60_000;

/** Compares a typed PIN in constant time (for its length). */
export function samePin(given: string, pin: string): boolean {
  const a = Buffer.from(given.padEnd(16, ' '));
  const b = Buffer.from(pin.padEnd(16, ' '));
  return a.length === b.length && timingSafeEqual(a, b) && given.length === pin.length;
}

/**
 * The voicemail menu a box owner reaches with *97 (own box) or *98 (any
 * box, PIN protected): the PIN (locked after repeated wrong PINs), the
 * message counts, new and saved messages with their envelope (date, time,
 * caller), replay, save, delete, next and previous, the greetings and the
 * PIN. docs/voicemail.md lists the keys.
 */
export class VoicemailMenu {
  private readonly say = sayLanguage('en');

  constructor(
    private readonly media: CallMedia,
    private readonly voice: VoiceContext,
    private readonly tenant: TenantConfig,
  ) {}

  /** *98: asks for the box number when not dialled with the code. */
  async chooseBox(dialled: string | undefined): Promise<ExtensionConfig | undefined> {
    for (let attempt = 0; attempt < MAX_IDLE && this.media.active; attempt++) {
      const number =
        attempt === 0 && dialled !== undefined
          ? dialled
          : await this.media.collect(['vm-enter-mailbox'], {
              max: 6,
              firstTimeout_ms: KEY_WAIT_MS,
              interDigit_ms: PIN_DIGIT_WAIT_MS,
            });
      const extension = this.voice.directory().extension(this.tenant.id, number);
      if (extension?.voicemail?.enabled) return extension;
      if (number !== '') await this.media.play(['vm-no-such-mailbox']);
    }
    return undefined;
  }

  /** Asks for the PIN; true when it was right. Locked boxes and too many tries end it. */
  async login(extension: ExtensionConfig): Promise<boolean> {
    const box = extension.voicemail;
    if (!box?.enabled) return false;
    const repository = this.voice.voicemail.repository;
    for (let attempt = 0; attempt < PIN_TRIES_PER_CALL && this.media.active; attempt++) {
      const state = await repository.pinState(this.tenant.id, extension.number);
      const now = this.voice.now().toISOString();
      if (state.lockedUntil !== undefined && state.lockedUntil > now) {
        await this.media.play(['vm-locked-out'], false);
        return false;
      }
      const pin = await this.media.collect(['vm-enter-pin'], {
        max: 12,
        firstTimeout_ms: KEY_WAIT_MS,
        interDigit_ms: PIN_DIGIT_WAIT_MS,
      });
      if (!this.media.active) return false;
      if (pin !== '' && samePin(pin, box.pin)) {
        if (state.failures > 0) await repository.clearPinFailures(this.tenant.id, extension.number);
        return true;
      }
      const after = await repository.recordPinFailure(
        this.tenant.id,
        extension.number,
        now,
        PIN_LOCK_AFTER,
        PIN_LOCK_MS,
      );
      this.voice.log(
        'info',
        { tenant: this.tenant.id, box: extension.number, failures: after.failures },
        'wrong voicemail PIN',
      );
      if (after.lockedUntil !== undefined) {
        await this.media.play(['vm-locked-out'], false);
        return false;
      }
      await this.media.play(['vm-wrong-pin']);
    }
    return false;
  }

  /** The main menu, until the caller presses * or stays silent. */
  async run(extension: ExtensionConfig): Promise<void> {
    const box = extension.number;
    let idle = 0;
    let announce = true;
    while (this.media.active && idle < MAX_IDLE) {
      if (announce) {
        const messages = await this.voice.voicemail.repository.listMessages(this.tenant.id, box);
        const fresh = messages.filter((m) => m.folder === 'new').length;
        await this.media.play(this.say.messageCount(fresh, messages.length - fresh));
        announce = false;
      }
      const key = await this.media.collect(['vm-main-menu'], {
        max: 1,
        firstTimeout_ms: KEY_WAIT_MS,
        interDigit_ms: 0,
      });
      switch (key) {
        case '1':
        case '2':
          idle = 0;
          await this.listen(box, key === '1' ? 'new' : 'saved');
          announce = true;
          break;
        case '3':
          idle = 0;
          await this.greetings(box);
          break;
        case '4':
          idle = 0;
          await this.changePin(extension);
          break;
        case '*':
          return;
        case '':
          idle++;
          break;
        default:
          idle++;
          await this.media.play(['ivr-invalid-option']);
      }
    }
  }

  private envelope(message: VoicemailMessage): string[] {
    const zone = this.tenant.timeZone ?? 'UTC';
    return this.say.envelope(
      calendarParts(new Date(message.receivedAt), zone),
      calendarParts(this.voice.now(), zone),
      message.caller,
    );
  }

  private async listen(box: string, folder: VoicemailFolder): Promise<void> {
    const service = this.voice.voicemail;
    const messages = await service.repository.listMessages(this.tenant.id, box, folder);
    if (messages.length === 0) {
      await this.media.play(['vm-no-messages']);
      return;
    }
    await this.media.play(['vm-first-message']);
    let index = 0;
    let play = true;
    let idle = 0;
    while (this.media.active && index < messages.length && idle < MAX_IDLE) {
      const message = messages[index]!;
      if (play) {
        const header = await this.media.play([
          'vm-message',
          ...this.say.number(index + 1),
          ...this.envelope(message),
        ]);
        // A message counts as heard once its audio started; skipping it with a key
        // during the envelope (or typed ahead) leaves it unheard and the lamp on.
        if (header.reason === 'finished') {
          const audio = await this.media.play([{ kind: 'file', path: service.messagePath(message) }]);
          if (audio.playedSamples > 0) await service.markHeard(this.tenant.id, message.id);
        }
        play = false;
      }
      const key = await this.media.collect(['vm-message-menu'], {
        max: 1,
        firstTimeout_ms: 10_000,
        interDigit_ms: 0,
      });
      idle = key === '' ? idle + 1 : 0;
      switch (key) {
        case '1':
          play = true;
          break;
        case '2':
          await service.move(this.tenant.id, message.id, 'saved');
          await this.media.play(['vm-message-saved']);
          index++;
          play = true;
          break;
        case '3':
          await service.delete(this.tenant.id, message.id);
          await this.media.play(['vm-message-deleted']);
          index++;
          play = true;
          break;
        case '5':
          await this.media.play(this.envelope(message));
          break;
        case '6':
          index++;
          play = true;
          break;
        case '4':
          if (index === 0) await this.media.play(['vm-no-previous-message']);
          else {
            index--;
            play = true;
          }
          break;
        case '*':
          return;
        case '':
          break;
        default:
          await this.media.play(['ivr-invalid-option']);
      }
      if (index >= messages.length && play) await this.media.play(['vm-no-more-messages']);
    }
  }

  private async greetings(box: string): Promise<void> {
    while (this.media.active) {
      const key = await this.media.collect(['vm-greetings-menu'], {
        max: 1,
        firstTimeout_ms: KEY_WAIT_MS,
        interDigit_ms: 0,
      });
      const kind: GreetingKind | undefined =
        key === '1' ? 'unavailable' : key === '2' ? 'busy' : key === '3' ? 'name' : undefined;
      if (kind) await this.recordGreeting(box, kind);
      else if (key === '*' || key === '') return;
      else await this.media.play(['ivr-invalid-option']);
    }
  }

  /** Records a greeting after the beep, then: 1 keep, 2 listen, 3 record again. */
  private async recordGreeting(box: string, kind: GreetingKind): Promise<void> {
    const service = this.voice.voicemail;
    const final = service.greetingPath(this.tenant.id, box, kind);
    const draft = final.replace(/\.wav$/, '.new.wav');
    await service.newMessageFile(this.tenant.id, box); // makes the directories
    while (this.media.active) {
      await this.media.play([kind === 'name' ? 'vm-record-name' : 'vm-record-greeting']);
      this.media.clearDigits();
      await this.media.play([{ kind: 'tone', plan: BEEP, durationMs: 500 }], false);
      if (!this.media.active) return;
      let recorder: Recorder;
      try {
        recorder = await this.media.endpoint.record(draft, {
          maxDurationMs: MAX_GREETING_MS,
          maxSilenceMs: 5000,
        });
      } catch {
        await this.media.play(['err-technical'], false);
        return;
      }
      const onKey = ({ digit }: { digit: string }) => {
        if (digit === '#') void recorder.stop({ trimTailMs: 250 });
      };
      this.media.endpoint.on('dtmf', onKey);
      const result = await recorder.done;
      this.media.endpoint.off('dtmf', onKey);
      this.media.clearDigits();
      if (!result.recording || !this.media.active) {
        await unlinkIfExists(draft);
        return;
      }
      if (!result.heardVoice || result.durationMs < 500) {
        await unlinkIfExists(draft);
        await this.media.play(['vm-message-too-short']);
        continue;
      }
      for (;;) {
        const key = await this.media.collect(['vm-review-recording'], {
          max: 1,
          firstTimeout_ms: KEY_WAIT_MS,
          interDigit_ms: 0,
        });
        if (key === '1') {
          await service.keepGreeting(this.tenant.id, box, kind, draft);
          await this.media.play([kind === 'name' ? 'vm-name-saved' : 'vm-greeting-saved']);
          return;
        }
        if (key === '2') {
          await this.media.play([{ kind: 'file', path: draft }]);
          continue;
        }
        break; // 3 (record again) or nothing
      }
      if (!this.media.active) break;
    }
    await unlinkIfExists(draft);
  }

  private async changePin(extension: ExtensionConfig): Promise<void> {
    const ask = (prompt: string) =>
      this.media.collect([prompt], {
        max: 12,
        firstTimeout_ms: KEY_WAIT_MS,
        interDigit_ms: PIN_DIGIT_WAIT_MS,
      });
    const first = await ask('vm-enter-new-pin');
    if (!this.media.active || first === '') return;
    if (!/^[0-9]{4,12}$/.test(first)) {
      await this.media.play(['vm-pin-too-short']);
      return;
    }
    const second = await ask('vm-reenter-new-pin');
    if (second !== first) {
      await this.media.play(['vm-pins-do-not-match']);
      return;
    }
    const changed = await this.voice.updateExtension(this.tenant.id, extension.number, (current) =>
      current.voicemail ? { ...current, voicemail: { ...current.voicemail, pin: first } } : current,
    );
    await this.media.play([changed ? 'vm-pin-changed' : 'err-technical']);
  }
}
