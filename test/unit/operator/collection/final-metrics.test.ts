import type { V1ContainerStatus } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  collectFinalReports,
  terminationMessageOf,
} from "../../../../src/operator/collection/final-metrics.js";
import type { PodLogSource } from "../../../../src/operator/collection/log-source.js";
import { specWith } from "../../../support/simulate.js";

// TerminationMessage needs no log access: any read of a log is a bug.
const noLogs: PodLogSource = {
  stream: () => Promise.reject(new Error("TerminationMessage must not read a log")),
};
const terminated = (name: string, message?: string): V1ContainerStatus => ({
  name,
  image: "x",
  imageID: "",
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode: 0, ...(message !== undefined && { message }) } },
});

describe("final metrics from a termination message", () => {
  const spec = specWith({
    objective: { metric: "loss", direction: "Minimize", reduction: "Min" },
    metrics: { collector: "TerminationMessage", additional: ["accuracy"] },
  });

  it("reads every line of the primary container's message", async () => {
    const result = await collectFinalReports({
      source: noLogs,
      namespace: "ns",
      pod: "demo-1-abcde",
      containerStatuses: [
        terminated("hypertune-collector", "loss=9"),
        terminated("train", 'loss=0.4 accuracy=0.8\n{"loss": 0.3}\r\nloss=0.35\naccuracy=nan'),
      ],
      spec,
      primaryContainer: "train",
    });
    expect(result.from).toEqual({ container: "train", kind: "terminationMessage" });
    expect(result.unavailable).toBeUndefined();
    expect(result.snapshot.metrics).toEqual({ loss: 0.3, accuracy: 0.8 });
    expect(result.snapshot.reportCount).toBe(3);
    expect(result.snapshot.rejectedCount).toBe(1);
    expect(result.snapshot.lastRejections[0]).toMatch(/^accuracy: not a finite number/);
  });

  it("says why when there is no message, without throwing", async () => {
    const result = await collectFinalReports({
      source: noLogs,
      namespace: "ns",
      pod: undefined,
      containerStatuses: [terminated("train", "  \n")],
      spec,
      primaryContainer: "train",
    });
    expect(result.snapshot).toMatchObject({ reportCount: 0, metrics: {} });
    expect(result.unavailable).toMatch(/no termination message/);
  });

  it("falls back to the last termination of a restarted container", () => {
    const restarted: V1ContainerStatus = {
      ...terminated("train"),
      state: { running: {} },
      lastState: { terminated: { exitCode: 1, message: "loss=1" } },
    };
    expect(terminationMessageOf([restarted], "train")).toBe("loss=1");
    expect(terminationMessageOf([], "train")).toBeUndefined();
  });
});

describe("final metrics from a log", () => {
  it("reads the collector sidecar's log for File, and reports a failed read as unavailable", async () => {
    const asked: string[] = [];
    const source: PodLogSource = {
      async stream(_ns, pod, container, { follow, onLine }) {
        asked.push(`${pod}/${container} follow=${follow}`);
        onLine("accuracy=0.7", false);
        onLine("accuracy=0.9", true);
      },
    };
    const spec = specWith({ metrics: { collector: "File" } });
    const base = {
      source,
      namespace: "ns",
      pod: "p",
      containerStatuses: [],
      spec,
      primaryContainer: "train",
    };
    const result = await collectFinalReports(base);
    expect(asked).toEqual(["p/hypertune-collector follow=false"]);
    expect(result.snapshot.metrics).toEqual({ accuracy: 0.7 });
    expect(result.snapshot.rejectedCount).toBe(1);

    const failing: PodLogSource = { stream: () => Promise.reject(new Error('pods "p" not found')) };
    const missing = await collectFinalReports({ ...base, source: failing });
    expect(missing.snapshot.reportCount).toBe(0);
    expect(missing.unavailable).toMatch(/cannot read the log of p\/hypertune-collector: pods "p" not found/);
    expect(await collectFinalReports({ ...base, pod: undefined })).toMatchObject({
      unavailable: "the trial has no pod",
    });
  });
});
