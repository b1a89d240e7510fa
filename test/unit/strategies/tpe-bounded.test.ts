import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TrialPhase } from "../../../src/api/index.js";
import {
  dominates,
  firstFronts,
  nonDominatedIndices,
  nonDominationRanks,
} from "../../../src/space/pareto.js";
import { tpeStrategy } from "../../../src/strategies/index.js";
import { boundedKernels } from "../../../src/strategies/tpe/boundedKernels.js";
import type { ObservedTrial } from "../../../src/strategies/tpe/observations.js";
import { defaultWeights, FLAT_WEIGHT_TRIALS } from "../../../src/strategies/tpe/split.js";
import { makeRequest, range } from "./fixtures.js";
import { randomHistory } from "./tpe-history.js";

function trials(count: number, pendingEvery = 0): ObservedTrial[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    point: Float64Array.of(index / count),
    state: pendingEvery > 0 && index % pendingEvery === 0 ? "pending" : "complete",
    losses: [index],
    step: 0,
  }));
}

const pendingPositions = (above: readonly ObservedTrial[]) =>
  above.flatMap((t, i) => (t.state === "pending" ? [i] : []));

describe("TPE's bounded g(x)", () => {
  it("keeps every kernel while the older finished trials fit under the cap", () => {
    const above = trials(300);
    const weights = defaultWeights(above.length);
    const bounded = boundedKernels(above, weights, [], 512);
    expect(bounded.points).toEqual(above.map((t) => t.point));
    expect(bounded.weights).toEqual(weights);
  });

  it("past the cap, resamples only the older finished trials, keeping their total weight", () => {
    const above = trials(5_000, 97);
    const weights = defaultWeights(above.length);
    const bounded = boundedKernels(above, weights, pendingPositions(above), 200);
    const pending = above.filter((t) => t.state === "pending");
    const newest = above.slice(-FLAT_WEIGHT_TRIALS);
    const kept = new Set([...pending, ...newest].map((t) => t.point));
    // Every pending trial (the constant liar) and the newest trials stay, with their own weights.
    for (const point of kept) expect(bounded.points).toContain(point);
    const drawn = bounded.points.filter((p) => !kept.has(p));
    expect(drawn.length).toBeLessThanOrEqual(200);
    expect(drawn.length).toBeGreaterThan(150);
    const total = (xs: readonly number[]) => xs.reduce((s, w) => s + w, 0);
    expect(total(bounded.weights)).toBeCloseTo(total(weights), 6);
  });

  it("draws the older trials in proportion to their weights (the age ramp favours newer ones)", () => {
    const above = trials(20_000);
    const bounded = boundedKernels(above, defaultWeights(above.length), [], 400);
    const drawn = bounded.points.slice(0, -FLAT_WEIGHT_TRIALS).map((p) => p[0] as number);
    const newerHalf = drawn.filter((u) => u >= 0.5).length;
    // The ramp puts 3/4 of the weight on the newer half of the trials.
    expect(newerHalf / drawn.length).toBeCloseTo(0.75, 1);
  });

  it("plans a large job the same whether or not its trials' encodings are cached (a cold start)", () => {
    const base = makeRequest(
      [
        { name: "lr", type: "Float", min: 1e-4, max: 1, scale: "Log" },
        { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
        { name: "opt", type: "Categorical", values: ["sgd", "adam", "rmsprop"] },
      ],
      range(4, 1_500),
      7,
    );
    const phases = Array.from(
      { length: 1_500 },
      (_, i) => (i % 50 === 0 ? "Running" : "Succeeded") as TrialPhase,
    );
    const warm = randomHistory(base.space, phases, 7);
    const first = tpeStrategy.suggest({ ...base, history: warm });
    expect(tpeStrategy.suggest({ ...base, history: warm })).toEqual(first);
    // Fresh objects, as an operator rebuilt from the cluster would hold: nothing cached applies.
    const cold = warm.map((t) => structuredClone(t));
    expect(tpeStrategy.suggest({ ...base, history: cold })).toEqual(first);
  });
});

const pointsArb = fc.integer({ min: 2, max: 3 }).chain((objectives) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: objectives, maxLength: objectives }), {
    maxLength: 60,
  }),
);

describe("Pareto fronts by sweeping", () => {
  it("finds exactly the points nothing dominates, in input order", () => {
    fc.assert(
      fc.property(pointsArb, (points) => {
        const brute = points.flatMap((p, i) => (points.some((q) => dominates(q, p)) ? [] : [i]));
        expect(nonDominatedIndices(points)).toEqual(brute);
      }),
    );
  });

  it("peels the same first ranks as the full non-dominated sort", () => {
    fc.assert(
      fc.property(pointsArb, fc.integer({ min: 1, max: 30 }), (points, count) => {
        const ranks = nonDominationRanks(points);
        const fronts = firstFronts(points, count);
        fronts.forEach((front, rank) => {
          expect(front).toEqual(points.flatMap((_, i) => (ranks[i] === rank ? [i] : [])));
        });
        const taken = fronts.reduce((s, f) => s + f.length, 0);
        expect(taken >= Math.min(count, points.length)).toBe(true);
        expect(taken - (fronts.at(-1)?.length ?? 0)).toBeLessThan(Math.max(count, 1));
      }),
    );
  });
});
