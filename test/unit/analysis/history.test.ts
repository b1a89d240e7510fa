import { describe, expect, it } from "vitest";
import { bestSoFar, type FinishedVectorPoint, hypervolumeHistory } from "../../../src/analysis/index.js";
import type { ObjectiveSpec } from "../../../src/api/index.js";
import { frontHypervolume } from "../../../src/engine/frontHypervolume.js";
import { paretoFront, type RankedTrial } from "../../../src/engine/index.js";
import { createRng } from "../../../src/space/random.js";

describe("bestSoFar", () => {
  const points = [
    { index: 3, value: 5 },
    { index: 0, value: 7 },
    { index: 1, value: Number.NaN },
    { index: 2, value: 2 },
    { index: 4, value: 9 },
  ];

  it("keeps the running minimum, in finishing order, leaving out values that are not finite", () => {
    expect(bestSoFar(points, "Minimize")).toEqual({ index: [3, 0, 2, 4], value: [5, 5, 2, 2] });
  });

  it("keeps the running maximum when maximising", () => {
    expect(bestSoFar(points, "Maximize")).toEqual({ index: [3, 0, 2, 4], value: [5, 7, 7, 9] });
  });

  it("is empty without points", () => {
    expect(bestSoFar([], "Minimize")).toEqual({ index: [], value: [] });
  });
});

describe("hypervolumeHistory", () => {
  const objectives = (directions: ObjectiveSpec["direction"][]): ObjectiveSpec[] =>
    directions.map((direction, m) => ({ name: `m${m}`, direction, reduction: "Last" }));

  /** What the engine reports for these points once every trial has finished. */
  function engineHypervolume(
    points: readonly FinishedVectorPoint[],
    specs: ObjectiveSpec[],
  ): number | undefined {
    const ranked: RankedTrial[] = points
      .filter((p) => p.values.every(Number.isFinite))
      .map((p) => ({
        index: p.index,
        parameters: {},
        metrics: Object.fromEntries(p.values.map((v, m) => [`m${m}`, v])),
        objectiveValue: p.values[0] as number,
      }));
    return frontHypervolume(ranked, paretoFront(ranked, specs), specs);
  }

  function randomPoints(count: number, dimensions: number, seed: number): FinishedVectorPoint[] {
    const rng = createRng(seed);
    return Array.from({ length: count }, (_, i) => ({
      index: i,
      values: Array.from({ length: dimensions }, () => rng.next() * 10),
    }));
  }

  it("works out a small 2-D history by hand", () => {
    // Losses (1, 3), (3, 1), (2, 2), (4, 4): the reference is 4 + 0.1 · 3 = 4.3 on both.
    const points = [
      { index: 0, values: [1, 3] },
      { index: 1, values: [3, 1] },
      { index: 2, values: [2, 2] },
      { index: 3, values: [4, 4] },
    ];
    const history = hypervolumeHistory(points, ["Minimize", "Minimize"]);
    expect(history.index).toEqual([0, 1, 2, 3]);
    const expected = [3.3 * 1.3, 3.3 * 1.3 + 1.3 * 2, 3.3 * 1.3 + 1.3 * 2 + 1, 3.3 * 1.3 + 1.3 * 2 + 1];
    for (const [i, v] of history.value.entries()) expect(v).toBeCloseTo(expected[i] as number, 12);
  });

  for (const [dimensions, directions] of [
    [2, ["Minimize", "Maximize"]],
    [3, ["Maximize", "Minimize", "Maximize"]],
  ] as const) {
    it(`ends at the engine's hypervolume and never goes down (${dimensions} objectives)`, () => {
      const points = randomPoints(400, dimensions, dimensions);
      points[17] = { index: 17, values: directions.map(() => Number.NaN) };
      const history = hypervolumeHistory(points, [...directions], 50);
      const reported = engineHypervolume(points, objectives([...directions])) as number;
      expect(reported).toBeGreaterThan(0);
      expect(history.value.at(-1)).toBeCloseTo(reported, 10);
      for (let i = 1; i < history.value.length; i++)
        expect(history.value[i]).toBeGreaterThanOrEqual(history.value[i - 1] as number);
    });
  }

  it("reports about `checkpoints` evenly spaced points and always the last", () => {
    const points = randomPoints(1000, 2, 9);
    const history = hypervolumeHistory(points, ["Minimize", "Minimize"], 200);
    expect(history.index).toHaveLength(200);
    expect(history.index.slice(0, 3)).toEqual([4, 9, 14]);
    expect(history.index.at(-1)).toBe(999);
    const uneven = hypervolumeHistory(points.slice(0, 333), ["Minimize", "Minimize"], 7);
    expect(uneven.index).toHaveLength(7);
    expect(uneven.index.at(-1)).toBe(332);
    // Fewer points than checkpoints: every point.
    expect(hypervolumeHistory(points.slice(0, 5), ["Minimize", "Minimize"]).index).toEqual([0, 1, 2, 3, 4]);
  });

  it("leaves out points missing an objective and handles a single objective", () => {
    const points = [
      { index: 0, values: [4] },
      { index: 1, values: [Number.POSITIVE_INFINITY] },
      { index: 2, values: [2, 1] },
      { index: 3, values: [1] },
    ];
    // Reference 4 + 0.1 · 3 = 4.3; the best loss so far 4, then 1.
    const history = hypervolumeHistory(points, ["Minimize"]);
    expect(history.index).toEqual([0, 3]);
    expect(history.value[0]).toBeCloseTo(0.3, 12);
    expect(history.value[1]).toBeCloseTo(3.3, 12);
    expect(hypervolumeHistory([], ["Minimize", "Minimize"])).toEqual({ index: [], value: [] });
  });
});
