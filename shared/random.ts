/**
 * Seeded pseudo-random numbers. `Math.random` is never used in this project: every random choice
 * in a test or a simulation comes from a {@link Random} built from a seed, so one seed replays a
 * run exactly.
 *
 * The generator is xoshiro128** (Blackman and Vigna, 2018): 128 bits of state, 32-bit output,
 * fast in JavaScript's 32-bit integer arithmetic. The state is filled from the seed by
 * SplitMix32, so that nearby seeds (1, 2, 3) give unrelated streams.
 *
 * A simulation needs many independent streams from one seed (one per network link, one per
 * node): {@link Random.stream} derives each from the seed and the stream's names by a stable
 * hash, so a stream's numbers depend only on the seed and its names, never on how many numbers
 * another stream has drawn.
 * @module
 */

/** A deterministic random number generator. The same seed always gives the same sequence. */
export class Random {
  /** The seed this generator was built from. */
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.seed = seed;
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in `[0, 1)` with 32 bits of randomness. */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in `[min, max]`, both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** A float in `[min, max)`, uniformly distributed. */
  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  /**
   * A draw from the exponential distribution with the given mean: the waiting time between
   * independent random events, such as network delays beyond a minimum. Always `>= 0`.
   */
  exponential(mean: number): number {
    // 1 - float() is in (0, 1], so the logarithm is finite.
    return -mean * Math.log(1 - this.float());
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick: empty array');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.nextU32() & 0xff;
    return out;
  }

  /**
   * An independent generator derived from this one, for a sub-component of a simulation. It
   * depends on how many numbers this generator has drawn before; {@link Random.stream} does not.
   */
  fork(): Random {
    return new Random(this.nextU32());
  }

  /**
   * The generator of the stream named `names` under `seed`, e.g.
   * `Random.stream(seed, 'link', 'n1', 'n2')`. The same seed and names always give the same
   * sequence, whatever other streams have drawn; different names give unrelated sequences.
   */
  static stream(seed: number, ...names: readonly string[]): Random {
    return new Random(streamSeed(seed, ...names));
  }
}

/**
 * The 32-bit seed of the stream named `names` under `seed`: FNV-1a over the seed's four bytes and
 * each name's UTF-16 code units (a name ends with a 0 unit, so `['ab', 'c']` and `['a', 'bc']`
 * differ), then MurmurHash3's final mix, so that similar names give unrelated seeds.
 */
export function streamSeed(seed: number, ...names: readonly string[]): number {
  let h = 0x811c9dc5;
  const s = seed | 0;
  for (let shift = 0; shift < 32; shift += 8) h = Math.imul(h ^ ((s >>> shift) & 0xff), 0x01000193);
  for (const name of names) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    h = Math.imul(h, 0x01000193); // the terminating 0: h ^ 0 === h
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
