import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { stoppingRuleFor } from "../../../src/stopping/index.js";
import { request, settingsWith, steps, trial } from "./fixtures.js";

const asha = stoppingRuleFor(settingsWith({ rule: "ASHA" }));
if (!asha) throw new Error("ASHA is not registered");
const stopped = (settings: ReturnType<typeof settingsWith>, history: TrialObservation[]) =>
  asha.decide(request(settings, history)).map((d) => d.index);

/**
 * Runs trials one after another (parallelism 1), asking the rule after each
 * report, and returns the step at which each trial was stopped (undefined: it
 * ran in full).
 */
function runSequentially(
  settings: ReturnType<typeof settingsWith>,
  curves: ((step: number) => number)[],
  lastStep: number,
): (number | undefined)[] {
  const history: TrialObservation[] = [];
  return curves.map((loss, index) => {
    const current = trial(index, []);
    history.push(current);
    for (let step = 1; step <= lastStep; step++) {
      current.history.push({ step, values: { loss: loss(step) } });
      if (stopped(settings, history).includes(index)) {
        current.phase = "EarlyStopped";
        return step;
      }
    }
    current.phase = "Succeeded";
    return undefined;
  });
}

describe("ASHA", () => {
  const settings = settingsWith({ rule: "ASHA", minResource: 1, reductionFactor: 3, maxResource: 9 });
  // Loss v1 at steps 1–2, v3 from step 3 on: rungs at steps 1 and 3 (9 is the full budget).
  const curve = (v1: number, v3: number) => (step: number) => (step < 3 ? v1 : v3);

  it("promotes and stops on a fixed schedule, as Optuna's SuccessiveHalvingPruner", () => {
    const stopSteps = runSequentially(
      settings,
      [curve(5, 4.5), curve(3, 2.5), curve(4, 1), curve(1, 3), curve(2, 0), curve(6, 0)],
      9,
    );
    // Rung 1 entries arrive as 5, 3, 4, 1, 2, 6. Below η entries only the best
    // goes on: 5 (alone) and 3 go on, 4 stops; 1 goes on, 2 stops (n = 5, the
    // best only); 6 stops (n = 6: top ⌊6/3⌋ = 2 are 1 and 2).
    // Rung 3 entries of the survivors arrive as 4.5, 2.5, 3: trial 3 stops.
    expect(stopSteps).toEqual([undefined, undefined, 1, 3, 1, 1]);
  });

  it("lets through the top ⌊n/η⌋ of a full rung, its own value included", () => {
    const peers = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v, i) =>
      trial(
        i,
        steps(9, () => v),
        "Succeeded",
      ),
    );
    // n = 10 with the candidate: the bar is the 3rd best value, 3.
    expect(stopped(settings, [...peers, trial(9, [[1, 3]])])).toEqual([]);
    expect(stopped(settings, [...peers, trial(9, [[1, 3.5]])])).toEqual([9]);
  });

  it("maximizes when asked", () => {
    const peers = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v, i) =>
      trial(
        i,
        steps(9, () => v),
        "Succeeded",
      ),
    );
    const judge = (v: number) =>
      asha.decide(request(settings, [...peers, trial(9, [[1, v]])], undefined, "Maximize"));
    expect(judge(7)).toEqual([]);
    expect(judge(6.5).map((d) => d.index)).toEqual([9]);
  });

  it("judges on the value at the first report at or past the rung, not the best so far", () => {
    const leader = trial(
      0,
      steps(9, () => 1),
      "Succeeded",
    );
    // Reported 0.5 at step 2 (its rung-1 value), then 5 at step 3: judged at rung 3 on 5.
    const late = trial(1, [
      [2, 0.5],
      [3, 5],
    ]);
    expect(stopped(settings, [leader, late])).toEqual([1]);
    // A first report at step 2 counts for rung 1.
    expect(stopped(settings, [leader, trial(1, [[2, 0.5]])])).toEqual([]);
    expect(stopped(settings, [leader, trial(1, [[2, 1.5]])])).toEqual([1]);
  });

  it("counts rung values of stopped and failed trials too", () => {
    const history = [trial(0, [[1, 1]], "EarlyStopped"), trial(1, [[1, 2]], "Failed"), trial(2, [[1, 1.5]])];
    expect(stopped(settings, history)).toEqual([2]);
  });

  it("never stops before minResource", () => {
    const leader = trial(
      0,
      steps(9, () => 0),
      "Succeeded",
    );
    const late = settingsWith({ rule: "ASHA", minResource: 3, maxResource: 27 });
    expect(
      stopped(late, [
        leader,
        trial(
          1,
          steps(2, () => 100),
        ),
      ]),
    ).toEqual([]);
    expect(
      stopped(late, [
        leader,
        trial(
          1,
          steps(3, () => 100),
        ),
      ]),
    ).toEqual([1]);
  });

  it("never stops before startStep", () => {
    const leader = trial(
      0,
      steps(9, () => 0),
      "Succeeded",
    );
    const patient = settingsWith({ rule: "ASHA", startStep: 5, maxResource: 27 });
    expect(
      stopped(patient, [
        leader,
        trial(
          1,
          steps(4, () => 100),
        ),
      ]),
    ).toEqual([]);
    expect(
      stopped(patient, [
        leader,
        trial(
          1,
          steps(5, () => 100),
        ),
      ]),
    ).toEqual([1]);
  });

  it("never stops a trial at or past maxResource", () => {
    const leader = trial(
      0,
      steps(9, () => 0),
      "Succeeded",
    );
    const bad = (last: number) =>
      trial(
        1,
        steps(last, () => 100),
      );
    expect(stopped(settings, [leader, bad(9)])).toEqual([]);
    expect(stopped(settings, [leader, bad(12)])).toEqual([]);
    // Without maxResource the rungs go on: step 9 is one.
    const open = settingsWith({ rule: "ASHA" });
    expect(stopped(open, [leader, bad(9)])).toEqual([1]);
  });

  it("gives the rung as the step of the decision", () => {
    const leader = trial(
      0,
      steps(9, () => 0),
      "Succeeded",
    );
    const [decision] = asha.decide(
      request(settings, [
        leader,
        trial(
          1,
          steps(5, () => 100),
        ),
      ]),
    );
    expect(decision).toMatchObject({ index: 1, step: 3 });
  });

  it("says why, with the rung and the bar", () => {
    const [decision] = asha.decide(request(settings, [trial(0, [[1, 1]], "Succeeded"), trial(1, [[1, 2]])]));
    expect(decision?.message).toMatch(
      /loss 2 at the rung of step 1 .* top 1\/3 of the 2 values there \(needs ≤ 1\)/,
    );
  });
});
