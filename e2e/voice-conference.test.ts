import { createSocket, type Socket } from 'node:dgram';
import { FRAME_SAMPLES, g711Decode, parseRtpPacket, rmsDbfs } from '@telekommune/media';
import type { ConferenceRoomView } from '@telekommune/pbx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort, freePortBlock } from './support/ports.js';
import { credentials, injection, sipp } from './support/sipp.js';
import { password } from './support/sipp-calls.js';
import { hasTool } from './support/tools.js';
import { speechPcap, type VoiceStep, voiceCall, voiceCallScenario } from './support/voice-sipp.js';

const haveSipp = hasTool('sipp', 'sip-tester');

/** The RTP a listening participant receives: arrival time (ms) and the decoded PCMA samples. */
interface Heard {
  readonly at_ms: number;
  readonly pcm: Int16Array;
}

/**
 * A participant whose SDP names a Node.js socket instead of SIPp's media
 * port: SIPp does the signalling (keys by SIP INFO, so SIPp sends no RTP
 * and the PBX keeps sending to the SDP address), the socket records what
 * the PBX mixes for it.
 */
async function listeningCall(pbx: TestPbx, caller: string, steps: readonly VoiceStep[]) {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const heard: Heard[] = [];
  socket.on('message', (msg) => {
    const parsed = parseRtpPacket(msg);
    if (parsed.ok && parsed.packet.payloadType === 8)
      heard.push({ at_ms: Date.now(), pcm: g711Decode('alaw', parsed.packet.payload) });
  });
  const scenario = voiceCallScenario(steps).replaceAll(
    'm=audio [media_port] RTP/AVP 8 101',
    `m=audio ${socket.address().port} RTP/AVP 8 101`,
  );
  if (!scenario.includes(`m=audio ${socket.address().port} `))
    throw new Error('voice-call.xml lost its m= line');
  const run = sipp(
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf',
      'scenario.xml',
      '-inf',
      'users.csv',
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-mp',
      String(await freePortBlock(4)),
      '-auth_uri',
      `800@acme.test`,
    ],
    {
      files: {
        'scenario.xml': scenario,
        'users.csv': injection([[caller, 'acme.test', credentials(caller, password(caller)), '800']]),
      },
      timeout_s: 60,
    },
  );
  return { run, heard, close: () => socket.close() };
}

/** Frames of 20 ms louder than `threshold_dbfs` among those that arrived within [from, to). */
function loudFrames(heard: readonly Heard[], from_ms: number, to_ms: number, threshold_dbfs: number): number {
  let count = 0;
  for (const { at_ms, pcm } of heard) {
    if (at_ms < from_ms || at_ms >= to_ms) continue;
    for (let start = 0; start + FRAME_SAMPLES <= pcm.length; start += FRAME_SAMPLES)
      if (rmsDbfs(pcm, start, start + FRAME_SAMPLES) > threshold_dbfs) count++;
  }
  return count;
}

/**
 * Conference room 800 (PIN 1234) from SIPp: one caller types the PIN as
 * RFC 4733 events from Debian's pcaps and speaks (g711a.pcap), another
 * (PIN by SIP INFO) listens through a Node.js RTP socket and must hear the
 * speech mixed; the speaker never hears itself; a wrong PIN three times is
 * refused and the caller never enters the room.
 */
describe.runIf(haveSipp)('conference rooms from SIPp', () => {
  let pbx: TestPbx;

  beforeAll(async () => {
    pbx = await startTestPbx();
    await pbx.provision({
      tenants: [
        {
          id: 'acme',
          name: 'ACME',
          domain: 'acme.test',
          extensions: ['1001', '1002', '1003'].map((number) => ({
            number,
            name: `User ${number}`,
            password: password(number),
          })),
          conferences: [{ id: 'standup', name: 'Stand-up', number: '800', pin: '1234', maxParticipants: 5 }],
        },
      ],
    });
  });

  afterAll(async () => {
    await pbx?.close();
  });

  /** Samples the room every 100 ms while `running` is pending; the last view of each caller. */
  async function watchRoom(running: Promise<unknown>) {
    const seen = new Map<string, ConferenceRoomView['participants'][number]>();
    let done = false;
    void running.finally(() => {
      done = true;
    });
    while (!done) {
      for (const room of pbx.running.context.voice.applications.conferences.list('acme'))
        for (const participant of room.participants) seen.set(participant.caller, participant);
      await new Promise((r) => setTimeout(r, 100));
    }
    return seen;
  }

  it('mixes a speaker for a listener, never back to the speaker, and lets both leave', async () => {
    const listener = await listeningCall(pbx, '1002', [
      { pause_ms: 1000 },
      { info: '1234#', gap_ms: 200 },
      { pause_ms: 26_000 },
    ]);
    await new Promise((r) => setTimeout(r, 4000));
    const speakerStart_ms = Date.now();
    const speaker = await voiceCall(
      pbx,
      '1001',
      'acme.test',
      '800',
      [{ keys: '1234#' }, { pause_ms: 5000 }, { play: speechPcap }, { pause_ms: 8000 }],
      { timeout_s: 50 },
    );
    const both = Promise.all([listener.run.done, speaker.done]);
    const [seen, [heard, spoke]] = await Promise.all([watchRoom(both), both]);
    listener.close();
    expect(heard.successful, heard.output).toBe(1);
    expect(spoke.successful, spoke.output).toBe(1);

    // Both were in the room at once; the speaker's 7 s of speech went into the mix.
    const speakerStats = seen.get('1001')?.stats;
    const listenerStats = seen.get('1002')?.stats;
    expect(speakerStats, JSON.stringify([...seen])).toBeDefined();
    expect(listenerStats).toBeDefined();
    expect(speakerStats!.framesIn).toBeGreaterThan(250);
    // The listener heard the speaker's audio for seconds; the speaker, the only one talking, heard nobody.
    expect(listenerStats!.voicedFramesOut).toBeGreaterThan(150);
    expect(speakerStats!.voicedFramesOut).toBe(0);

    // On the wire: speech-level audio reached the listener's socket while the speaker talked
    // (keys ~2 s and the joining prompt ~5 s after the call starts; 7 s of speech; the leave tone after).
    const speech_ms = speakerStart_ms + 7000;
    const loud = loudFrames(listener.heard, speech_ms, speech_ms + 7500, -45);
    expect(loud, `packets heard: ${listener.heard.length}`).toBeGreaterThan(100);
    expect(pbx.running.context.voice.applications.conferences.list('acme')).toEqual([]);
  }, 90_000);

  it('refuses a caller who types a wrong PIN three times: goodbye, hung up, never in the room', async () => {
    const caller = await voiceCall(
      pbx,
      '1003',
      'acme.test',
      '800',
      [
        { pause_ms: 1000 },
        { info: '1111#', gap_ms: 150 },
        { pause_ms: 3500 },
        { info: '2222#', gap_ms: 150 },
        { pause_ms: 3500 },
        { info: '3333#', gap_ms: 150 },
      ],
      { hangup: 'pbx', timeout_s: 60 },
    );
    const [seen, result] = await Promise.all([watchRoom(caller.done), caller.done]);
    expect(result.successful, result.output).toBe(1); // the PBX sent the BYE
    expect(seen.size).toBe(0);
  }, 90_000);
});
