// Runs deploy/argocd/tuningjob-health.lua with Debian's lua5.4 against sample
// TuningJob statuses, with `obj` a global table as Argo CD sets it.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { luaLiteral } from "./lua-literal.js";

const folder = resolve(import.meta.dirname, "..", "..", "..", "deploy", "argocd");
const script = resolve(folder, "tuningjob-health.lua");

function health(obj: Record<string, unknown>): { status: string; message: string } {
  const harness = [
    `obj = ${luaLiteral(obj)}`,
    `local hs = assert(loadfile(${JSON.stringify(script)}))()`,
    `io.write(hs.status, "\\n", hs.message or "")`,
  ].join("\n");
  const run = spawnSync("lua5.4", ["-"], { input: harness, encoding: "utf8" });
  if (run.error)
    throw new Error(`lua5.4 is needed for this test (apt-get install lua5.4): ${run.error.message}`);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const [status = "", ...message] = run.stdout.split("\n");
  return { status, message: message.join("\n") };
}

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
  it("is Progressing before the operator has written a status", () => {
    expect(health(tuningJob())).toEqual({ status: "Progressing", message: "Waiting for the operator" });
  });

  it("is Progressing while the operator has not observed the latest generation", () => {
    const stale = tuningJob({ observedGeneration: 1, conditions: [condition("Complete", "done")] }, 2);
    expect(health(stale)).toEqual({
      status: "Progressing",
      message: "Waiting for the operator to observe generation 2",
    });
  });

  it("is Progressing while trials run, with the operator's message", () => {
    const running = tuningJob({
      observedGeneration: 2,
      phase: "Running",
      message: "3/16 trials finished; best val_accuracy 0.91",
      conditions: [condition("Running", "x"), condition("Ready", "x", "False")],
    });
    expect(health(running)).toEqual({
      status: "Progressing",
      message: "3/16 trials finished; best val_accuracy 0.91",
    });
  });

  it("is Healthy once Complete", () => {
    const done = tuningJob({
      observedGeneration: 2,
      phase: "Complete",
      conditions: [
        condition("Complete", "16 trials run (maxTrials)"),
        condition("Running", "", "False"),
        condition("Ready", "", "True"),
      ],
    });
    expect(health(done)).toEqual({ status: "Healthy", message: "16 trials run (maxTrials)" });
  });

  it("is Degraded when Failed or Invalid", () => {
    const failed = tuningJob({
      observedGeneration: 2,
      phase: "Failed",
      conditions: [condition("Failed", "4 trials failed (maxFailedTrials 3)")],
    });
    expect(health(failed)).toEqual({ status: "Degraded", message: "4 trials failed (maxFailedTrials 3)" });
    const invalid = tuningJob({
      observedGeneration: 2,
      phase: "Invalid",
      conditions: [condition("Invalid", 'parameter "lr": min must be below max')],
    });
    expect(health(invalid)).toEqual({ status: "Degraded", message: 'parameter "lr": min must be below max' });
  });

  it("is Suspended while spec.suspend holds it, and Progressing again once resumed", () => {
    const suspended = tuningJob({
      observedGeneration: 2,
      phase: "Suspended",
      conditions: [condition("Suspended", "spec.suspend is true: no new trials start")],
    });
    expect(health(suspended)).toEqual({
      status: "Suspended",
      message: "spec.suspend is true: no new trials start",
    });
    const resumed = tuningJob({
      observedGeneration: 2,
      phase: "Running",
      message: "running",
      conditions: [condition("Suspended", "spec.suspend is false", "False"), condition("Running", "")],
    });
    expect(health(resumed).status).toBe("Progressing");
  });

  it("is what argocd-cm-patch.yaml installs", () => {
    const patch = parse(readFileSync(resolve(folder, "argocd-cm-patch.yaml"), "utf8")) as {
      data: Record<string, string>;
    };
    expect(patch.data["resource.customizations.health.hypertune.dev_TuningJob"]).toBe(
      readFileSync(script, "utf8"),
    );
  });
});
