/**
 * Call-progress tones per region. Frequencies and cadences from ITU-T E.180
 * (and its Supplement 2, the list of tones in national use), ETSI ETR 187
 * (the CEPT/European recommendation: 425 Hz), BT SIN 350 (UK) and the North
 * American Precise Tone Plan (ANSI T1.401).
 */

export interface ToneSegment {
  /** Frequencies mixed in this segment; empty for a pause. */
  readonly frequencies: readonly number[];
  readonly durationMs: number;
}

export interface TonePlan {
  readonly name: string;
  /** Played in order, then from the start again if `repeat`. */
  readonly segments: readonly ToneSegment[];
  readonly repeat: boolean;
}

export type ToneName = 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting' | 'beep';
export type ToneRegion = 'eu' | 'us' | 'uk' | 'de' | 'fr';

export const TONE_REGIONS: readonly ToneRegion[] = ['eu', 'us', 'uk', 'de', 'fr'];

const on = (frequencies: readonly number[], durationMs: number): ToneSegment => ({ frequencies, durationMs });
const off = (durationMs: number): ToneSegment => ({ frequencies: [], durationMs });
const continuous = (name: string, frequencies: readonly number[]): TonePlan => ({
  name,
  segments: [on(frequencies, 1000)],
  repeat: true,
});
const cadence = (name: string, ...segments: ToneSegment[]): TonePlan => ({ name, segments, repeat: true });

/** The voicemail "record after the tone" beep: 1 kHz, half a second, once. */
export const BEEP: TonePlan = { name: 'beep', segments: [on([1000], 500)], repeat: false };

export const TONE_PLANS: Readonly<Record<ToneRegion, Readonly<Record<ToneName, TonePlan>>>> = {
  eu: {
    dial: continuous('dial', [425]),
    ringback: cadence('ringback', on([425], 1000), off(4000)),
    busy: cadence('busy', on([425], 500), off(500)),
    congestion: cadence('congestion', on([425], 250), off(250)),
    callWaiting: cadence('callWaiting', on([425], 200), off(200), on([425], 200), off(5000)),
    beep: BEEP,
  },
  us: {
    dial: continuous('dial', [350, 440]),
    ringback: cadence('ringback', on([440, 480], 2000), off(4000)),
    busy: cadence('busy', on([480, 620], 500), off(500)),
    congestion: cadence('congestion', on([480, 620], 250), off(250)),
    callWaiting: cadence('callWaiting', on([440], 300), off(9700)),
    beep: BEEP,
  },
  uk: {
    dial: continuous('dial', [350, 440]),
    ringback: cadence('ringback', on([400, 450], 400), off(200), on([400, 450], 400), off(2000)),
    busy: cadence('busy', on([400], 375), off(375)),
    congestion: cadence('congestion', on([400], 400), off(350), on([400], 225), off(525)),
    callWaiting: cadence('callWaiting', on([400], 100), off(3000)),
    beep: BEEP,
  },
  de: {
    dial: continuous('dial', [425]),
    ringback: cadence('ringback', on([425], 1000), off(4000)),
    busy: cadence('busy', on([425], 480), off(480)),
    congestion: cadence('congestion', on([425], 240), off(240)),
    callWaiting: cadence('callWaiting', on([425], 200), off(200), on([425], 200), off(5000)),
    beep: BEEP,
  },
  fr: {
    dial: continuous('dial', [440]),
    ringback: cadence('ringback', on([440], 1500), off(3500)),
    busy: cadence('busy', on([440], 500), off(500)),
    congestion: cadence('congestion', on([440], 250), off(250)),
    callWaiting: cadence('callWaiting', on([440], 300), off(10000)),
    beep: BEEP,
  },
};

export function tonePlan(region: ToneRegion, tone: ToneName): TonePlan {
  return TONE_PLANS[region][tone];
}
