import { describe, expect, it } from "vitest";
import {
  MAX_SOBOL_DIMENSIONS,
  owenScramble,
  scrambledSobolPoint,
  sobolInteger,
} from "../../../src/space/index.js";

const unscrambled = (index: number, dim: number) => sobolInteger(index, dim) / 2 ** 32;

/** Each of the 2^k equal slices of [0, 1) holds exactly one of the values. */
function isStratified(values: readonly number[], k: number): boolean {
  const counts = new Array(2 ** k).fill(0);
  for (const v of values) counts[Math.floor(v * 2 ** k)]++;
  return values.length === 2 ** k && counts.every((c) => c === 1);
}

describe("Sobol sequence (Joe & Kuo direction numbers)", () => {
  it("starts like the published sequence in the first dimensions", () => {
    const first = (dim: number) => Array.from({ length: 8 }, (_, i) => unscrambled(i, dim));
    expect(first(0)).toEqual([0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125]);
    expect(first(1)).toEqual([0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625]);
    expect(first(2)).toEqual([0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375]);
  });

  // Reference values from scipy.stats.qmc.Sobol(d=64, scramble=False), which
  // embeds the same new-joe-kuo-6.21201 table, as 32-bit fractions.
  const dims = [0, 1, 2, 9, 19, 31, 37, 53, 63];
  const reference: Record<number, number[]> = {
    1000: [
      943718400, 415236096, 2227175424, 297795584, 3116367872, 624951296, 3569352704, 1883242496, 1916796928,
    ],
    12345: [
      2752774144, 3493593088, 688652288, 1845231616, 1475084288, 2843475968, 1384382464, 2644770816,
      1999896576,
    ],
    1048583: [
      536877056, 3623909376, 3455612928, 1674016768, 1921239040, 3726301184, 2481457152, 740300800,
      1467090944,
    ],
  };
  it.each(Object.entries(reference))(
    "matches scipy at index %s across all 64 dimensions",
    (index, expected) => {
      expect(dims.map((d) => sobolInteger(Number(index), d))).toEqual(expected);
    },
  );

  it("stratifies the first 2^k points of every dimension, unscrambled and scrambled", () => {
    for (const k of [1, 4, 8, 10]) {
      const n = 2 ** k;
      for (let dim = 0; dim < MAX_SOBOL_DIMENSIONS; dim++) {
        expect(
          isStratified(
            Array.from({ length: n }, (_, i) => unscrambled(i, dim)),
            k,
          ),
        ).toBe(true);
      }
      const points = Array.from({ length: n }, (_, i) => scrambledSobolPoint(i, MAX_SOBOL_DIMENSIONS, 1234));
      for (let dim = 0; dim < MAX_SOBOL_DIMENSIONS; dim++) {
        expect(
          isStratified(
            points.map((p) => p[dim] as number),
            k,
          ),
          `k=${k} dim=${dim}`,
        ).toBe(true);
      }
    }
  });

  it("stratifies two-dimensional projections of the first 16 points into 4×4 cells", () => {
    const points = Array.from({ length: 16 }, (_, i) => scrambledSobolPoint(i, 2, 99));
    const cells = new Set(points.map(([x = 0, y = 0]) => `${Math.floor(x * 4)},${Math.floor(y * 4)}`));
    expect(cells.size).toBe(16);
  });

  it("Owen scrambling is a bijection that keeps the leading bits' nesting", () => {
    const seen = new Set<number>();
    for (let x = 0; x < 256; x++) seen.add(owenScramble(x << 24, 777) >>> 24);
    expect(seen.size).toBe(256);
    // Values sharing their top 3 bits still share them after scrambling.
    const top3 = (v: number) => v >>> 29;
    expect(top3(owenScramble(0b101 << 29, 5))).toBe(top3(owenScramble((0b101 << 29) | 12345, 5)));
  });

  it("is deterministic per seed and differs between seeds", () => {
    expect(scrambledSobolPoint(17, 10, 5)).toEqual(scrambledSobolPoint(17, 10, 5));
    expect(scrambledSobolPoint(17, 10, 5)).not.toEqual(scrambledSobolPoint(17, 10, 6));
    expect(scrambledSobolPoint(0, 3, 5).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("rejects more than 64 dimensions and bad indices", () => {
    expect(() => sobolInteger(0, 64)).toThrow(/at most 64 dimensions/);
    expect(() => sobolInteger(-1, 0)).toThrow(/index/);
    expect(() => sobolInteger(2 ** 32, 0)).toThrow(/index/);
  });
});
