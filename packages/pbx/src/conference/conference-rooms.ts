import {
  ConferenceMixer,
  type MediaClock,
  type MixerParticipant,
  type MixerParticipantStats,
  type TonePlan,
  ToneSource,
} from '@telekommune/media';
import { type ConferenceRoomConfig, MAX_CONFERENCE_PARTICIPANTS } from './conference-config.js';

/** Heard by everyone in the room when someone joins: two short rising beeps. */
export const JOIN_TONE: TonePlan = {
  name: 'conference-join',
  segments: [
    { frequencies: [600], durationMs: 120 },
    { frequencies: [], durationMs: 40 },
    { frequencies: [900], durationMs: 160 },
  ],
  repeat: false,
};

/** Heard by the others when someone leaves: the same beeps falling. */
export const LEAVE_TONE: TonePlan = {
  name: 'conference-leave',
  segments: [
    { frequencies: [900], durationMs: 120 },
    { frequencies: [], durationMs: 40 },
    { frequencies: [600], durationMs: 160 },
  ],
  repeat: false,
};

/** One caller in a room, as the API and tests see it. */
export interface ConferenceMember {
  readonly callId: string;
  readonly caller: string;
  readonly joinedAt: Date;
  readonly participant: MixerParticipant;
}

export interface ConferenceRoomView {
  readonly tenantId: string;
  readonly room: string;
  readonly participants: readonly {
    readonly callId: string;
    readonly caller: string;
    readonly joinedAt: string;
    readonly stats: MixerParticipantStats;
  }[];
}

interface LiveRoom {
  readonly mixer: ConferenceMixer;
  readonly members: Set<ConferenceMember>;
}

/**
 * The rooms with callers in them, across tenants: one mixer per room,
 * created with its first caller and dropped with its last. A room's limit
 * is its `maxParticipants`, checked when a caller joins.
 */
export class ConferenceRooms {
  private readonly live = new Map<string, LiveRoom>();

  constructor(
    private readonly mediaClock: MediaClock,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Callers in a room now. */
  count(tenantId: string, room: string): number {
    return this.live.get(key(tenantId, room))?.members.size ?? 0;
  }

  /**
   * Puts a caller into a room: the others hear the join tone (the caller
   * hears it as a prompt before joining). Undefined when the room is full. The member leaves with
   * `leave` (the others hear the leave tone).
   */
  join(
    tenantId: string,
    room: ConferenceRoomConfig,
    caller: { readonly callId: string; readonly caller: string },
  ): { member: ConferenceMember; alone: boolean; leave: () => void } | undefined {
    const id = key(tenantId, room.id);
    let live = this.live.get(id);
    if (live && live.members.size >= room.maxParticipants) return undefined;
    if (!live) {
      live = {
        mixer: new ConferenceMixer(this.mediaClock, { maxParticipants: MAX_CONFERENCE_PARTICIPANTS }),
        members: new Set(),
      };
      this.live.set(id, live);
    }
    const participant = live.mixer.join();
    if (!participant) return undefined;
    const member: ConferenceMember = { ...caller, joinedAt: this.now(), participant };
    for (const other of live.members) other.participant.overlay(new ToneSource(JOIN_TONE));
    live.members.add(member);
    const joined = live;
    return {
      member,
      alone: live.members.size === 1,
      leave: () => {
        if (!joined.members.delete(member)) return;
        participant.leave();
        for (const other of joined.members) other.participant.overlay(new ToneSource(LEAVE_TONE));
        if (joined.members.size === 0 && this.live.get(id) === joined) this.live.delete(id);
      },
    };
  }

  /** The rooms of a tenant with callers in them (all tenants without `tenantId`). */
  list(tenantId?: string): ConferenceRoomView[] {
    const views: ConferenceRoomView[] = [];
    for (const [id, live] of this.live) {
      const [tenant, room] = id.split('\u0000') as [string, string];
      if (tenantId !== undefined && tenant !== tenantId) continue;
      views.push({
        tenantId: tenant,
        room,
        participants: [...live.members].map((m) => ({
          callId: m.callId,
          caller: m.caller,
          joinedAt: m.joinedAt.toISOString(),
          stats: m.participant.stats(),
        })),
      });
    }
    return views;
  }
}

function key(tenantId: string, room: string): string {
  return `${tenantId}\u0000${room}`;
}
