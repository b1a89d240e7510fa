import { describe, expect, it } from "vitest";
import { createRng, hashSeeds } from "../../../src/space/index.js";

const draw = (n: number, ...seeds: number[]) => {
  const rng = createRng(...seeds);
  return Array.from({ length: n }, () => rng.next());
};

describe("createRng", () => {
  it("is deterministic for the same seeds", () => {
    expect(draw(100, 42, 7)).toEqual(draw(100, 42, 7));
  });

  it("gives different streams for different seeds, orders and lengths", () => {
    const streams = [
      draw(4, 42, 7),
      draw(4, 42, 8),
      draw(4, 43, 7),
      draw(4, 7, 42),
      draw(4, 42),
      draw(4, 42, 7, 0),
    ];
    expect(new Set(streams.map((s) => s.join())).size).toBe(streams.length);
  });

  it("separates seeds that differ only above 32 bits", () => {
    expect(hashSeeds(1)).not.toBe(hashSeeds(1 + 2 ** 32));
  });

  it("draws uniformly in [0, 1)", () => {
    const values = draw(20_000, 1);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const tenths = new Array(10).fill(0);
    for (const v of values) tenths[Math.floor(v * 10)]++;
    for (const count of tenths) expect(count).toBeGreaterThan(1800);
  });

  it("draws integers in range, normals with mean 0 and variance 1", () => {
    const rng = createRng(3);
    const ints = Array.from({ length: 5000 }, () => rng.int(7));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    const normals = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("shuffles into a permutation, deterministically", () => {
    const shuffled = createRng(9).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled).toEqual(createRng(9).shuffle(Array.from({ length: 50 }, (_, i) => i)));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
