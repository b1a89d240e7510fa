/**
 * Seeded randomness for the pure core. Nothing here reads the clock or
 * Math.random: a stream is a pure function of the integers it was created
 * from, so a restarted operator draws exactly the same numbers again.
 */

export interface Rng {
  /** Uniform in [0, 1), with 53 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_26 = 67108864;

/** murmur3's 32-bit finaliser: a bijection with full avalanche. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a list of integers (each up to 2^53 in magnitude) into one 32-bit
 * value. Order matters and so does length, so (1, 0) and (1) differ.
 */
export function hashSeeds(...seeds: readonly number[]): number {
  let h = mix32(GOLDEN_GAMMA ^ seeds.length);
  for (const seed of seeds) {
    const whole = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    const low = whole >>> 0;
    const high = Math.floor(whole / TWO_POW_32) >>> 0;
    h = mix32((h ^ low) + GOLDEN_GAMMA);
    h = mix32((h ^ high) + GOLDEN_GAMMA);
  }
  return h;
}

/**
 * A stream seeded from several integers, e.g. `createRng(jobSeed, trialIndex)`:
 * each combination gets its own independent stream. The generator is sfc32
 * (Chris Doty-Humphrey's small fast counting generator): 128 bits of state,
 * passes PractRand, and needs only 32-bit integer arithmetic.
 */
export function createRng(...seeds: readonly number[]): Rng {
  return new Sfc32(hashSeeds(...seeds));
}

/** A class rather than closures: Random creates one per trial, so construction should allocate little. */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private counter = 1;

  constructor(hash: number) {
    this.a = mix32(hash + GOLDEN_GAMMA);
    this.b = mix32(hash + 2 * GOLDEN_GAMMA);
    this.c = mix32(hash + 3 * GOLDEN_GAMMA);
    // The author recommends discarding the first outputs so that nearby seeds diverge.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.counter) | 0;
    this.counter = (this.counter + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return ((this.uint32() >>> 5) * TWO_POW_26 + (this.uint32() >>> 6)) / TWO_POW_53;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  normal(): number {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return radius * Math.cos(2 * Math.PI * this.next());
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }
}
