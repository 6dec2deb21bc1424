import { describe, expect, it } from 'vitest';
import { restrictAudioPayloads } from './codec-filter.js';

const offer = [
  'v=0',
  'o=- 1 1 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 4000 RTP/AVP 0 8 9 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=rtcp-fb:9 nack',
  'a=ptime:20',
  'a=sendrecv',
  'm=video 4002 RTP/AVP 96',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

describe('restricting an offer to the codec in use (IVR transfers)', () => {
  it('keeps only the given payloads of the audio stream, with their attributes, in m= line order', () => {
    const out = restrictAudioPayloads(offer, [101, 8]);
    const lines = out.split('\r\n');
    expect(lines).toContain('m=audio 4000 RTP/AVP 8 101');
    expect(lines).toContain('a=rtpmap:8 PCMA/8000');
    expect(lines).toContain('a=rtpmap:101 telephone-event/8000');
    expect(lines).toContain('a=fmtp:101 0-16');
    expect(out).not.toContain('PCMU');
    expect(out).not.toContain('G722');
    expect(out).not.toContain('rtcp-fb:9');
    // Attributes that belong to no payload stay.
    expect(lines).toContain('a=ptime:20');
    expect(lines).toContain('a=sendrecv');
  });

  it('leaves other streams and the session part alone, and keeps the line ends', () => {
    const out = restrictAudioPayloads(offer, [8]);
    expect(out).toContain('m=video 4002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000');
    expect(
      out.startsWith('v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n'),
    ).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const lf = restrictAudioPayloads(offer.replace(/\r\n/g, '\n'), [8]);
    expect(lf).not.toContain('\r');
    expect(lf).toContain('m=audio 4000 RTP/AVP 8\n');
  });

  it('touches only the first audio stream', () => {
    const two = offer.replace(
      'm=video 4002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000',
      'm=audio 4004 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000',
    );
    const out = restrictAudioPayloads(two, [8]);
    expect(out).toContain('m=audio 4000 RTP/AVP 8\r\n');
    expect(out).toContain('m=audio 4004 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000');
  });

  it('keeps the offer as it was when none of the payloads is offered (the callee then refuses it)', () => {
    const out = restrictAudioPayloads(offer, [18]);
    expect(out).toContain('m=audio 4000 RTP/AVP 0 8 9 101');
    expect(out).toBe(offer);
  });

  it('leaves an SDP without audio unchanged', () => {
    const video = 'v=0\r\ns=-\r\nm=video 4002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n';
    expect(restrictAudioPayloads(video, [8])).toBe(video);
    expect(restrictAudioPayloads('', [8])).toBe('');
  });
});
