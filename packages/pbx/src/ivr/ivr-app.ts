import { type DtmfDigit, type PlayInput, sayLanguage } from '@telekommune/media';
import type { CallMedia } from '../apps/call-media.js';
import type { VoiceContext } from '../apps/voice-context.js';
import type { RingOutcome } from '../calls/ring-outcome.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import { type Destination, destinationOf } from '../routing/destination.js';
import { DirectoryDialog, type DirectoryEntry } from './directory-dialog.js';
import type { IvrMenuConfig } from './ivr-config.js';
import { scheduleState } from './schedule.js';

/** Menus one call may pass through (menu to menu, back after a failed transfer). */
const MAX_MENU_VISITS = 30;

type Next = { readonly menu: string } | { readonly done: RingOutcome } | { readonly end: true };

/**
 * The auto attendant (docs/ivr.md): plays a menu's greeting, takes a key
 * or an extension number, follows the option to another menu, the
 * directory, or any destination (transferring the caller through the
 * router, with ringback), repeats on no input or an invalid key up to
 * `maxAttempts`, then goes to `failover`. A menu with business hours
 * sends the call to its `closed` (or `holiday`) destination outside them.
 */
export class IvrApp {
  private readonly say = sayLanguage('en');

  constructor(
    private readonly media: CallMedia,
    private readonly voice: VoiceContext,
    private readonly tenant: TenantConfig,
  ) {}

  /** Runs menus starting at `menuId`; resolves with the outcome of a transfer, or `answered` when it ended here. */
  async run(menuId: string): Promise<RingOutcome> {
    let current: string = menuId;
    for (let visit = 0; visit < MAX_MENU_VISITS && this.media.active; visit++) {
      const menu = (this.tenant.ivrs ?? []).find((m) => m.id === current);
      if (!menu) {
        await this.media.play(['err-technical', 'goodbye'], false);
        break;
      }
      const next = await this.visit(menu);
      if ('menu' in next) current = next.menu;
      else if ('done' in next) return next.done;
      else break;
    }
    return { kind: 'answered', by: `ivr:${menuId}` };
  }

  private async visit(menu: IvrMenuConfig): Promise<Next> {
    if (menu.hours) {
      const schedule = (this.tenant.schedules ?? []).find((s) => s.id === menu.hours?.schedule);
      const state = schedule ? scheduleState(schedule, this.tenant.timeZone, this.voice.now()) : 'open';
      if (state !== 'open') {
        const target = state === 'holiday' ? (menu.hours.holiday ?? menu.hours.closed) : menu.hours.closed;
        this.voice.log('debug', { menu: menu.id, state, target }, 'menu closed by its schedule');
        return this.goTo(destinationOf(target), menu);
      }
    }
    const greeting = await this.greeting(menu);
    let failures = 0;
    let notice: PlayInput[] = [];
    while (this.media.active) {
      const key = await this.firstKey([...notice, ...greeting], menu);
      notice = [];
      if (key === undefined) {
        failures++;
        if (failures >= menu.maxAttempts) return this.failover(menu);
        notice = await this.notice(menu.timeoutGreeting, 'ivr-no-input');
        continue;
      }
      const chosen = await this.choose(key, menu);
      if (chosen === 'repeat') {
        failures = 0;
        continue;
      }
      if (chosen === 'invalid' || chosen === 'no-extension') {
        failures++;
        if (failures >= menu.maxAttempts) return this.failover(menu);
        notice =
          chosen === 'no-extension'
            ? ['ivr-invalid-extension']
            : await this.notice(menu.invalidGreeting, 'ivr-invalid-option');
        continue;
      }
      const next = await this.goTo(chosen, menu);
      if (!('menu' in next) || next.menu !== menu.id) return next;
      failures = 0; // back here after a failed transfer
    }
    return { end: true };
  }

  private async greeting(menu: IvrMenuConfig): Promise<PlayInput[]> {
    const items = await this.voice.prompts.resolve(this.tenant.id, menu.greeting).catch((error: unknown) => {
      this.voice.log('warn', { menu: menu.id, err: String(error) }, 'menu greeting unavailable');
      return [];
    });
    return items.length > 0 ? items : ['ivr-welcome'];
  }

  private async notice(greeting: IvrMenuConfig['invalidGreeting'], fallback: string): Promise<PlayInput[]> {
    const items = await this.voice.prompts.resolve(this.tenant.id, greeting).catch(() => []);
    return items.length > 0 ? items : [fallback];
  }

  /** Plays the greeting and waits `timeout_s` for a key. */
  private async firstKey(prompts: readonly PlayInput[], menu: IvrMenuConfig): Promise<DtmfDigit | undefined> {
    await this.media.play(prompts);
    return this.media.nextDigit(menu.timeout_s * 1000);
  }

  /**
   * What a key means: an option, or the first digit of an extension number
   * (more digits follow within `interDigit_ms`; a single digit that is also
   * an option and starts no number acts at once).
   */
  private async choose(
    key: DtmfDigit,
    menu: IvrMenuConfig,
  ): Promise<Destination | 'repeat' | 'invalid' | 'no-extension'> {
    const option = menu.options[key];
    const numbers = this.dialableNumbers();
    const startsNumber = menu.dialExtensions && /[0-9]/.test(key) && numbers.some((n) => n.startsWith(key));
    if (startsNumber) {
      let typed: string = key;
      while (numbers.some((n) => n.startsWith(typed) && n !== typed)) {
        const digit = await this.media.nextDigit(menu.interDigit_ms);
        if (digit === undefined || digit === '#') break;
        typed += digit;
      }
      if (typed.length > 1 || option === undefined) {
        if (this.voice.directory().extension(this.tenant.id, typed))
          return { kind: 'extension', number: typed };
        const group = this.voice.directory().ringGroupByNumber(this.tenant.id, typed);
        if (group) return { kind: 'ringgroup', id: group.id };
        return 'no-extension';
      }
    }
    if (option === undefined) return 'invalid';
    if (option === 'repeat') return 'repeat';
    if (option === 'directory') {
      const picked = await this.directory();
      return picked ? { kind: 'extension', number: picked } : 'repeat';
    }
    return destinationOf(option);
  }

  private dialableNumbers(): string[] {
    return [
      ...this.tenant.extensions.map((e) => e.number),
      ...this.tenant.ringGroups.flatMap((g) => (g.number === undefined ? [] : [g.number])),
    ];
  }

  private async failover(menu: IvrMenuConfig): Promise<Next> {
    return this.goTo(destinationOf(menu.failover), menu);
  }

  /** Follows a destination: another menu here, hang-up here, anything else through the router. */
  private async goTo(destination: Destination, from: IvrMenuConfig): Promise<Next> {
    if (destination.kind === 'ivr') return { menu: destination.id };
    if (destination.kind === 'hangup') {
      await this.media.play(['goodbye'], false);
      return { end: true };
    }
    if (destination.kind === 'extension' || destination.kind === 'ringgroup') {
      await this.media.play(['ivr-transferring'], false);
    }
    const outcome = await this.media.transfer((signal) =>
      this.voice
        .router()
        .route(this.tenant, destination, this.media.call, signal)
        .then((r) => r.outcome),
    );
    if (outcome.kind === 'answered' || !this.media.active) return { done: outcome };
    // Nobody took the call: say why and offer the menu again.
    const why = outcome.kind === 'busy' ? 'err-busy' : 'err-unavailable';
    await this.media.play([why], false);
    return { menu: from.id };
  }

  /** Dial-by-name (directory-dialog.ts). Returns the chosen extension. */
  private async directory(): Promise<string | undefined> {
    return new DirectoryDialog(this.media, this.say, (entry) => this.spokenName(entry)).run(
      this.tenant.extensions,
    );
  }

  /** A person's name: the name recorded for their voicemail, else their directory name spoken by the synthesiser. */
  private async spokenName(entry: DirectoryEntry): Promise<PlayInput[]> {
    const recorded = await this.voice.voicemail
      .greeting(this.tenant.id, entry.number, 'name')
      .catch(() => undefined);
    if (recorded) return [{ kind: 'file', path: recorded }];
    return this.voice.prompts.resolve(this.tenant.id, { text: entry.name }).catch((error: unknown) => {
      this.voice.log('debug', { extension: entry.number, err: String(error) }, 'directory name not spoken');
      return [];
    });
  }
}
