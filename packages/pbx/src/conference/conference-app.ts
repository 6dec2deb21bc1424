import type { CallMedia } from '../apps/call-media.js';
import { PIN_TRIES_PER_CALL } from '../apps/voice-context.js';
import type { RingOutcome } from '../calls/ring-outcome.js';
import { samePin } from '../voicemail/voicemail-menu.js';
import type { ConferenceRoomConfig } from './conference-config.js';
import { type ConferenceRooms, JOIN_TONE } from './conference-rooms.js';

const PIN_FIRST_DIGIT_MS = 10_000;
const PIN_DIGIT_WAIT_MS = 5000;
const MAX_PIN_DIGITS = 12;
const JOIN_TONE_MS = JOIN_TONE.segments.reduce((sum, segment) => sum + segment.durationMs, 0);

/**
 * A caller entering a conference room (docs/conferences.md): the PIN when
 * the room has one (three tries, then goodbye), "you are joining", the join
 * tone, "you are the only person" when nobody else is there, then the
 * mixed audio of the others until the caller hangs up; the others hear a
 * leave tone then. A full room says so and ends the call.
 */
export async function enterConference(
  media: CallMedia,
  rooms: ConferenceRooms,
  tenantId: string,
  room: ConferenceRoomConfig,
): Promise<RingOutcome | undefined> {
  if (rooms.count(tenantId, room.id) >= room.maxParticipants) {
    await media.play(['conf-full', 'goodbye'], false);
    return undefined;
  }
  if (room.pin !== undefined && !(await askPin(media, room.pin))) return undefined;
  await media.play(['conf-joining', { kind: 'tone', plan: JOIN_TONE, durationMs: JOIN_TONE_MS }], false);
  if (!media.active) return undefined;
  const joined = rooms.join(tenantId, room, { callId: media.call.id, caller: media.call.caller.extension });
  if (!joined) {
    await media.play(['conf-full', 'goodbye'], false);
    return undefined;
  }
  const { endpoint } = media;
  const removeSink = endpoint.addSink(joined.member.participant);
  endpoint.setSource(joined.member.participant);
  try {
    if (joined.alone) await media.play(['conf-only-person'], false);
    // Keys typed in the room mean nothing; the call stays until the caller hangs up.
    await new Promise<void>((resolve) => {
      if (!media.active) resolve();
      else media.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    removeSink();
    endpoint.setSource(undefined);
    joined.leave();
  }
  return undefined;
}

async function askPin(media: CallMedia, pin: string): Promise<boolean> {
  for (let attempt = 0; attempt < PIN_TRIES_PER_CALL && media.active; attempt++) {
    const typed = await media.collect(['conf-enter-pin'], {
      max: MAX_PIN_DIGITS,
      firstTimeout_ms: PIN_FIRST_DIGIT_MS,
      interDigit_ms: PIN_DIGIT_WAIT_MS,
    });
    if (!media.active) return false;
    if (samePin(typed, pin)) return true;
    media.clearDigits();
    await media.play(['conf-wrong-pin'], false);
  }
  if (media.active) await media.play(['goodbye'], false);
  return false;
}
