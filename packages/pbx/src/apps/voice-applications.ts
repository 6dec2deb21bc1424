import type { ApplicationContext, RingOutcome } from '../calls/ring-outcome.js';
import { enterConference } from '../conference/conference-app.js';
import { ConferenceRooms } from '../conference/conference-rooms.js';
import { runFeature } from '../features/feature-app.js';
import type { FeatureName } from '../features/feature-codes-config.js';
import { featureNames } from '../features/feature-codes-config.js';
import { IvrApp } from '../ivr/ivr-app.js';
import type { B2buaCall } from '../sip/b2bua-call.js';
import { leaveMessage } from '../voicemail/leave-message.js';
import { CallMedia } from './call-media.js';
import type { VoiceContext } from './voice-context.js';

/** Applications one call may enter inside each other (IVR -> voicemail ...). */
const MAX_DEPTH = 8;

/**
 * The PBX's voice applications behind `B2buaEnvironment.application`:
 * `voicemail:BOX` (leave a message), `ivr:MENU` (the auto attendant),
 * `conference:ROOM` (a conference room) and `feature:NAME[:ARGUMENT]`
 * (feature codes). The first application on a
 * call answers the caller with a media endpoint; later ones on the same
 * call (an IVR option leading to voicemail) reuse it. When the outermost
 * one ends, the call is hung up unless a callee took it over.
 */
export class VoiceApplications {
  private readonly sessions = new WeakMap<B2buaCall, CallMedia>();
  private rooms: ConferenceRooms | undefined;

  constructor(private readonly voice: VoiceContext) {}

  /** The conference rooms with callers in them (one mixer each, on the engine's media clock). */
  get conferences(): ConferenceRooms {
    this.rooms ??= new ConferenceRooms(this.voice.engine.mediaClock, this.voice.now);
    return this.rooms;
  }

  /** For `PbxSipServiceOptions.application`. */
  readonly handle = async (
    call: B2buaCall,
    label: string,
    _signal: AbortSignal,
    context: ApplicationContext,
  ): Promise<RingOutcome> => {
    const colon = label.indexOf(':');
    const kind = colon > 0 ? label.slice(0, colon) : label;
    const rest = colon > 0 ? label.slice(colon + 1) : '';
    const directory = this.voice.directory();
    const tenant = directory.tenant(call.tenant.id) ?? call.tenant;
    let run: ((media: CallMedia) => Promise<RingOutcome | undefined>) | undefined;
    switch (kind) {
      case 'voicemail': {
        const extension = directory.extension(tenant.id, rest);
        if (extension?.voicemail?.enabled) {
          run = async (media) => {
            await leaveMessage(media, this.voice, tenant, extension, context);
            return undefined;
          };
        }
        break;
      }
      case 'ivr':
        if ((tenant.ivrs ?? []).some((menu) => menu.id === rest)) {
          run = (media) => new IvrApp(media, this.voice, tenant).run(rest);
        }
        break;
      case 'conference': {
        const room = (tenant.conferences ?? []).find((r) => r.id === rest);
        if (room) run = (media) => enterConference(media, this.conferences, tenant.id, room);
        break;
      }
      case 'feature': {
        const [name, argument] = rest.split(':');
        const caller = directory.extension(tenant.id, call.caller.extension);
        if (caller && featureNames.includes(name as FeatureName)) {
          run = async (media) => {
            await runFeature(media, this.voice, tenant, caller, name as FeatureName, argument);
            return undefined;
          };
        }
        break;
      }
      default:
        break;
    }
    const existing = this.sessions.get(call);
    if (!run) {
      if (existing?.active) await existing.play(['err-unavailable'], false);
      return { kind: 'unavailable', reason: `${kind} is not available` };
    }
    let media = existing;
    if (!media) {
      const answered = await CallMedia.answer(call, this.voice.engine, label);
      if (!(answered instanceof CallMedia)) return answered;
      media = answered;
      this.sessions.set(call, media);
    }
    if (media.depth >= MAX_DEPTH || !media.active) {
      if (media.depth === 0) media.hangup();
      return { kind: 'unavailable', reason: 'too many applications on one call' };
    }
    media.depth++;
    let outcome: RingOutcome | undefined;
    try {
      outcome = await run(media);
    } catch (error) {
      this.voice.log(
        'warn',
        { call: call.id, application: label, err: String(error) },
        'voice application failed',
      );
    } finally {
      media.depth--;
      if (media.depth === 0) media.hangup();
    }
    return outcome ?? { kind: 'answered', by: label };
  };
}
