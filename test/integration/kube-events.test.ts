// Events on a real API server: identical events aggregate into one Event with a
// count (also across a recorder restart), different ones do not, `kubectl
// describe` lists them, and a failing write is logged instead of thrown.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api, type V1ConfigMap } from "@kubernetes/client-node";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createEventRecorder } from "../../src/kube/index.js";
import { defaultBinDir } from "../cluster/binaries.js";
import { captureLog, fileNamespace, testKubeConfig } from "./kube-helpers.js";

const run = promisify(execFile);
const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
let namespace = "";
let subject: V1ConfigMap;

fileNamespace(kc, "kube-events", (name) => {
  namespace = name;
});
beforeAll(async () => {
  subject = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "subject" } } });
  subject = { ...subject, apiVersion: "v1", kind: "ConfigMap" };
});

const eventsOf = async (uid: string) =>
  (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.uid=${uid}` })).items;

describe("createEventRecorder", () => {
  it("aggregates identical events into one Event with a count", async () => {
    const { log } = captureLog();
    const recorder = createEventRecorder({ kc, component: "hypertune-test", log });
    await recorder.record(subject, "Normal", "TrialCreated", "created trial subject-0");
    await recorder.record(subject, "Normal", "TrialCreated", "created trial subject-0");
    await recorder.record(subject, "Warning", "TrialFailed", "trial subject-0 failed");

    const events = await eventsOf(subject.metadata?.uid ?? "");
    const created = events.filter((e) => e.reason === "TrialCreated");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      type: "Normal",
      count: 2,
      message: "created trial subject-0",
      source: { component: "hypertune-test" },
      involvedObject: { kind: "ConfigMap", name: "subject", namespace, uid: subject.metadata?.uid },
    });
    expect(events.filter((e) => e.reason === "TrialFailed")).toHaveLength(1);

    // Concurrent identical records are counted one after another, not lost.
    await Promise.all(
      [1, 2, 3].map(() => recorder.record(subject, "Normal", "TrialCreated", "created trial subject-0")),
    );
    const counted = (await eventsOf(subject.metadata?.uid ?? "")).find((e) => e.reason === "TrialCreated");
    expect(counted?.count).toBe(5);
    expect(new Date(counted?.lastTimestamp ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(counted?.firstTimestamp ?? 0).getTime(),
    );
  });

  it("keeps counting after a restart (a new recorder finds the existing Event)", async () => {
    const { log } = captureLog();
    const first = createEventRecorder({ kc, component: "hypertune-test", log });
    await first.record(subject, "Normal", "Restarted", "operator restarted");
    const second = createEventRecorder({ kc, component: "hypertune-test", log });
    await second.record(subject, "Normal", "Restarted", "operator restarted");
    const events = (await eventsOf(subject.metadata?.uid ?? "")).filter((e) => e.reason === "Restarted");
    expect(events).toHaveLength(1);
    expect(events[0]?.count).toBe(2);
  });

  it("shows up in kubectl describe", async () => {
    const kubectl = join(defaultBinDir(), "kubectl");
    const { stdout } = await run(kubectl, [
      "--kubeconfig",
      inject("kubeconfigPath"),
      "describe",
      "configmap",
      "subject",
      "-n",
      namespace,
    ]);
    expect(stdout).toMatch(/Events:/);
    expect(stdout).toMatch(/Normal\s+TrialCreated\s+.*hypertune-test\s+created trial subject-0/);
    expect(stdout).toMatch(/Warning\s+TrialFailed/);
  });

  it("never throws: a failed write is logged", async () => {
    const { log, lines } = captureLog();
    const recorder = createEventRecorder({ kc, component: "hypertune-test", log });
    const ghost = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x", namespace: "no-such-namespace", uid: "u" },
    };
    await expect(
      recorder.record(ghost, "Warning", "Nope", "namespace does not exist"),
    ).resolves.toBeUndefined();
    expect(lines.find((l) => l.msg === "could not record event")).toMatchObject({
      level: 40,
      reason: "Nope",
    });
  });
});
