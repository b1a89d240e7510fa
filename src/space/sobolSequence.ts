/**
 * Scrambled Sobol points. Sobol's construction with Joe & Kuo's direction
 * numbers (new-joe-kuo-6.21201), points in Gray-code order as in scipy and
 * Joe & Kuo's reference code, and Owen scrambling by Burley's hash (2020,
 * "Practical Hash-based Owen Scrambling"), which keeps every stratification
 * property of the sequence while making each seed a fresh random net.
 */
import { hashSeeds, mix32 } from "./random.js";

export const MAX_SOBOL_DIMENSIONS = 64;
const BITS = 32;
const TWO_POW_21 = 2097152;
const TWO_POW_53 = 9007199254740992;

/**
 * Rows of new-joe-kuo-6.21201 for dimensions 2..64, as in the file:
 * `[d, s, a, [m_1..m_s]]` — dimension, degree of the primitive polynomial,
 * its inner coefficients as bits (most significant first), and the initial
 * direction numbers. Dimension 1 is van der Corput's sequence.
 */
const JOE_KUO_ROWS: readonly (readonly [number, number, number, readonly number[]])[] = [
  [2, 1, 0, [1]],
  [3, 2, 1, [1, 3]],
  [4, 3, 1, [1, 3, 1]],
  [5, 3, 2, [1, 1, 1]],
  [6, 4, 1, [1, 1, 3, 3]],
  [7, 4, 4, [1, 3, 5, 13]],
  [8, 5, 2, [1, 1, 5, 5, 17]],
  [9, 5, 4, [1, 1, 5, 5, 5]],
  [10, 5, 7, [1, 1, 7, 11, 19]],
  [11, 5, 11, [1, 1, 5, 1, 1]],
  [12, 5, 13, [1, 1, 1, 3, 11]],
  [13, 5, 14, [1, 3, 5, 5, 31]],
  [14, 6, 1, [1, 3, 3, 9, 7, 49]],
  [15, 6, 13, [1, 1, 1, 15, 21, 21]],
  [16, 6, 16, [1, 3, 1, 13, 27, 49]],
  [17, 6, 19, [1, 1, 1, 15, 7, 5]],
  [18, 6, 22, [1, 3, 1, 15, 13, 25]],
  [19, 6, 25, [1, 1, 5, 5, 19, 61]],
  [20, 7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [21, 7, 4, [1, 3, 7, 13, 13, 15, 69]],
  [22, 7, 7, [1, 1, 3, 13, 7, 35, 63]],
  [23, 7, 8, [1, 3, 5, 9, 1, 25, 53]],
  [24, 7, 14, [1, 3, 1, 13, 9, 35, 107]],
  [25, 7, 19, [1, 3, 1, 5, 27, 61, 31]],
  [26, 7, 21, [1, 1, 5, 11, 19, 41, 61]],
  [27, 7, 28, [1, 3, 5, 3, 3, 13, 69]],
  [28, 7, 31, [1, 1, 7, 13, 1, 19, 1]],
  [29, 7, 32, [1, 3, 7, 5, 13, 19, 59]],
  [30, 7, 37, [1, 1, 3, 9, 25, 29, 41]],
  [31, 7, 41, [1, 3, 5, 13, 23, 1, 55]],
  [32, 7, 42, [1, 3, 7, 3, 13, 59, 17]],
  [33, 7, 50, [1, 3, 1, 3, 5, 53, 69]],
  [34, 7, 55, [1, 1, 5, 5, 23, 33, 13]],
  [35, 7, 56, [1, 1, 7, 7, 1, 61, 123]],
  [36, 7, 59, [1, 1, 7, 9, 13, 61, 49]],
  [37, 7, 62, [1, 3, 3, 5, 3, 55, 33]],
  [38, 8, 14, [1, 3, 1, 15, 31, 13, 49, 245]],
  [39, 8, 21, [1, 3, 5, 15, 31, 59, 63, 97]],
  [40, 8, 22, [1, 3, 1, 11, 11, 11, 77, 249]],
  [41, 8, 38, [1, 3, 1, 11, 27, 43, 71, 9]],
  [42, 8, 47, [1, 1, 7, 15, 21, 11, 81, 45]],
  [43, 8, 49, [1, 3, 7, 3, 25, 31, 65, 79]],
  [44, 8, 50, [1, 3, 1, 1, 19, 11, 3, 205]],
  [45, 8, 52, [1, 1, 5, 9, 19, 21, 29, 157]],
  [46, 8, 56, [1, 3, 7, 11, 1, 33, 89, 185]],
  [47, 8, 67, [1, 3, 3, 3, 15, 9, 79, 71]],
  [48, 8, 70, [1, 3, 7, 11, 15, 39, 119, 27]],
  [49, 8, 84, [1, 1, 3, 1, 11, 31, 97, 225]],
  [50, 8, 97, [1, 1, 1, 3, 23, 43, 57, 177]],
  [51, 8, 103, [1, 3, 7, 7, 17, 17, 37, 71]],
  [52, 8, 115, [1, 3, 1, 5, 27, 63, 123, 213]],
  [53, 8, 122, [1, 1, 3, 5, 11, 43, 53, 133]],
  [54, 9, 8, [1, 3, 5, 5, 29, 17, 47, 173, 479]],
  [55, 9, 13, [1, 3, 3, 11, 3, 1, 109, 9, 69]],
  [56, 9, 16, [1, 1, 1, 5, 17, 39, 23, 5, 343]],
  [57, 9, 22, [1, 3, 1, 5, 25, 15, 31, 103, 499]],
  [58, 9, 25, [1, 1, 1, 11, 11, 17, 63, 105, 183]],
  [59, 9, 44, [1, 1, 5, 11, 9, 29, 97, 231, 363]],
  [60, 9, 47, [1, 1, 5, 15, 19, 45, 41, 7, 383]],
  [61, 9, 52, [1, 3, 7, 7, 31, 19, 83, 137, 221]],
  [62, 9, 55, [1, 1, 1, 3, 23, 15, 111, 223, 83]],
  [63, 9, 59, [1, 1, 5, 13, 31, 15, 55, 25, 161]],
  [64, 9, 62, [1, 1, 3, 13, 25, 47, 39, 87, 257]],
];

let directionNumbers: Uint32Array[] | undefined;

/** v_k = m_k · 2^(32-k), k = 1..32, for each dimension; built once, on first use. */
function directions(): Uint32Array[] {
  if (directionNumbers) return directionNumbers;
  const first = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) first[k] = 2 ** (BITS - 1 - k);
  directionNumbers = [first, ...JOE_KUO_ROWS.map(([, s, a, m]) => directionsFor(s, a, m))];
  return directionNumbers;
}

/** Bratley & Fox's recurrence: v_k = v_{k-s} ⊕ (v_{k-s} >> s) ⊕ a_1 v_{k-1} ⊕ … ⊕ a_{s-1} v_{k-s+1}. */
function directionsFor(s: number, a: number, m: readonly number[]): Uint32Array {
  const v = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) {
    if (k < s) {
      v[k] = (m[k] as number) * 2 ** (BITS - 1 - k);
      continue;
    }
    const back = v[k - s] as number;
    let value = back ^ (back >>> s);
    for (let i = 1; i < s; i++) {
      if ((a >>> (s - 1 - i)) & 1) value ^= v[k - i] as number;
    }
    v[k] = value >>> 0;
  }
  return v;
}

/** Point `index` of the unscrambled sequence in dimension `dim` (0-based), as a 32-bit fraction. */
export function sobolInteger(index: number, dim: number): number {
  const v = directions()[dim];
  if (!v)
    throw new Error(
      `Sobol supports at most ${MAX_SOBOL_DIMENSIONS} dimensions (asked for dimension ${dim + 1})`,
    );
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** BITS) {
    throw new Error(`Sobol index must be an integer in [0, 2^32), got ${index}`);
  }
  let gray = (index ^ (index >>> 1)) >>> 0;
  let x = 0;
  for (let k = 0; gray !== 0; k++, gray >>>= 1) {
    if (gray & 1) x ^= v[k] as number;
  }
  return x >>> 0;
}

function reverseBits32(value: number): number {
  let x = value >>> 0;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

/**
 * Burley's Laine–Karras-style hash: each output bit depends only on the
 * same and lower input bits, so on bit-reversed input it is a nested uniform
 * (Owen) scramble.
 */
function laineKarrasPermutation(value: number, seed: number): number {
  let x = (value + seed) >>> 0;
  x ^= Math.imul(x, 0x6c50b47c);
  x ^= Math.imul(x, 0xb82f1e52);
  x ^= Math.imul(x, 0xc7afe638);
  x ^= Math.imul(x, 0x8d22f6e6);
  return x >>> 0;
}

export function owenScramble(value: number, seed: number): number {
  return reverseBits32(laineKarrasPermutation(reverseBits32(value), seed));
}

/**
 * Point `index` of the scrambled sequence for `seed`, in [0, 1)^dimensions.
 * Below the 32 bits of the net, a hash fills the rest of the double so that
 * continuous parameters do not sit on a 2^-32 lattice.
 */
export function scrambledSobolPoint(index: number, dimensions: number, seed: number): number[] {
  const point = new Array<number>(dimensions);
  for (let dim = 0; dim < dimensions; dim++) {
    const dimSeed = hashSeeds(seed, dim);
    const x = owenScramble(sobolInteger(index, dim), dimSeed);
    const fill = mix32(x ^ mix32(dimSeed + index)) >>> 11;
    point[dim] = (x * TWO_POW_21 + fill) / TWO_POW_53;
  }
  return point;
}
