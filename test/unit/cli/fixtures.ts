// Stored objects as the API server returns them, for the get/describe formatters.
import type { StoredEvent, StoredTrial, StoredTuningJob } from "../../../src/cli/cluster/objects.js";

export const NOW = Date.parse("2026-01-10T12:00:00Z");
export const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString().replace(/\.\d+Z$/, "Z");

export function storedTrial(
  index: number,
  phase: string,
  metrics: Record<string, number> | undefined,
  parameters: Record<string, string | number | boolean>,
): StoredTrial {
  return {
    metadata: { name: `quick-${index}`, namespace: "team-a" },
    spec: { index, parameters },
    status: { phase: phase as never, ...(metrics && { metrics }) },
  };
}

export const trials: StoredTrial[] = [
  storedTrial(0, "Succeeded", { accuracy: 0.91234, loss: 0.2 }, { lr: 0.001234, hidden: 32 }),
  storedTrial(1, "Failed", undefined, { lr: 0.1, hidden: 64 }),
  storedTrial(2, "Succeeded", { accuracy: 0.95, loss: 0.1 }, { lr: 0.01, hidden: 128 }),
  storedTrial(3, "Running", undefined, { lr: 0.02, hidden: 16 }),
];

export function singleObjectiveJob(): StoredTuningJob {
  return {
    metadata: { name: "quick", namespace: "team-a", uid: "u-1", creationTimestamp: minutesAgo(5) },
    spec: {
      objective: { metric: "accuracy", direction: "Maximize" },
      search: { strategy: "Auto" },
      limits: { maxTrials: 6 },
    },
    status: {
      phase: "Running",
      conditions: [
        {
          type: "Running",
          status: "True",
          reason: "TrialsRunning",
          message: "3/6 trials finished",
          lastTransitionTime: minutesAgo(4),
        },
      ],
      trials: {
        created: 4,
        active: 1,
        succeeded: 2,
        failed: 1,
        earlyStopped: 0,
        metricsUnavailable: 0,
        preempted: 0,
      },
      progress: "3/6",
      seed: 7,
      strategy: "TPE",
      bestTrial: {
        name: "quick-2",
        index: 2,
        parameters: { lr: 0.01, hidden: 128 },
        metrics: { accuracy: 0.95, loss: 0.1 },
        objectiveValue: 0.95,
      },
      startTime: minutesAgo(4),
      message: "3/6 trials finished, best accuracy=0.95 (trial 2)",
    },
  };
}

export function multiObjectiveJob(): StoredTuningJob {
  const job = singleObjectiveJob();
  return {
    ...job,
    metadata: { ...job.metadata, name: "mo" },
    spec: {
      ...job.spec,
      objective: {
        metrics: [
          { name: "accuracy", direction: "Maximize" },
          { name: "loss", direction: "Minimize" },
        ],
      },
      search: { strategy: "NSGA2" },
    },
    status: {
      ...job.status,
      strategy: "NSGA2",
      paretoHypervolume: 0.123456,
      paretoFront: [
        {
          name: "mo-2",
          index: 2,
          parameters: { lr: 0.01, hidden: 128 },
          metrics: { accuracy: 0.95, loss: 0.1 },
        },
        {
          name: "mo-0",
          index: 0,
          parameters: { lr: 0.001234, hidden: 32 },
          metrics: { accuracy: 0.91234, loss: 0.2 },
        },
      ],
    },
  };
}

export function event(reason: string, message: string, first: number, last: number, count = 1): StoredEvent {
  return {
    type: reason === "Failed" ? "Warning" : "Normal",
    reason,
    message,
    count,
    firstTimestamp: new Date(NOW - first * 60_000),
    lastTimestamp: new Date(NOW - last * 60_000),
    source: { component: "hypertune-operator" },
  };
}
