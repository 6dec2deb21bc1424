import { type PortRange, RtpRelay } from '@telekommune/media';
import { afterEach, describe, expect, it } from 'vitest';
import type { HoldMusicPlayer } from './b2bua-environment.js';
import { CallHoldMusic } from './call-hold-music.js';
import type { Side } from './in-dialog-relay.js';

const sdp = (port: number, direction: string) =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=${direction}\r\n`;

let portBase = 42_000 + 4 * Math.floor(Math.random() * 2000);
const relays: RtpRelay[] = [];
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
});

/** A call through a real relay: a at 127.0.0.1:4000 and b at :5000 sent sendrecv SDP. */
async function setup(options: { eligible?: () => boolean; failPlayer?: boolean } = {}) {
  const range: PortRange = { min: portBase, max: portBase + 40 };
  portBase += 44;
  const relay = new RtpRelay({ bindAddress: '127.0.0.1', portRange: range });
  relays.push(relay);
  const call = await relay.createCall('call-1');
  const lastSdp: Record<Side, string | undefined> = { a: sdp(4000, 'sendrecv'), b: sdp(5000, 'recvonly') };
  call.rewrite('a', lastSdp.a!);
  call.rewrite('b', lastSdp.b!);
  const offers: string[] = [];
  const closed: number[] = [];
  let made = 0;
  const music = new CallHoldMusic({
    player: async (): Promise<HoldMusicPlayer> => {
      if (options.failPlayer) throw new Error('no ports');
      const id = ++made;
      return {
        answer: (offer) => {
          offers.push(offer);
          return sdp(6000 + id, 'sendonly');
        },
        close: async () => {
          closed.push(id);
        },
      };
    },
    relayCall: () => call,
    lastSdp: (side) => lastSdp[side],
    eligible: options.eligible ?? (() => true),
    log: () => undefined,
  });
  return { call, music, lastSdp, offers, closed };
}

describe('music on hold for one call', () => {
  it('stands in for the holder at the relay, offered the held party media pointed at the holder’s relay port', async () => {
    const { call, music, lastSdp, offers, closed } = await setup();
    lastSdp.a = sdp(4000, 'sendonly');
    await music.changed('a', lastSdp.a);
    expect(music.holder).toBe('a');
    expect(offers).toHaveLength(1);
    // The player sends where a sent: the relay's port for a, with b's codec.
    expect(offers[0]).toContain(`m=audio ${call.portFor('a')} RTP/AVP 0`);
    expect(offers[0]).toContain('a=recvonly');
    // The relay's leg for a now faces the player (sendonly: the call counts as held).
    expect(call.held).toBe(true);
    // New SDP from b, or a repeating its hold (a session refresh), leaves the music be.
    expect(music.stillHolding('b', sdp(5002, 'sendrecv'))).toBeUndefined();
    const refresh = music.stillHolding('a', sdp(4000, 'sendonly'));
    expect(refresh).toContain(`m=audio ${call.portFor('b')} RTP/AVP 0`);
    expect(music.holder).toBe('a');
    expect(closed).toEqual([]);
    // a's resume re-points the leg: the music ends.
    expect(music.stillHolding('a', sdp(4000, 'sendrecv'))).toBeUndefined();
    expect(closed).toEqual([1]);
    expect(music.holder).toBeUndefined();
  });

  it('plays nothing for a session change that does not hold, or when the call may not have music', async () => {
    const first = await setup();
    await first.music.changed('a', sdp(4000, 'sendrecv'));
    expect(first.music.holder).toBeUndefined();
    expect(first.offers).toEqual([]);
    const second = await setup({ eligible: () => false });
    await second.music.changed('a', sdp(4000, 'inactive'));
    expect(second.offers).toEqual([]);
    const third = await setup({ failPlayer: true });
    await third.music.changed('b', sdp(5000, 'sendonly'));
    expect(third.music.holder).toBeUndefined();
  });

  it('drops a player that arrives after the holder resumed, and stops with the call', async () => {
    const { music, lastSdp, closed } = await setup();
    const hold = sdp(4000, 'inactive');
    lastSdp.a = hold;
    const starting = music.changed('a', hold);
    lastSdp.a = sdp(4000, 'sendrecv'); // resumed while the player was being made
    await starting;
    expect(music.holder).toBeUndefined();
    expect(closed).toEqual([1]);
    lastSdp.a = hold;
    await music.changed('a', hold);
    expect(music.holder).toBe('a');
    music.stop();
    music.stop();
    expect(closed).toEqual([1, 2]);
  });

  it('stands in for a party that left, until whoever takes its place sends SDP (even SDP that holds)', async () => {
    const { call, music, offers, closed } = await setup({ eligible: () => false });
    let wanted = true;
    await music.standIn('a', () => wanted);
    expect(music.holder).toBe('a');
    expect(offers[0]).toContain(`m=audio ${call.portFor('a')} RTP/AVP 0`);
    expect(music.stillHolding('a', sdp(7000, 'sendonly'))).toBeUndefined();
    expect(closed).toEqual([1]);
    wanted = false;
    await music.standIn('a', () => wanted);
    expect(music.holder).toBeUndefined();
    expect(closed).toEqual([1, 2]);
  });
});
