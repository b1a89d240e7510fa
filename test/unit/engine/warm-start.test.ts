import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { plan, warmStartHistory } from "../../../src/engine/index.js";
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
    expect(warmStartHistory([fits, misfit, failed], space).map((t) => t.index)).toEqual([-1]);
  });

  it("counts priors neither toward the budget nor the best trial", () => {
    const priors = [prior({ lr: 0.01, layers: 2, optimizer: "adam" }, 0.99)];
    const result = plan(spec, [], 0, 0, priors);
    expect(result.create.map((c) => c.index)).toEqual([0, 1]);
    expect(result.best).toBeUndefined();
    expect(result.counts.created).toBe(0);
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
