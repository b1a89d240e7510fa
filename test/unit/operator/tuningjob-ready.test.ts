// The summary conditions GitOps tools read (kstatus: Ready=True is done, Stalled=True has failed).
import { describe, expect, it } from "vitest";
import type { Plan } from "../../../src/engine/index.js";
import { invalidStatus, tuningJobStatus } from "../../../src/operator/tuningjob-status.js";

const counts = {
  created: 2,
  active: 0,
  succeeded: 2,
  failed: 0,
  earlyStopped: 0,
  metricsUnavailable: 0,
  preempted: 0,
};

function status(plan: Partial<Plan>, suspended = false) {
  return tuningJobStatus({
    jobName: "tj",
    generation: 3,
    current: undefined,
    plan: { create: [], stop: [], counts, strategy: "Random", message: "m", ...plan },
    maxTrials: 2,
    suspended,
    seed: 1,
    now: "2026-01-01T00:00:00Z",
  });
}

const ready = (s: { conditions?: { type: string }[] }) => s.conditions?.find((c) => c.type === "Ready");

describe("the Ready condition", () => {
  it("is True with the generation once the job is Complete", () => {
    const done = status({ completion: { reason: "MaxTrialsReached", succeeded: true, message: "done" } });
    expect(ready(done)).toMatchObject({ status: "True", reason: "Complete", observedGeneration: 3 });
  });

  it("is False, with the phase as reason, while running, suspended or failed", () => {
    expect(ready(status({ counts: { ...counts, active: 1 } }))).toMatchObject({
      status: "False",
      reason: "Running",
    });
    expect(ready(status({}, true))).toMatchObject({ status: "False", reason: "Suspended" });
    const failed = status({
      completion: { reason: "MaxFailedTrialsExceeded", succeeded: false, message: "x" },
    });
    expect(ready(failed)).toMatchObject({ status: "False", reason: "Failed" });
  });

  it("is False for an invalid spec", () => {
    expect(ready(invalidStatus(undefined, ["bad"], 2, "2026-01-01T00:00:00Z"))).toMatchObject({
      status: "False",
      reason: "Invalid",
      message: "bad",
      observedGeneration: 2,
    });
  });
});

const stalled = (s: { conditions?: { type: string }[] }) => s.conditions?.find((c) => c.type === "Stalled");

describe("the Stalled condition", () => {
  it("is True, with the failure's reason and message, once the job has Failed", () => {
    const failed = status({
      completion: { reason: "MaxFailedTrialsExceeded", succeeded: false, message: "4 trials failed" },
    });
    expect(stalled(failed)).toMatchObject({
      status: "True",
      reason: "MaxFailedTrialsExceeded",
      message: "4 trials failed",
      observedGeneration: 3,
    });
  });

  it("is True for an invalid spec, and gone once the spec is valid again", () => {
    const invalid = invalidStatus(undefined, ["bad"], 2, "2026-01-01T00:00:00Z");
    expect(stalled(invalid)).toMatchObject({ status: "True", reason: "InvalidSpec", message: "bad" });
    const fixed = tuningJobStatus({
      jobName: "tj",
      generation: 3,
      current: invalid,
      plan: { create: [], stop: [], counts: { ...counts, active: 1 }, strategy: "Random", message: "m" },
      maxTrials: 2,
      suspended: false,
      seed: 1,
      now: "2026-01-01T00:00:01Z",
    });
    expect(stalled(fixed)).toBeUndefined();
    expect(fixed.conditions?.map((c) => c.type)).not.toContain("Invalid");
  });

  it("is never set while running, suspended or complete", () => {
    expect(stalled(status({ counts: { ...counts, active: 1 } }))).toBeUndefined();
    expect(stalled(status({}, true))).toBeUndefined();
    expect(
      stalled(status({ completion: { reason: "MaxTrialsReached", succeeded: true, message: "d" } })),
    ).toBeUndefined();
  });
});
