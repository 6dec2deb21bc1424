import * as sdpTransform from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { bridgedAnswer } from './bridged-answer.js';

/** A caller's offer: PCMU, PCMA and telephone-event 101, plus a video stream. */
const caller = [
  'v=0',
  'o=alice 2890844526 2890844527 IN IP4 10.0.0.5',
  's=call',
  'c=IN IP4 10.0.0.5',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'm=video 51372 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  '',
].join('\r\n');

/** A picker's offer as the relay hands it on: PCMA first, telephone-event under 96, at the relay. */
const picker = [
  'v=0',
  'o=bob 77 3 IN IP4 192.0.2.1',
  's=-',
  'c=IN IP4 192.0.2.1',
  't=0 0',
  'm=audio 30000 RTP/AVP 8 0 96',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:96 telephone-event/8000',
  'a=rtcp:30001 IN IP4 192.0.2.1',
  '',
].join('\r\n');

describe('bridgedAnswer', () => {
  it('answers the offer at the peer address with the formats both offered under the same payload type', () => {
    const result = bridgedAnswer(caller, picker);
    if (!result.ok) throw new Error(result.reason);
    const answer = sdpTransform.parse(result.sdp);
    expect(answer.connection?.ip).toBe('192.0.2.1');
    expect(answer.origin).toMatchObject({ sessionId: 77, sessionVersion: 3, address: '192.0.2.1' });
    expect(answer.media).toHaveLength(2);
    const [audio, video] = answer.media;
    expect(audio).toMatchObject({ type: 'audio', port: 30000, payloads: '0 8', direction: 'sendrecv' });
    // telephone-event is 101 for one and 96 for the other: the relay does not map payload types.
    expect(audio?.rtp.map((r) => r.payload)).toEqual([0, 8]);
    expect(audio?.fmtp).toEqual([]);
    expect(audio?.rtcp).toMatchObject({ port: 30001, address: '192.0.2.1' });
    expect(video).toMatchObject({ type: 'video', port: 0 });
  });

  it('keeps telephone-event when both use the same payload type, and answers hold with recvonly', () => {
    const held = caller.replace('a=ptime:20', 'a=ptime:20\r\na=sendonly');
    const result = bridgedAnswer(held, picker.replaceAll(' 96', ' 101').replace(':96', ':101'));
    if (!result.ok) throw new Error(result.reason);
    const [audio] = sdpTransform.parse(result.sdp).media;
    expect(audio).toMatchObject({ payloads: '0 8 101', direction: 'recvonly' });
    expect(audio?.fmtp).toEqual([{ payload: 101, config: '0-15' }]);
  });

  it('refuses offers with nothing in common, without audio, or unusable', () => {
    const g722 = picker.replace('8 0 96', '9').replace(/a=rtpmap:[08] .*\r\n/g, '');
    expect(bridgedAnswer(caller, g722)).toEqual({ ok: false, reason: 'no-common-codec' });
    const onlyEvents = picker.replace('8 0 96', '101').replace(':96', ':101');
    expect(bridgedAnswer(caller, onlyEvents)).toEqual({ ok: false, reason: 'no-common-codec' });
    expect(bridgedAnswer(caller, picker.replace('m=audio', 'm=video'))).toEqual({
      ok: false,
      reason: 'no-audio',
    });
    expect(bridgedAnswer(caller, picker.replaceAll('192.0.2.1', 'relay.example'))).toEqual({
      ok: false,
      reason: 'bad-connection',
    });
    expect(bridgedAnswer('hello', picker)).toEqual({ ok: false, reason: 'unparseable' });
  });
});
