import type { RemoteInfo } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { type AudioSink, type AudioSource, FRAME_MS, FRAME_SAMPLES } from '../audio/audio-frame.js';
import type { MonotonicClock, TimerHandle, TimerScheduler } from '../clock/clock.js';
import type { MediaClock, PacedTask, PacedTick } from '../clock/media-clock.js';
import { g711EncodeInto, g711SilenceCode } from '../codec/g711.js';
import type { AudioCodec } from '../codec/payload-type.js';
import type { DtmfDigit, DtmfEvent } from '../dtmf/dtmf-digit.js';
import { DtmfSender } from '../dtmf/dtmf-sender.js';
import { renderDtmfTones } from '../dtmf/dtmf-tones.js';
import { parseSipInfoDtmf, type SipInfoDtmfResult } from '../dtmf/sip-info-dtmf.js';
import { MediaError } from '../errors.js';
import type { ClipResolver, PlayInput } from '../player/play-item.js';
import { type PlaybackResult, type PlayOptions, PromptPlayer } from '../player/prompt-player.js';
import { EchoSource } from '../recorder/echo-source.js';
import { Recorder, type RecorderOptions } from '../recorder/recorder.js';
import { LatchingSocket } from '../relay/latching-socket.js';
import type { LocalRtpRoutes } from '../relay/local-rtp-routes.js';
import { isRtcpPacketType, parseRtpPacket, RTP_HEADER_SIZE } from '../rtp/rtp-packet.js';
import { RtpSender } from '../rtp/rtp-sender.js';
import { InboundStream } from './inbound-stream.js';
import { type MediaDirection, receives, sends } from './media-direction.js';
import type { PortPair } from './port-allocator.js';
import { RtcpSession } from './rtcp-session.js';
import {
  type AcceptResult,
  type AnswerResult,
  acceptAnswer,
  answerOffer,
  createOffer,
  type LocalMedia,
  type RemoteMedia,
} from './sdp-negotiation.js';

export interface MediaEndpointEvents {
  /** A key press, from RFC 4733 (reported at its first packet) or SIP INFO. */
  dtmf: [DtmfEvent];
  /** The end of an RFC 4733 key press, with its duration. */
  'dtmf-end': [DtmfEvent];
  /** No RTP for `rtpTimeoutMs` while the peer should be sending: the call's media is dead. */
  timeout: [];
  /** The peer sent RTCP BYE. */
  bye: [];
  closed: [];
}

export interface MediaEndpointConfig {
  readonly codecs: readonly AudioCodec[];
  readonly telephoneEvent: boolean;
  /** Address written into SDP (the public one when behind NAT). */
  readonly advertisedAddress: string;
  /** Send to where the peer's packets come from (RFC 4961 symmetric RTP; NAT). */
  readonly symmetricRtp: boolean;
  /** Send silence when nothing plays (keeps NAT bindings and peers' jitter buffers fed). */
  readonly sendSilenceWhenIdle: boolean;
  /** Media is dead after this long without RTP (0: never). */
  readonly rtpTimeoutMs: number;
  /** Prompt language for `play`. */
  readonly language: string;
  readonly cname: string;
}

export interface MediaEndpointDeps {
  readonly ports: PortPair;
  readonly release: (ports: PortPair) => void;
  readonly mediaClock: MediaClock;
  readonly timers: TimerScheduler;
  readonly clock: MonotonicClock;
  readonly resolveClip: (language: string) => ClipResolver;
  readonly random?: () => number;
  /** Hands packets to an in-thread RTP relay leg without UDP (see LocalRtpRoutes). */
  readonly localRoutes?: LocalRtpRoutes;
}

export interface MediaEndpointStats {
  readonly packetsSent: number;
  readonly octetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly jitterMs: number;
  readonly malformedPackets: number;
  readonly foreignPackets: number;
  readonly playbackUnderruns: number;
  readonly roundTripMs?: number;
  readonly peerFractionLost?: number;
}

const HOUSEKEEPING_MS = 1000;

/**
 * One RTP audio endpoint of the PBX (IVR, voicemail, echo test, tones): an
 * RTP/RTCP port pair, SDP offer/answer, paced sending of prompts, tones and
 * DTMF, received audio decoded to sinks (recorder, echo), DTMF detection.
 *
 * Sending runs on the shared MediaClock: packet n of the stream goes at
 * start + n × 20 ms and carries timestamp base + n × 160, so neither timing
 * nor timestamps drift. Priority per tick: a DTMF event packet, then the
 * prompt player, then the current source (echo, tone), then silence.
 */
export class MediaEndpoint extends EventEmitter<MediaEndpointEvents> {
  readonly localPort: number;
  private readonly sender: RtpSender;
  private readonly timestampBase: number;
  private readonly player: PromptPlayer;
  private readonly dtmfSender = new DtmfSender();
  private readonly inbound: InboundStream;
  private readonly rtcp: RtcpSession;
  private readonly sinks = new Set<AudioSink>();
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  /** One frame's G.711 octets, reused every tick. */
  private readonly payload = Buffer.alloc(FRAME_SAMPLES);
  private readonly rtpOut: LatchingSocket;
  private readonly rtcpOut: LatchingSocket;
  private source: AudioSource | undefined;
  private remote: RemoteMedia | undefined;
  private task: PacedTask | undefined;
  /** When media time 0 was due: timestamps keep counting across hold and resume. */
  private mediaOriginMs: number | undefined;
  private lastTimestamp = 0;
  private markerPending = true;
  private lastRtpAtMs: number;
  private timedOut = false;
  private housekeepingTimer: TimerHandle | undefined;
  private sessionVersion = 0;
  private readonly sessionId: string;
  private closed = false;
  private malformed = 0;
  private foreign = 0;

  constructor(
    private readonly config: MediaEndpointConfig,
    private readonly deps: MediaEndpointDeps,
  ) {
    super();
    const random = deps.random ?? Math.random;
    this.localPort = deps.ports.port;
    this.sender = new RtpSender(random);
    this.timestampBase = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.sessionId = String(Math.floor(random() * 1e12));
    this.player = new PromptPlayer(deps.resolveClip(config.language));
    // Symmetric RTP (RFC 4961): latch onto the source of the peer's first
    // packet (its NAT mapping) and connect the socket to it.
    const local = deps.localRoutes
      ? { routes: deps.localRoutes, advertisedAddress: config.advertisedAddress }
      : undefined;
    this.rtpOut = new LatchingSocket(deps.ports.rtp, config.symmetricRtp, local);
    this.rtcpOut = new LatchingSocket(deps.ports.rtcp, config.symmetricRtp, local);
    this.inbound = new InboundStream({
      audio: (pcm) => {
        for (const sink of this.sinks) sink.write(pcm);
      },
      keyDown: (digit, source) => {
        this.player.interrupt(digit);
        this.emit('dtmf', { digit, source });
      },
      keyUp: (digit, durationMs) => this.emit('dtmf-end', { digit, source: 'rfc4733', durationMs }),
    });
    this.rtcp = new RtcpSession(
      config.cname,
      () => deps.clock.now(),
      deps.timers,
      {
        sender: () => {
          const remote = this.remote;
          if (!remote) return undefined;
          return {
            ssrc: this.sender.ssrc,
            packetsSent: this.sender.packetsSent,
            octetsSent: this.sender.octetsSent,
            rtpTimestampNow: this.lastTimestamp,
            sentRecently: this.sender.packetsSent > 0 && sends(remote.direction),
          };
        },
        remote: () => {
          const ssrc = this.inbound.sourceSsrc;
          const statistics = this.inbound.statistics;
          return ssrc === undefined || !statistics ? undefined : { ssrc, statistics };
        },
        transmit: (packet, sent) => (this.remote?.rtcpMux ? this.rtpOut : this.rtcpOut).send(packet, sent),
        bye: () => this.emit('bye'),
      },
      random,
    );
    this.lastRtpAtMs = deps.clock.now();
    deps.ports.rtp.on('message', (msg, rinfo) => this.onRtp(msg, rinfo));
    deps.ports.rtcp.on('message', (msg, rinfo) => this.onRtcp(msg, rinfo));
    this.housekeepingTimer = deps.timers.setTimer(() => this.housekeeping(), HOUSEKEEPING_MS);
  }

  /** The negotiated stream, once an offer/answer completed. */
  get media(): RemoteMedia | undefined {
    return this.remote;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // --- SDP -----------------------------------------------------------------

  /** Answers an SDP offer (also a re-INVITE's). On failure nothing changes; the PBX answers 488. */
  answer(offer: string, direction: MediaDirection = 'sendrecv'): AnswerResult {
    this.assertOpen();
    const result = answerOffer(offer, this.local(direction, this.sessionVersion + 1));
    if (result.ok) {
      this.sessionVersion++;
      this.applyRemote(result.remote);
    }
    return result;
  }

  /** Our SDP offer (for an INVITE we send, or a re-INVITE to hold: direction sendonly). */
  createOffer(direction: MediaDirection = 'sendrecv'): string {
    this.assertOpen();
    this.sessionVersion++;
    this.offeredDirection = direction;
    return createOffer(this.local(direction, this.sessionVersion));
  }

  /** Applies the answer to our last offer. */
  acceptAnswer(answer: string): AcceptResult {
    this.assertOpen();
    const result = acceptAnswer(answer, this.local(this.offeredDirection, this.sessionVersion));
    if (result.ok) this.applyRemote(result.remote);
    return result;
  }

  private offeredDirection: MediaDirection = 'sendrecv';

  private local(direction: MediaDirection, version: number): LocalMedia {
    return {
      address: this.config.advertisedAddress,
      port: this.localPort,
      sessionId: this.sessionId,
      sessionVersion: version,
      codecs: this.config.codecs,
      telephoneEvent: this.config.telephoneEvent,
      direction,
    };
  }

  private applyRemote(remote: RemoteMedia): void {
    const moved =
      !this.remote || this.remote.address !== remote.address || this.remote.rtpPort !== remote.rtpPort;
    this.remote = remote;
    this.inbound.configure(remote);
    if (moved) {
      // New address from signalling: send there until the peer's packets show where it really is.
      this.rtpOut.setTarget(remote.address, remote.rtpPort);
      this.rtcpOut.setTarget(remote.address, remote.rtcpPort);
    }
    this.lastRtpAtMs = this.deps.clock.now();
    this.timedOut = false;
    if (sends(remote.direction) && !this.task) {
      const startMs = this.deps.mediaClock.clock.now() + FRAME_MS;
      // A new stream starts in the least crowded millisecond of the next 20 (calls set up together
      // would otherwise all send in the same few); after a hold it continues on its grid and timestamp line.
      const origin = this.mediaOriginMs ?? this.deps.mediaClock.quietStart(FRAME_MS, startMs);
      this.mediaOriginMs = origin;
      const aligned = origin + Math.ceil((startMs - origin) / FRAME_MS) * FRAME_MS;
      this.task = this.deps.mediaClock.schedule((tick) => this.onTick(tick), FRAME_MS, aligned);
      this.markerPending = true;
    } else if (!sends(remote.direction) && this.task) {
      this.task.cancel();
      this.task = undefined;
    }
    this.rtcp.start();
  }

  // --- Sending ---------------------------------------------------------------

  /** Queues prompts (ids, files, PCM, tones); resolves when they finish or a key interrupts them. */
  play(items: readonly PlayInput[], options?: PlayOptions): Promise<PlaybackResult> {
    if (this.closed) return Promise.resolve({ reason: 'stopped', failedItems: 0, playedSamples: 0 });
    return this.player.play(items, options);
  }

  stopPlayback(): void {
    this.player.stop();
  }

  get playing(): boolean {
    return this.player.playing;
  }

  /** Sets what is sent when no prompt plays (a tone, the echo); undefined for silence. */
  setSource(source: AudioSource | undefined): void {
    this.source = source;
  }

  /** Adds a consumer of the decoded audio the peer sends (call recording, a mixer); returns its removal. */
  addSink(sink: AudioSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  /** Starts the *43 echo test: received audio is sent back. Returns the echo for stopping it. */
  startEcho(delayFrames?: number): EchoSource {
    const echo = new EchoSource(delayFrames);
    this.sinks.add(echo);
    this.source = echo;
    return echo;
  }

  stopEcho(echo: EchoSource): void {
    this.sinks.delete(echo);
    if (this.source === echo) this.source = undefined;
  }

  /**
   * Sends digits: as RFC 4733 events when the peer negotiated
   * telephone-event, otherwise as in-band tones. Returns false if the queue
   * is full.
   */
  sendDtmf(digits: readonly DtmfDigit[], durationMs = 100): boolean {
    if (this.remote?.telephoneEventPt !== undefined) return this.dtmfSender.enqueue(digits, durationMs);
    void this.player.play([{ kind: 'pcm', samples: renderDtmfTones(digits, durationMs) }], {
      interruptible: false,
    });
    return true;
  }

  private onTick(tick: PacedTick): void {
    const remote = this.remote;
    if (this.closed || !remote || !sends(remote.direction)) return;
    const mediaTick = Math.round((tick.dueMs - this.mediaOriginMs!) / FRAME_MS);
    const timestamp = (this.timestampBase + mediaTick * FRAME_SAMPLES) >>> 0;
    this.lastTimestamp = timestamp;
    const event = this.dtmfSender.tick(timestamp);
    if (event && remote.telephoneEventPt !== undefined) {
      this.rtpOut.send(
        this.sender.packet(remote.telephoneEventPt, event.marker, event.timestamp, event.payload),
      );
      return;
    }
    const law = remote.codec.codec.law;
    const payload = this.payload;
    // Prompts come pre-encoded (shared per clip); a source (tone, echo) is encoded here.
    if (!this.player.readEncoded(law, payload)) {
      const frame = this.frame;
      if (this.source?.read(frame)) {
        g711EncodeInto(law, frame, payload, 0);
      } else if (this.config.sendSilenceWhenIdle) {
        payload.fill(g711SilenceCode(law));
      } else {
        this.markerPending = true; // the next audio starts a talkspurt (RFC 3551 §4.1)
        return;
      }
    }
    const marker = this.markerPending;
    this.markerPending = false;
    const packet = this.sender.allocate(remote.codec.payloadType, marker, timestamp, FRAME_SAMPLES);
    payload.copy(packet, RTP_HEADER_SIZE);
    this.rtpOut.send(packet);
  }

  // --- Receiving -------------------------------------------------------------

  /** Starts recording what the peer says; the recorder ends by itself or by `stop()`. */
  async record(path: string, options?: RecorderOptions): Promise<Recorder> {
    this.assertOpen();
    const recorder = await Recorder.start(path, options);
    if (this.closed) {
      await recorder.stop();
      throw new MediaError('closed', 'endpoint closed while the recording started');
    }
    this.sinks.add(recorder);
    void recorder.done.then(() => this.sinks.delete(recorder));
    return recorder;
  }

  /** Feeds a SIP INFO body; emits the digit when it is DTMF. */
  receiveSipInfo(contentType: string, body: string | Uint8Array): SipInfoDtmfResult {
    const result = parseSipInfoDtmf(contentType, body);
    if (result.ok && !this.closed) {
      const event: DtmfEvent = {
        digit: result.digit,
        source: 'sip-info',
        ...(result.durationMs === undefined ? {} : { durationMs: result.durationMs }),
      };
      this.player.interrupt(result.digit);
      this.emit('dtmf', event);
    }
    return result;
  }

  private onRtp(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    const remote = this.remote;
    if (!remote) return; // nothing negotiated yet
    if (msg.length >= 2 && isRtcpPacketType(msg[1]!)) {
      if (remote.rtcpMux) this.rtcp.receive(msg, this.sender.ssrc);
      return;
    }
    if (!this.rtpOut.accept(rinfo)) {
      this.foreign++;
      return;
    }
    const parsed = parseRtpPacket(msg);
    if (!parsed.ok) {
      this.malformed++;
      return;
    }
    const now = this.deps.clock.now();
    this.lastRtpAtMs = now;
    this.timedOut = false;
    this.inbound.receive(parsed.packet, remote, now, this.sinks.size > 0);
  }

  private onRtcp(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed || !this.remote) return;
    if (!this.rtcpOut.accept(rinfo)) {
      this.foreign++;
      return;
    }
    this.rtcp.receive(msg, this.sender.ssrc);
  }

  // --- Life cycle ------------------------------------------------------------

  private housekeeping(): void {
    this.housekeepingTimer = undefined;
    if (this.closed) return;
    const remote = this.remote;
    if (
      remote &&
      this.config.rtpTimeoutMs > 0 &&
      !this.timedOut &&
      receives(remote.direction) &&
      !remote.held &&
      this.deps.clock.now() - this.lastRtpAtMs > this.config.rtpTimeoutMs
    ) {
      this.timedOut = true;
      this.emit('timeout');
    }
    this.housekeepingTimer = this.deps.timers.setTimer(() => this.housekeeping(), HOUSEKEEPING_MS);
  }

  stats(): MediaEndpointStats {
    const peer = this.rtcp.peerReport;
    const statistics = this.inbound.statistics;
    return {
      packetsSent: this.sender.packetsSent,
      octetsSent: this.sender.octetsSent,
      packetsReceived: statistics?.received ?? 0,
      packetsLost: Math.max(0, statistics?.lost ?? 0),
      jitterMs: (statistics?.jitter ?? 0) / 8,
      malformedPackets: this.malformed + this.rtcp.malformed,
      foreignPackets: this.foreign,
      playbackUnderruns: this.player.underruns,
      ...(peer?.roundTripMs === undefined ? {} : { roundTripMs: peer.roundTripMs }),
      ...(peer ? { peerFractionLost: peer.fractionLost } : {}),
    };
  }

  /**
   * Ends the endpoint: playback stops, recordings are kept (stopped, as
   * when the caller hangs up), RTCP BYE goes out, the ports return to the
   * range. Idempotent.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const bye = this.rtcp.stop();
    this.task?.cancel();
    this.task = undefined;
    if (this.housekeepingTimer) this.deps.timers.clearTimer(this.housekeepingTimer);
    this.player.stop();
    this.dtmfSender.clear();
    const recordings: Promise<unknown>[] = [];
    for (const sink of this.sinks) if (sink instanceof Recorder) recordings.push(sink.stop());
    this.sinks.clear();
    this.source = undefined;
    this.rtpOut.close();
    this.rtcpOut.close();
    await Promise.allSettled([...recordings, bye]);
    this.deps.release(this.deps.ports);
    this.emit('closed');
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaError('closed', 'media endpoint is closed');
  }
}
