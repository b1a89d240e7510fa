import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { describeWarmStart, plan, summarizeWarmStart, warmStartHistory } from "../../../src/engine/index.js";
import { createSearchSpace } from "../../../src/space/index.js";
import { specWith } from "../../support/simulate.js";

const prior = (parameters: TrialObservation["parameters"], accuracy: number): TrialObservation => ({
  index: 0,
  parameters,
  phase: "Succeeded",
  history: [{ values: { accuracy } }],
  createdAt: 0,
});

describe("warm start", () => {
  const spec = specWith();
  const space = createSearchSpace(spec.parameters);

  it("keeps finished priors that fit the space, with negative indices", () => {
    const fits = prior({ lr: 0.01, layers: 2, optimizer: "adam" }, 0.9);
    const misfit = prior({ lr: 5, layers: 2, optimizer: "adam" }, 0.99);
    const failed = { ...fits, phase: "Failed" as const };
    expect(warmStartHistory([fits, misfit, failed], spec, space).map((t) => t.index)).toEqual([-1]);
  });

  it("counts priors neither toward the budget nor the best trial", () => {
    const priors = [prior({ lr: 0.01, layers: 2, optimizer: "adam" }, 0.99)];
    const result = plan(spec, [], 0, 0, priors);
    expect(result.create.map((c) => c.index)).toEqual([0, 1]);
    expect(result.best).toBeUndefined();
    expect(result.counts.created).toBe(0);
  });
});

describe("warm start: what was loaded and why the rest was not", () => {
  const spec = specWith();
  const fits = prior({ lr: 0.01, layers: 2, optimizer: "adam" }, 0.9);

  it("counts the fitting priors and groups the others by reason", () => {
    const priors = [
      fits,
      prior({ lr: 0.01, layers: 3, optimizer: "adam" }, 0.8),
      prior({ lr: 5, layers: 2, optimizer: "adam" }, 0.99),
      prior({ lr: 0.5, layers: 2, optimizer: "adam" }, 0.99),
      prior({ lr: 0.01, layers: 2, optimizer: "adam", dropout: 0.1 }, 0.9),
      prior({ lr: 0.01, layers: 2, optimizer: "rmsprop" }, 0.9),
      prior({ lr: 0.01, layers: 2.5, optimizer: "adam" }, 0.9),
      prior({ lr: 0.01, layers: 2, optimizer: "adam", momentum: 0.9 }, 0.9),
      prior({ lr: 0.01, optimizer: "adam" }, 0.9),
      { ...fits, phase: "Failed" as const },
      { ...fits, history: [{ values: { loss: 0.1 } }] },
    ];
    const summary = summarizeWarmStart(priors, spec);
    expect(summary).toEqual({
      loaded: 2,
      leftOut: [
        { reason: "parameter lr outside [0.001, 0.1]", count: 2 },
        { reason: "not finished successfully", count: 1 },
        { reason: "objective accuracy missing", count: 1 },
        { reason: "parameter layers missing", count: 1 },
        { reason: "parameter layers not an integer", count: 1 },
        { reason: "parameter momentum set though its condition (when) does not hold", count: 1 },
        { reason: "parameter optimizer not one of [sgd, adam]", count: 1 },
        { reason: "unknown parameter dropout", count: 1 },
      ],
    });
    // The strategy sees exactly the priors counted as loaded.
    expect(warmStartHistory(priors, spec, createSearchSpace(spec.parameters))).toHaveLength(2);
    expect(describeWarmStart(summary)).toMatch(
      /^2 earlier trial\(s\) loaded; 9 left out: 2 parameter lr outside \[0.001, 0.1\], 1 not finished/,
    );
  });

  it("says so when nothing was loaded", () => {
    expect(describeWarmStart(summarizeWarmStart([], spec))).toBe(
      "no earlier trial loaded (none finished there)",
    );
    const failed = { ...fits, phase: "Failed" as const };
    expect(describeWarmStart(summarizeWarmStart([failed], spec))).toBe(
      "no earlier trial loaded; 1 left out: 1 not finished successfully",
    );
  });
});

describe("warm start with a model-based strategy", () => {
  it("lets TPE skip its start-up trials when enough priors exist", () => {
    const spec = specWith({ search: { strategy: "TPE", seed: 1, startupTrials: 3 } });
    const priors = Array.from({ length: 8 }, (_, i) =>
      prior({ lr: 0.001 * (i + 1), layers: 1 + (i % 4), optimizer: i % 2 ? "adam" : "sgd" }, i / 10),
    );
    const cold = plan(spec, [], 0, 0);
    const warm = plan(spec, [], 0, 0, priors);
    // Without priors the first trials are the Sobol start-up points; with them the model proposes.
    expect(warm.create[0]?.parameters).not.toEqual(cold.create[0]?.parameters);
    expect(warm.create.map((c) => c.index)).toEqual(cold.create.map((c) => c.index));
  });
});
