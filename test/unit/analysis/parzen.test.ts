import { describe, expect, it } from "vitest";
import { categoricalDensity, ordinalDensity, pearsonDivergence } from "../../../src/analysis/parzen.js";

const total = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);

describe("Parzen densities on a grid", () => {
  it("are distributions, positive everywhere thanks to the prior", () => {
    const counts = Float64Array.from([0, 3, 0, 0, 7, 1, 0, 0, 0, 0]);
    for (const density of [ordinalDensity(counts), categoricalDensity(counts)]) {
      expect(total(density)).toBeCloseTo(1, 12);
      for (const p of density) expect(p).toBeGreaterThan(0);
    }
  });

  it("peak on the observed point and fall away evenly on both sides", () => {
    const counts = new Float64Array(21);
    counts[10] = 30;
    const density = ordinalDensity(counts);
    expect(Math.max(...density)).toBe(density[10]);
    expect(density[9]).toBeCloseTo(density[11] as number, 14);
    expect(density[9]).toBeGreaterThan(density[8] as number);
  });

  it("fall back on the prior alone without observations", () => {
    const ordinal = ordinalDensity(new Float64Array(5));
    expect(total(ordinal)).toBeCloseTo(1, 12);
    expect(ordinal[0]).toBeCloseTo(ordinal[4] as number, 14);
    expect([...categoricalDensity(new Float64Array(4))]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("keep the smoothing of categories below the counts' own weight", () => {
    const density = categoricalDensity(Float64Array.from([9, 1, 0]));
    expect(density[0]).toBeGreaterThan(density[1] as number);
    expect(density[1]).toBeGreaterThan(density[2] as number);
  });
});

describe("pearsonDivergence", () => {
  it("is 0 between equal densities and grows as they part", () => {
    const q = Float64Array.from([0.25, 0.25, 0.25, 0.25]);
    expect(pearsonDivergence(q, q)).toBe(0);
    const near = pearsonDivergence(Float64Array.from([0.3, 0.2, 0.25, 0.25]), q);
    const far = pearsonDivergence(Float64Array.from([0.7, 0.1, 0.1, 0.1]), q);
    // Σ (p − q)² / q by hand: (0.05² · 2) / 0.25 = 0.02.
    expect(near).toBeCloseTo(0.02, 10);
    expect(far).toBeGreaterThan(near);
  });
});
