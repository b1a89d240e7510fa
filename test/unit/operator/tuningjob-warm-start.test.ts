// warmStartFrom on the operator: an Event says how many earlier trials were loaded, once.
import { describe, expect, it } from "vitest";
import type { Trial } from "../../../src/api/index.js";
import type { StoredTuningJob } from "../../../src/operator/deps.js";
import { trialLabels } from "../../../src/operator/labels.js";
import { createTuningJobReconciler } from "../../../src/operator/tuningjob-controller.js";
import { jobDocument } from "../../support/jobs.js";
import { fakeCluster, silentLog } from "./fakeCluster.js";

function earlierTrial(index: number, lr: number, phase: "Succeeded" | "Failed"): Trial {
  const name = `earlier-${index}`;
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "Trial",
    metadata: { name, namespace: "ns", labels: trialLabels("earlier", name) },
    spec: { tuningJob: "earlier", index, parameters: { lr, layers: 2, optimizer: "adam" } },
    status: { phase, metrics: phase === "Succeeded" ? { accuracy: 0.5 + index / 10 } : {} },
  };
}

function warmJob(): StoredTuningJob {
  const doc = jobDocument();
  doc.spec.search = { strategy: "Random", seed: 1, warmStartFrom: ["earlier"] };
  return { ...doc, metadata: { ...doc.metadata, namespace: "ns", uid: "u1", generation: 1 } };
}

describe("TuningJob reconcile: warm start", () => {
  it("records one WarmStart event with the loaded count and why the others were left out", async () => {
    const job = warmJob();
    const trials = [
      earlierTrial(0, 0.01, "Succeeded"),
      earlierTrial(1, 0.5, "Succeeded"),
      earlierTrial(2, 0.01, "Failed"),
    ];
    const cluster = fakeCluster([job], trials);
    const reconcile = createTuningJobReconciler({ ...cluster, now: () => new Date("2026-01-01T00:00:00Z") });
    await reconcile("ns/demo", silentLog);
    await reconcile("ns/demo", silentLog);
    const warm = cluster.recorded.filter((e) => e.reason === "WarmStart");
    expect(warm).toEqual([
      {
        type: "Normal",
        reason: "WarmStart",
        message:
          "warm start from earlier: 1 earlier trial(s) loaded; 2 left out: 1 not finished successfully, 1 parameter lr outside [0.001, 0.1]",
      },
    ]);
  });

  it("says so when the named job has no trials", async () => {
    const job = warmJob();
    const cluster = fakeCluster([job]);
    await createTuningJobReconciler({ ...cluster, now: () => new Date() })("ns/demo", silentLog);
    expect(cluster.recorded.find((e) => e.reason === "WarmStart")?.message).toBe(
      "warm start from earlier: no earlier trial loaded (none finished there)",
    );
  });
});
