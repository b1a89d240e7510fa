import { describe, expect, it } from "vitest";
import type { Plan } from "../../../src/engine/index.js";
import { invalidStatus, tuningJobStatus } from "../../../src/operator/tuningjob-status.js";

const counts = {
  created: 4,
  active: 1,
  succeeded: 3,
  failed: 0,
  earlyStopped: 0,
  metricsUnavailable: 0,
  preempted: 0,
};
const basePlan: Plan = { create: [], stop: [], counts, strategy: "TPE", message: "3/10 trials finished" };
const input = (plan: Plan, current?: Parameters<typeof tuningJobStatus>[0]["current"]) => ({
  jobName: "demo",
  generation: 2,
  current,
  plan,
  maxTrials: 10,
  suspended: false,
  seed: 5,
  now: "2026-01-01T00:00:00Z",
});

describe("tuningJobStatus", () => {
  it("reports a running job with progress, counts and the best trial", () => {
    const best = { index: 2, parameters: { lr: 0.1 }, metrics: { accuracy: 0.9 }, objectiveValue: 0.9 };
    const status = tuningJobStatus(input({ ...basePlan, best }));
    expect(status).toMatchObject({
      phase: "Running",
      observedGeneration: 2,
      progress: "3/10",
      strategy: "TPE",
      seed: 5,
      bestTrial: { name: "demo-2", index: 2, objectiveValue: 0.9 },
    });
    expect(status.conditions?.find((c) => c.type === "Running")?.status).toBe("True");
  });

  it("keeps lastTransitionTime when nothing flips, and records completion", () => {
    const first = tuningJobStatus(input(basePlan));
    const again = tuningJobStatus({ ...input(basePlan, first), now: "2026-01-01T00:05:00Z" });
    expect(again.conditions).toEqual(first.conditions);
    const done = tuningJobStatus({
      ...input(
        { ...basePlan, completion: { reason: "MaxTrialsReached", succeeded: true, message: "done" } },
        first,
      ),
      now: "2026-01-01T00:09:00Z",
    });
    expect(done.phase).toBe("Complete");
    expect(done.completionTime).toBe("2026-01-01T00:09:00Z");
    expect(done.conditions?.find((c) => c.type === "Complete")).toMatchObject({
      status: "True",
      reason: "MaxTrialsReached",
    });
  });

  it("carries the Pareto front (capped) and its hypervolume", () => {
    const front = Array.from({ length: 80 }, (_, i) => ({
      index: i,
      parameters: {},
      metrics: { a: i, b: -i },
      objectiveValue: i,
    }));
    const status = tuningJobStatus(input({ ...basePlan, paretoFront: front, hypervolume: 12.5 }));
    expect(status.paretoFront).toHaveLength(50);
    expect(status.paretoHypervolume).toBe(12.5);
  });

  it("marks an invalid spec with the messages", () => {
    const status = invalidStatus(undefined, ["spec.limits: bad"], 3, "2026-01-01T00:00:00Z");
    expect(status).toMatchObject({ phase: "Invalid", observedGeneration: 3, message: "spec.limits: bad" });
    expect(status.conditions?.[0]).toMatchObject({ type: "Invalid", status: "True", reason: "InvalidSpec" });
  });
});
