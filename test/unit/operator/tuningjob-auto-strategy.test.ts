// Auto's choice is written to status.strategy on the first plan and read back on every later one.
import { describe, expect, it } from "vitest";
import type { StoredTuningJob } from "../../../src/operator/deps.js";
import { createTuningJobReconciler } from "../../../src/operator/tuningjob-controller.js";
import { jobDocument } from "../../support/jobs.js";
import { fakeCluster, silentLog } from "./fakeCluster.js";

function autoJob(maxTrials: number): StoredTuningJob {
  const doc = jobDocument();
  doc.spec.parameters = [
    { name: "lr", type: "Float", min: 0.001, max: 0.1, scale: "Log" },
    { name: "layers", type: "Int", min: 1, max: 4 },
  ];
  doc.spec.search = { strategy: "Auto", seed: 1 };
  doc.spec.limits = { maxTrials, parallelism: 2 };
  return { ...doc, metadata: { ...doc.metadata, namespace: "ns", uid: "u1", generation: 1 } };
}

const reconcilerFor = (cluster: ReturnType<typeof fakeCluster>) =>
  createTuningJobReconciler({ ...cluster, now: () => new Date("2026-01-01T00:00:00Z") });

describe("TuningJob reconcile: Auto's choice", () => {
  it("is written on the first plan and kept when maxTrials is raised, across an operator restart", async () => {
    const job = autoJob(20);
    const cluster = fakeCluster([job]);
    await reconcilerFor(cluster)("ns/demo", silentLog);
    expect(job.status?.strategy).toBe("Bayesian");

    // A larger budget would make Auto pick TPE; a fresh reconciler (a restarted operator) reads the status.
    const raised = { ...autoJob(500), status: job.status };
    const restarted = fakeCluster([raised], cluster.trials);
    await reconcilerFor(restarted)("ns/demo", silentLog);
    expect(raised.status?.strategy).toBe("Bayesian");
    expect(raised.status?.message).toContain("Auto chose Bayesian");
  });

  it("a job without a stored choice resolves as before", async () => {
    const job = autoJob(500);
    await reconcilerFor(fakeCluster([job]))("ns/demo", silentLog);
    expect(job.status?.strategy).toBe("TPE");
  });
});
