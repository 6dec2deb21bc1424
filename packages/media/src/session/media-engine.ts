import { type MonotonicClock, systemClock, systemTimers, type TimerScheduler } from '../clock/clock.js';
import { MediaClock } from '../clock/media-clock.js';
import { AUDIO_CODECS, type AudioCodec } from '../codec/payload-type.js';
import { MediaError } from '../errors.js';
import type { ClipResolver, PlayItem } from '../player/play-item.js';
import { PromptLibrary } from '../prompt/prompt-library.js';
import { LocalRtpRoutes } from '../relay/local-rtp-routes.js';
import { renderTone } from '../tone/tone-source.js';
import { readTelephonyPcm } from '../wav/wav-file.js';
import { MediaEndpoint, type MediaEndpointConfig } from './media-endpoint.js';
import { PortAllocator, type PortRange } from './port-allocator.js';

export interface MediaEngineOptions {
  /** Address the RTP sockets bind to. */
  readonly bindAddress: string;
  /** Address written into SDP; defaults to `bindAddress`. */
  readonly advertisedAddress?: string;
  readonly portRange: PortRange;
  /** Concurrent endpoints allowed (each holds two ports). */
  readonly maxEndpoints?: number;
  readonly codecs?: readonly AudioCodec[];
  readonly rtpTimeoutMs?: number;
  readonly sendSilenceWhenIdle?: boolean;
  readonly prompts?: PromptLibrary;
  /** Largest WAV file `play` reads (files, not prompts). */
  readonly maxPlayFileOctets?: number;
  readonly clock?: MonotonicClock;
  readonly timers?: TimerScheduler;
  readonly mediaClock?: MediaClock;
  readonly random?: () => number;
  /** The thread's table of local media sockets (default: a new one, `MediaEngine.localRoutes`). */
  readonly localRoutes?: LocalRtpRoutes;
}

export interface EndpointOptions {
  readonly language?: string;
  readonly codecs?: readonly AudioCodec[];
  readonly telephoneEvent?: boolean;
  readonly symmetricRtp?: boolean;
}

/**
 * The PBX's media engine: one media clock for all paced senders, one port
 * range, one prompt library; hands out MediaEndpoints.
 */
export class MediaEngine {
  readonly mediaClock: MediaClock;
  readonly prompts: PromptLibrary;
  readonly ports: PortAllocator;
  /**
   * The endpoints' sockets by advertised address and port. Give it to an
   * RtpRelay on this thread (`localRoutes`): endpoints of anchored calls
   * then exchange packets with their relay leg without loopback UDP.
   */
  readonly localRoutes: LocalRtpRoutes;
  private readonly endpoints = new Set<MediaEndpoint>();
  private readonly clock: MonotonicClock;
  private readonly timers: TimerScheduler;
  private readonly maxEndpoints: number;

  constructor(private readonly options: MediaEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.mediaClock = options.mediaClock ?? new MediaClock({ clock: this.clock, timers: this.timers });
    this.prompts = options.prompts ?? new PromptLibrary();
    this.ports = new PortAllocator({ host: options.bindAddress, range: options.portRange });
    this.localRoutes = options.localRoutes ?? new LocalRtpRoutes();
    this.maxEndpoints = Math.min(options.maxEndpoints ?? 2000, this.ports.capacity);
  }

  get activeEndpoints(): number {
    return this.endpoints.size;
  }

  async createEndpoint(options: EndpointOptions = {}): Promise<MediaEndpoint> {
    if (this.endpoints.size >= this.maxEndpoints) {
      throw new MediaError('limit-exceeded', `media endpoint limit (${this.maxEndpoints}) reached`);
    }
    const ports = await this.ports.allocate();
    const config: MediaEndpointConfig = {
      codecs: options.codecs ?? this.options.codecs ?? AUDIO_CODECS,
      telephoneEvent: options.telephoneEvent ?? true,
      advertisedAddress: this.options.advertisedAddress ?? this.options.bindAddress,
      symmetricRtp: options.symmetricRtp ?? true,
      sendSilenceWhenIdle: this.options.sendSilenceWhenIdle ?? true,
      rtpTimeoutMs: this.options.rtpTimeoutMs ?? 60_000,
      language: options.language ?? 'en',
      cname: `telekommune-${ports.port}@${this.options.advertisedAddress ?? this.options.bindAddress}`,
    };
    const endpoint = new MediaEndpoint(config, {
      ports,
      release: (pair) => this.ports.release(pair),
      mediaClock: this.mediaClock,
      timers: this.timers,
      clock: this.clock,
      resolveClip: (language) => this.resolver(language),
      ...(this.options.random ? { random: this.options.random } : {}),
      localRoutes: this.localRoutes,
    });
    this.endpoints.add(endpoint);
    endpoint.once('closed', () => this.endpoints.delete(endpoint));
    return endpoint;
  }

  /** Turns play items into PCM: prompts from the library, files from disk, tones and silence generated. */
  resolver(language: string): ClipResolver {
    return async (item: PlayItem) => {
      switch (item.kind) {
        case 'prompt':
          return this.prompts.load(item.id, language);
        case 'file':
          return readTelephonyPcm(item.path, this.options.maxPlayFileOctets);
        case 'pcm':
          return item.samples;
        case 'silence':
          return new Int16Array(Math.max(0, Math.min(Math.round(item.durationMs * 8), 8000 * 60)));
        case 'tone':
          return renderTone(item.plan, Math.min(item.durationMs, 60_000));
      }
    };
  }

  /** Closes every endpoint (keeping recordings) and stops the clock. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.endpoints].map((endpoint) => endpoint.close()));
    this.mediaClock.stop();
  }
}
