import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plan } from "../../../src/engine/index.js";
import { specWith } from "../../support/simulate.js";
import { curve } from "../../support/trials.js";

describe("engine with ASHA", () => {
  const spec = specWith({
    earlyStopping: { rule: "ASHA", minResource: 1, maxResource: 9, reductionFactor: 3 },
    limits: { maxTrials: 10, parallelism: 3 },
  });
  const finished = [0.5, 0.6, 0.7, 0.8].map((a, i) => curve(i, [a, a, a, a, a, a, a, a, a], "Succeeded"));

  it("stops the running trial that is out of the top third at its rung, and only it", () => {
    // Rung 1 holds 0.5, 0.6, 0.7, 0.8 and the two candidates: n = 6, the bar is the 2nd best.
    const result = plan(spec, [...finished, curve(4, [0.75], "Running"), curve(5, [0.9], "Running")], 0);
    expect(result.stop).toEqual([expect.objectContaining({ index: 4, reason: "EarlyStopped" })]);
    expect(result.stop[0]?.message).toContain("ASHA");
  });

  it("does not ask twice", () => {
    const asked = { ...curve(4, [0.1], "Running"), stopRequested: true };
    expect(plan(spec, [...finished, asked], 0).stop).toEqual([]);
  });
});

describe("the engine never stops a trial before its minimum resource", () => {
  for (const rule of ["ASHA", "Hyperband"] as const) {
    it(`${rule}`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 0, max: 6 }),
          fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), {
            minLength: 1,
            maxLength: 12,
          }),
          (minResource, startStep, curves) => {
            const spec = specWith({
              earlyStopping: {
                rule,
                minResource,
                startStep,
                maxResource: minResource * 9,
                reductionFactor: 2,
              },
              limits: { maxTrials: 100, parallelism: 100 },
            });
            const trials = curves.map((c, i) => curve(i, c, i % 2 === 0 ? "Succeeded" : "Running"));
            for (const stop of plan(spec, trials, 0).stop) {
              const reached = trials[stop.index]?.history.length ?? 0;
              expect(reached).toBeGreaterThanOrEqual(Math.max(minResource, startStep));
              expect(reached).toBeLessThan(minResource * 9);
            }
          },
        ),
      );
    });
  }
});
