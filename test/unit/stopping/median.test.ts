import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { type StopDecision, stoppingRuleFor } from "../../../src/stopping/index.js";
import { request, settingsWith, trial } from "./fixtures.js";

const settings = settingsWith({ rule: "Median", minTrials: 3, startStep: 2 });
const medianRule = stoppingRuleFor(settings);
if (!medianRule) throw new Error("Median is not registered");

// Finished peers: loss 1, 0.8, 0.6, 0.5, 0.4, 0.3 at steps 1–6 (give or take a little).
const peerLoss = [1, 0.8, 0.6, 0.5, 0.4, 0.3];
const peers = [-0.01, 0, 0.01].map((shift, i) =>
  trial(
    i,
    peerLoss.map((loss, s): [number, number] => [s + 1, loss + shift]),
    "Succeeded",
  ),
);
// Keeps up until step 3, falls behind at step 4 (best 0.59 > median 0.5), then recovers.
const lagging: [number, number][] = [
  [1, 1],
  [2, 0.79],
  [3, 0.59],
  [4, 0.7],
  [5, 0.1],
  [6, 0.05],
];

function decide(candidate: TrialObservation, overrides: Record<string, unknown> = {}): StopDecision[] {
  const s = settingsWith({ rule: "Median", minTrials: 3, startStep: 2, ...overrides });
  return medianRule?.decide(request(s, [...peers, candidate], [candidate])) ?? [];
}

/** Shows the rule the trial's reports one at a time; the first decision, or undefined. */
function decideOneByOne(points: [number, number][], overrides: Record<string, unknown> = {}) {
  for (let seen = 1; seen <= points.length; seen++) {
    const [decision] = decide(trial(3, points.slice(0, seen)), overrides);
    if (decision) return decision;
  }
  return undefined;
}

describe("Median", () => {
  it("stops at the first step where the rule fires, with that step", () => {
    expect(decide(trial(3, lagging))).toEqual([
      {
        index: 3,
        step: 4,
        message: "best loss 0.59 by step 4 is worse than the median 0.5 of 3 trials",
      },
    ]);
  });

  it("decides the same when the reports are seen all at once or one by one", () => {
    const oneByOne = decideOneByOne(lagging);
    expect(oneByOne?.step).toBe(4);
    expect(decide(trial(3, lagging))).toEqual([oneByOne]);
    // And in any batching in between, or out of order.
    expect(decide(trial(3, [...lagging.slice(0, 2), ...lagging.slice(2).reverse()]))).toEqual([oneByOne]);
  });

  it("judges the best value up to the step, not the best reported later", () => {
    const [decision] = decide(trial(3, lagging));
    expect(decision?.message).toContain("best loss 0.59 by step 4");
  });

  it("lets a trial through that is never behind", () => {
    const ahead = peerLoss.map((loss, s): [number, number] => [s + 1, loss - 0.05]);
    expect(decide(trial(3, ahead))).toEqual([]);
  });

  it("never judges a step at or past maxResource", () => {
    // Behind only at the last step, 6.
    const lateFall: [number, number][] = peerLoss.map((loss, s) => [s + 1, s === 5 ? 0.9 : loss - 0.05]);
    // Even at its best so far (0.35) it is behind the median 0.3 at step 6.
    expect(decide(trial(3, lateFall)).map((d) => d.step)).toEqual([6]);
    expect(decide(trial(3, lateFall), { maxResource: 6 })).toEqual([]);
    expect(decideOneByOne(lateFall, { maxResource: 6 })).toBeUndefined();
    // Steps below maxResource are still judged.
    expect(decide(trial(3, lagging), { maxResource: 5 }).map((d) => d.step)).toEqual([4]);
    expect(decide(trial(3, lagging), { maxResource: 4 })).toEqual([]);
  });

  it("still waits for startStep and minTrials", () => {
    expect(decide(trial(3, lagging), { startStep: 5 })).toEqual([]);
    expect(decide(trial(3, lagging), { minTrials: 4 })).toEqual([]);
  });
});
