import fc from 'fast-check';
import * as sdpTransform from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { PCMA, PCMU } from '../codec/payload-type.js';
import { acceptAnswer, answerOffer, createOffer, type LocalMedia } from './sdp-negotiation.js';

const local: LocalMedia = {
  address: '192.0.2.10',
  port: 30000,
  sessionId: '42',
  sessionVersion: 1,
  codecs: [PCMU, PCMA],
  telephoneEvent: true,
};

const sdp = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
const offer = (media: string[], session: string[] = ['c=IN IP4 198.51.100.7']) =>
  sdp(['v=0', 'o=- 1 1 IN IP4 198.51.100.7', 's=-', ...session, 't=0 0', ...media]);

describe('answerOffer (RFC 3264 §6)', () => {
  it('answers a typical desk phone offer with its first codec we speak and its telephone-event type', () => {
    const result = answerOffer(
      offer([
        'm=audio 4000 RTP/AVP 9 8 0 96',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=fmtp:96 0-15',
        'a=sendrecv',
      ]),
      local,
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.remote).toMatchObject({
      address: '198.51.100.7',
      rtpPort: 4000,
      rtcpPort: 4001,
      codec: { codec: PCMA, payloadType: 8 },
      telephoneEventPt: 96,
      direction: 'sendrecv',
      held: false,
    });
    const answer = sdpTransform.parse(result.answer);
    expect(answer.connection?.ip).toBe('192.0.2.10');
    expect(answer.media[0]).toMatchObject({
      port: 30000,
      protocol: 'RTP/AVP',
      payloads: '8 96',
      direction: 'sendrecv',
    });
    expect(answer.media[0]!.rtp.map((r) => r.codec)).toEqual(['PCMA', 'telephone-event']);
  });

  it('accepts static payload types without rtpmap', () => {
    const result = answerOffer(offer(['m=audio 4000 RTP/AVP 0']), local);
    expect(result.ok && result.remote.codec.codec).toBe(PCMU);
    expect(result.ok && result.remote.telephoneEventPt).toBeUndefined();
  });

  it('fails with no-common-codec so the PBX answers 488', () => {
    expect(answerOffer(offer(['m=audio 4000 RTP/AVP 9 18', 'a=rtpmap:9 G722/8000']), local)).toEqual({
      ok: false,
      reason: 'no-common-codec',
    });
    // PCMA offered, but we only speak PCMU on this endpoint.
    expect(answerOffer(offer(['m=audio 4000 RTP/AVP 8']), { ...local, codecs: [PCMU] })).toEqual({
      ok: false,
      reason: 'no-common-codec',
    });
  });

  it('refuses SRTP-only offers and offers without audio', () => {
    expect(answerOffer(offer(['m=audio 4000 RTP/SAVP 0']), local)).toEqual({
      ok: false,
      reason: 'unsupported-transport',
    });
    expect(answerOffer(offer(['m=video 4000 RTP/AVP 96']), local)).toEqual({ ok: false, reason: 'no-audio' });
    expect(answerOffer(offer(['m=audio 0 RTP/AVP 0']), local)).toEqual({ ok: false, reason: 'no-audio' });
  });

  it('mirrors hold: sendonly -> recvonly, inactive -> inactive, c=0.0.0.0 -> recvonly', () => {
    const held = answerOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=sendonly']), local);
    expect(held.ok && [held.remote.direction, held.remote.held]).toEqual(['recvonly', true]);
    const inactive = answerOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=inactive']), local);
    expect(inactive.ok && inactive.remote.direction).toBe('inactive');
    const old = answerOffer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 0.0.0.0']), local);
    expect(old.ok && [old.remote.direction, old.remote.held]).toEqual(['recvonly', true]);
    const recvonly = answerOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=recvonly']), local);
    expect(recvonly.ok && recvonly.remote.direction).toBe('sendonly');
  });

  it('takes the media-level connection and a=rtcp, accepts rtcp-mux, and declines other streams', () => {
    const result = answerOffer(
      offer([
        'm=video 5000 RTP/AVP 96',
        'a=rtpmap:96 H264/90000',
        'm=audio 4000 RTP/AVP 0',
        'c=IN IP4 203.0.113.5',
        'a=rtcp:4444',
        'a=rtcp-mux',
      ]),
      local,
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.remote).toMatchObject({ address: '203.0.113.5', rtcpPort: 4444, rtcpMux: true });
    const answer = sdpTransform.parse(result.answer);
    expect(answer.media.map((m) => [m.type, m.port])).toEqual([
      ['video', 0],
      ['audio', 30000],
    ]);
    expect(answer.media[1]!.rtcpMux).toBe('rtcp-mux');
  });

  it('rejects hostile input without throwing', () => {
    expect(answerOffer('garbage', local)).toEqual({ ok: false, reason: 'unparseable' });
    expect(answerOffer(`${offer(['m=audio 4000 RTP/AVP 0'])}a=x:${'y'.repeat(20000)}\r\n`, local)).toEqual({
      ok: false,
      reason: 'too-large',
    });
    expect(answerOffer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 pbx.example.com']), local)).toEqual({
      ok: false,
      reason: 'bad-connection',
    });
    expect(answerOffer(offer(['m=audio 99999 RTP/AVP 0']), local)).toEqual({
      ok: false,
      reason: 'bad-connection',
    });
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 12 }), (lines) => {
        answerOffer(offer(['m=audio 4000 RTP/AVP 0 8 101', ...lines]), local);
      }),
    );
  });
});

describe('createOffer / acceptAnswer', () => {
  it('offers both G.711 laws and telephone-event, and reads the answer', () => {
    const ours = sdpTransform.parse(createOffer(local));
    expect(ours.media[0]).toMatchObject({
      port: 30000,
      payloads: '0 8 101',
      ptime: 20,
      direction: 'sendrecv',
    });
    expect(ours.media[0]!.fmtp).toEqual([{ payload: 101, config: '0-16' }]);
    const result = acceptAnswer(
      offer(['m=audio 7000 RTP/AVP 8 101', 'a=rtpmap:101 telephone-event/8000']),
      local,
    );
    expect(result.ok && result.remote).toMatchObject({
      rtpPort: 7000,
      codec: { codec: PCMA },
      telephoneEventPt: 101,
    });
    expect(acceptAnswer(offer(['m=audio 0 RTP/AVP 0']), local)).toEqual({ ok: false, reason: 'no-audio' });
  });

  it('offers hold as sendonly and understands the recvonly answer', () => {
    const ours = sdpTransform.parse(createOffer({ ...local, direction: 'sendonly' }));
    expect(ours.media[0]!.direction).toBe('sendonly');
    const result = acceptAnswer(offer(['m=audio 7000 RTP/AVP 0', 'a=recvonly']), {
      ...local,
      direction: 'sendonly',
    });
    expect(result.ok && result.remote.direction).toBe('sendonly');
  });
});
