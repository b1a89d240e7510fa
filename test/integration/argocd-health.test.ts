// Argo CD's own code (argocd-health: its settings and Lua health runtime,
// built by build.sh) assesses sample TuningJob statuses with the
// customization in deploy/argocd, including the edges a live job passes
// through too quickly to catch (test/node/gitops.test.ts checks live ones).
// In the integration project because it needs build.sh's binaries; it uses no cluster.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { argocdFolder, argocdHealth as health } from "../support/argocd-health.js";

const script = resolve(argocdFolder, "tuningjob-health.lua");

const condition = (type: string, message: string, status = "True") => ({
  type,
  status,
  reason: type,
  message,
  lastTransitionTime: "2026-01-01T00:00:00Z",
  observedGeneration: 2,
});

function tuningJob(status?: Record<string, unknown>, generation = 2) {
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: "tj", namespace: "ml", generation },
    spec: { suspend: false },
    ...(status && { status }),
  };
}

describe("Argo CD health check for TuningJob", () => {
  it("is Progressing before the operator has written a status", async () => {
    expect(await health(tuningJob())).toEqual({ status: "Progressing", message: "Waiting for the operator" });
  });

  it("is Progressing while the operator has not observed the latest generation", async () => {
    const stale = tuningJob({ observedGeneration: 1, conditions: [condition("Complete", "done")] }, 2);
    expect(await health(stale)).toEqual({
      status: "Progressing",
      message: "Waiting for the operator to observe generation 2",
    });
  });

  it("is Progressing while trials run, with the operator's message", async () => {
    const running = tuningJob({
      observedGeneration: 2,
      phase: "Running",
      message: "3/16 trials finished; best val_accuracy 0.91",
      conditions: [condition("Running", "x"), condition("Ready", "x", "False")],
    });
    expect(await health(running)).toEqual({
      status: "Progressing",
      message: "3/16 trials finished; best val_accuracy 0.91",
    });
  });

  it("is Healthy once Complete", async () => {
    const done = tuningJob({
      observedGeneration: 2,
      phase: "Complete",
      conditions: [
        condition("Complete", "16 trials run (maxTrials)"),
        condition("Running", "", "False"),
        condition("Ready", "", "True"),
      ],
    });
    expect(await health(done)).toEqual({ status: "Healthy", message: "16 trials run (maxTrials)" });
  });

  it("is Degraded when Failed or Invalid", async () => {
    const failed = tuningJob({
      observedGeneration: 2,
      phase: "Failed",
      conditions: [condition("Failed", "4 trials failed (maxFailedTrials 3)")],
    });
    expect(await health(failed)).toEqual({
      status: "Degraded",
      message: "4 trials failed (maxFailedTrials 3)",
    });
    const invalid = tuningJob({
      observedGeneration: 2,
      phase: "Invalid",
      conditions: [condition("Invalid", 'parameter "lr": min must be below max')],
    });
    expect(await health(invalid)).toEqual({
      status: "Degraded",
      message: 'parameter "lr": min must be below max',
    });
  });

  it("is Suspended while spec.suspend holds it, and Progressing again once resumed", async () => {
    const suspended = tuningJob({
      observedGeneration: 2,
      phase: "Suspended",
      conditions: [condition("Suspended", "spec.suspend is true: no new trials start")],
    });
    expect(await health(suspended)).toEqual({
      status: "Suspended",
      message: "spec.suspend is true: no new trials start",
    });
    const resumed = tuningJob({
      observedGeneration: 2,
      phase: "Running",
      message: "running",
      conditions: [condition("Suspended", "spec.suspend is false", "False"), condition("Running", "")],
    });
    expect((await health(resumed)).status).toBe("Progressing");
  });

  it("is what argocd-cm-patch.yaml installs", async () => {
    const patch = parse(readFileSync(resolve(argocdFolder, "argocd-cm-patch.yaml"), "utf8")) as {
      data: Record<string, string>;
    };
    expect(patch.data["resource.customizations.health.hypertune.dev_TuningJob"]).toBe(
      readFileSync(script, "utf8"),
    );
  });
});
