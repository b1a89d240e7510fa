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
    expect(result.stop).toEqual([expect.objectContaining({ index: 3, reason: "EarlyStopped" })]);
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
