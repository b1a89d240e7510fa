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
