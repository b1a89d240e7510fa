import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { plan } from "../../../src/engine/index.js";
import { specWith } from "../../support/simulate.js";
import { curve } from "../../support/trials.js";

describe("Median early stopping", () => {
  const spec = specWith({
    earlyStopping: { rule: "Median", minTrials: 3, startStep: 2 },
    limits: { maxTrials: 10, parallelism: 2 },
  });
  const peers = [
    curve(0, [0.5, 0.6, 0.7], "Succeeded"),
    curve(1, [0.5, 0.65, 0.75], "Succeeded"),
    curve(2, [0.4, 0.7, 0.8], "Succeeded"),
  ];

  it("stops a running trial whose best value is below the median at its step", () => {
    const result = plan(spec, [...peers, curve(3, [0.3, 0.4], "Running")], 0);
    expect(result.stop).toEqual([expect.objectContaining({ index: 3, reason: "EarlyStopped", step: 2 })]);
  });

  it("stops at the first step the rule fires, whatever reports the plan sees at once", () => {
    // Behind at step 2 (0.55 < median 0.65), ahead from step 3 on.
    const oneByOne = plan(spec, [...peers, curve(3, [0.3, 0.55], "Running")], 0).stop;
    const batched = plan(spec, [...peers, curve(3, [0.3, 0.55, 0.9], "Running")], 0).stop;
    expect(batched).toEqual(oneByOne);
    expect(batched).toEqual([
      {
        index: 3,
        reason: "EarlyStopped",
        step: 2,
        message: "best accuracy 0.55 by step 2 is worse than the median 0.65 of 3 trials",
      },
    ]);
  });

  it("never stops a trial at maxResource", () => {
    const capped = specWith({
      earlyStopping: { rule: "Median", minTrials: 3, startStep: 2, maxResource: 3 },
      limits: { maxTrials: 10, parallelism: 2 },
    });
    // Behind only at step 3 (0.6 < median 0.75), the full budget.
    const lateFall = curve(3, [0.3, 0.66, 0.6], "Running");
    expect(plan(spec, [...peers, lateFall], 0).stop).toEqual([
      expect.objectContaining({ index: 3, step: 3 }),
    ]);
    expect(plan(capped, [...peers, lateFall], 0).stop).toEqual([]);
  });

  it("lets a promising trial run", () => {
    expect(plan(spec, [...peers, curve(3, [0.3, 0.66], "Running")], 0).stop).toEqual([]);
  });

  it("never stops before startStep", () => {
    expect(plan(spec, [...peers, curve(3, [0.01], "Running")], 0).stop).toEqual([]);
  });

  it("waits for minTrials finished trials at that step", () => {
    expect(plan(spec, [peers[0] as TrialObservation, curve(3, [0.1, 0.1], "Running")], 0).stop).toEqual([]);
  });

  it("does not ask twice", () => {
    const asked = { ...curve(3, [0.3, 0.4], "Running"), stopRequested: true };
    expect(plan(spec, [...peers, asked], 0).stop).toEqual([]);
  });
});
