import { FRAME_SAMPLES, ManualClock, MediaClock } from '@telekommune/media';
import { describe, expect, it } from 'vitest';
import type { ConferenceRoomConfig } from './conference-config.js';
import { ConferenceRooms } from './conference-rooms.js';

const room: ConferenceRoomConfig = { id: 'standup', name: 'Stand-up', maxParticipants: 2 };

function setup() {
  const manual = new ManualClock(0);
  const clock = new MediaClock({ clock: manual, timers: manual });
  return { manual, clock, rooms: new ConferenceRooms(clock, () => new Date(0)) };
}

function heard(rooms: ConferenceRooms, index: number): number {
  const participant = rooms.list()[0]?.participants[index];
  return participant?.stats.framesOut ?? -1;
}

describe('ConferenceRooms', () => {
  it('keeps one mixer per tenant and room, refuses callers beyond the limit, drops the room with its last caller', () => {
    const { manual, clock, rooms } = setup();
    const first = rooms.join('acme', room, { callId: 'c1', caller: '1001' })!;
    expect(first.alone).toBe(true);
    const second = rooms.join('acme', room, { callId: 'c2', caller: '1002' })!;
    expect(second.alone).toBe(false);
    expect(rooms.join('acme', room, { callId: 'c3', caller: '1003' })).toBeUndefined();
    // Same room id in another tenant is another room.
    const other = rooms.join('beta', room, { callId: 'c4', caller: '1001' })!;
    expect(other.alone).toBe(true);
    expect(rooms.count('acme', 'standup')).toBe(2);
    manual.advance(40);
    expect(heard(rooms, 0)).toBe(2);
    first.leave();
    first.leave();
    expect(rooms.count('acme', 'standup')).toBe(1);
    second.leave();
    other.leave();
    expect(rooms.list()).toEqual([]);
    expect(clock.size).toBe(0);
  });

  it('plays the join tone to the others when someone joins and the leave tone to the others when someone leaves', () => {
    const { manual, rooms } = setup();
    const a = rooms.join('acme', room, { callId: 'c1', caller: '1001' })!;
    const frame = new Int16Array(FRAME_SAMPLES);
    const drain = (p: typeof a.member.participant) => {
      let loud = 0;
      while (p.read(frame)) if (frame.some((s) => s !== 0)) loud++;
      return loud;
    };
    manual.advance(60);
    expect(drain(a.member.participant)).toBe(0); // alone: nobody joined
    const b = rooms.join('acme', room, { callId: 'c2', caller: '1002' })!;
    manual.advance(60);
    expect(drain(a.member.participant)).toBeGreaterThan(0); // B joined
    manual.advance(400);
    drain(a.member.participant);
    manual.advance(60);
    expect(drain(a.member.participant)).toBe(0); // quiet room
    b.leave();
    manual.advance(60);
    expect(drain(a.member.participant)).toBeGreaterThan(0); // B left
    a.leave();
  });
});
