import { type G711Law, g711EncodeInto } from './g711.js';

/**
 * A clip of 16-bit PCM and its G.711 encoding, encoded once and shared by
 * every stream that plays it: a prompt heard by 500 callers at once is
 * encoded once per law, and each packet only copies octets. Encoding runs
 * ahead lazily, as far as the furthest stream has read, so a long clip
 * costs no burst of work (G.711 is sample by sample, so pieces concatenate
 * to exactly what encoding the whole clip gives).
 */
export class G711Clip {
  readonly octets: Buffer;
  private encoded = 0;

  constructor(
    readonly law: G711Law,
    readonly samples: Int16Array,
  ) {
    this.octets = Buffer.allocUnsafe(samples.length);
  }

  /** Copies the encoding of samples [from, from + n) into `out` at `at`. */
  copy(from: number, n: number, out: Uint8Array, at: number): void {
    const to = from + n;
    if (to > this.encoded) {
      g711EncodeInto(this.law, this.samples.subarray(this.encoded, to), this.octets, this.encoded);
      this.encoded = to;
    }
    // Octet by octet: Buffer#copy with a source range makes a view object per
    // call, one per media packet.
    const octets = this.octets;
    for (let i = from; i < to; i++) out[at++] = octets[i]!;
  }

  private static readonly cache: Record<G711Law, WeakMap<Int16Array, G711Clip>> = {
    mulaw: new WeakMap(),
    alaw: new WeakMap(),
  };

  /** The shared encoding of `samples` (kept while the samples are: prompts stay cached in the library). */
  static of(law: G711Law, samples: Int16Array): G711Clip {
    const cache = G711Clip.cache[law];
    let clip = cache.get(samples);
    if (!clip) {
      clip = new G711Clip(law, samples);
      cache.set(samples, clip);
    }
    return clip;
  }
}
