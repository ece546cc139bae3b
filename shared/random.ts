/**
 * Seeded pseudo-random numbers. `Math.random` is never used in this project: every random choice
 * in a test or a simulation comes from a {@link Random} built from a seed, so one seed replays a
 * run exactly.
 *
 * The generator is xoshiro128** (Blackman and Vigna, 2018): 128 bits of state, 32-bit output,
 * fast in JavaScript's 32-bit integer arithmetic. The state is filled from the seed by
 * SplitMix32, so that nearby seeds (1, 2, 3) give unrelated streams.
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

  /** An independent generator derived from this one, for a sub-component of a simulation. */
  fork(): Random {
    return new Random(this.nextU32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
