import * as sdpTransform from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { rewriteSdpForRelay } from './relay-sdp.js';

const phone = [
  'v=0',
  'o=alice 2890844526 2890844527 IN IP4 10.0.0.5',
  's=call',
  'c=IN IP4 10.0.0.5',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtcp:49171 IN IP4 10.0.0.5',
  'a=candidate:1 1 UDP 2130706431 10.0.0.5 49170 typ host',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=sendonly',
  'm=video 51372 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  '',
].join('\r\n');

describe('rewriteSdpForRelay', () => {
  it('points the audio stream at the relay and keeps codecs and direction', () => {
    const result = rewriteSdpForRelay(phone, '192.0.2.1', 30002);
    if (!result.ok) throw new Error(result.reason);
    expect(result.media).toEqual({
      address: '10.0.0.5',
      rtpPort: 49170,
      rtcpPort: 49171,
      direction: 'sendonly',
      held: true,
    });
    const out = sdpTransform.parse(result.sdp);
    expect(out.origin).toMatchObject({ username: 'alice', sessionVersion: 2890844527, address: '192.0.2.1' });
    expect(out.connection?.ip).toBe('192.0.2.1');
    const audio = out.media[0]!;
    expect(audio).toMatchObject({ port: 30002, payloads: '0 101', direction: 'sendonly' });
    expect(audio.rtcp).toMatchObject({ port: 30003, address: '192.0.2.1' });
    expect(audio.candidates).toBeUndefined();
    expect(audio.iceUfrag).toBeUndefined();
    expect(audio.rtp.map((r) => r.codec)).toEqual(['PCMU', 'telephone-event']);
    // Only audio is anchored: the video stream is disabled rather than sent around the relay.
    expect(out.media[1]).toMatchObject({ type: 'video', port: 0 });
    expect(result.sdp).not.toContain('10.0.0.5');
  });

  it('keeps rtcp-mux on the RTP port and the old c=0.0.0.0 hold', () => {
    const muxed = rewriteSdpForRelay(
      [
        'v=0',
        'o=- 1 1 IN IP4 0.0.0.0',
        's=-',
        'c=IN IP4 0.0.0.0',
        't=0 0',
        'm=audio 4000 RTP/AVP 8',
        'a=rtcp-mux',
        '',
      ].join('\r\n'),
      '192.0.2.1',
      30002,
    );
    if (!muxed.ok) throw new Error(muxed.reason);
    expect(muxed.media).toMatchObject({ rtcpPort: 4001, held: true });
    expect(sdpTransform.parse(muxed.sdp).connection?.ip).toBe('0.0.0.0');
  });

  it('rejects what it cannot anchor', () => {
    expect(rewriteSdpForRelay('nonsense', '192.0.2.1', 30002)).toEqual({ ok: false, reason: 'unparseable' });
    expect(
      rewriteSdpForRelay(
        [
          'v=0',
          'o=- 1 1 IN IP4 1.2.3.4',
          's=-',
          'c=IN IP4 1.2.3.4',
          't=0 0',
          'm=video 4000 RTP/AVP 96',
          '',
        ].join('\r\n'),
        '192.0.2.1',
        1,
      ),
    ).toEqual({ ok: false, reason: 'no-audio' });
  });
});

describe('rewriteSdpForRelay on hostile input', () => {
  it('never throws and never leaks the party address', async () => {
    const fc = (await import('fast-check')).default;
    const base = ['v=0', 'c=IN IP4 10.9.8.7', 't=0 0', 'm=audio 4000 RTP/AVP 0'];
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 10 }), fc.nat(4), (lines, at) => {
        const all = [...base];
        all.splice(Math.min(at, all.length), 0, ...lines);
        const result = rewriteSdpForRelay(`${all.join('\r\n')}\r\n`, '192.0.2.1', 30000);
        if (result.ok) {
          expect(sdpTransform.parse(result.sdp).media.length).toBeGreaterThan(0);
          expect(result.sdp).toContain('m=audio 30000');
        }
      }),
    );
  });

  it('copes with a missing o= line', () => {
    const result = rewriteSdpForRelay(
      ['v=0', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n'),
      '192.0.2.1',
      30000,
    );
    if (!result.ok) throw new Error(result.reason);
    expect(result.sdp).toMatch(/^o=- 1 1 IN IP4 192\.0\.2\.1\r?$/m);
  });
});
