import { describe, expect, it } from 'vitest';
import { offerWithCodecs } from './offer-codecs.js';

const offer = [
  'v=0',
  'o=- 1 1 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 4000 RTP/AVP 0 8 9 111 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 useinbandfec=1',
  'a=rtcp-fb:111 transport-cc',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
  'm=video 5000 RTP/AVP 96',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

describe('offerWithCodecs', () => {
  it("keeps the listed codecs in the list's order and drops the rest with their attributes", () => {
    const result = offerWithCodecs(offer, ['PCMA', 'PCMU', 'telephone-event']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payloads).toEqual([8, 0, 101]);
    expect(result.sdp).toContain('m=audio 4000 RTP/AVP 8 0 101\r\n');
    expect(result.sdp).toContain('a=fmtp:101 0-16');
    expect(result.sdp).not.toMatch(/a=(rtpmap|fmtp|rtcp-fb):(9|111) /);
    // The other stream and the session lines stay.
    expect(result.sdp).toContain('m=video 5000 RTP/AVP 96');
    expect(result.sdp).toContain('c=IN IP4 192.0.2.10');
  });

  it('compares names without case and reads static payload types without rtpmap', () => {
    const bare = 'v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0 8\n';
    const result = offerWithCodecs(bare, ['pcma']);
    expect(result).toMatchObject({ ok: true, payloads: [8] });
    if (result.ok) expect(result.sdp).toContain('m=audio 4000 RTP/AVP 8\n');
  });

  it('refuses an offer with no voice codec in common (telephone-event alone is not enough)', () => {
    expect(
      offerWithCodecs(offer.replace('RTP/AVP 0 8 9 111 101', 'RTP/AVP 111 101'), ['PCMA', 'telephone-event']),
    ).toEqual({ ok: false, reason: 'no-common-codec' });
    expect(offerWithCodecs('not sdp', ['PCMA'])).toEqual({ ok: false, reason: 'unparseable' });
    expect(offerWithCodecs(offer.replace('m=audio 4000', 'm=audio 0'), ['PCMA'])).toEqual({
      ok: false,
      reason: 'no-audio',
    });
  });
});
