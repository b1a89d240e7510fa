// The Trial reconciler on a disrupted pod: the trial runs again as a new
// attempt in a Job of its own, its reports kept, until maxPreemptionRetries.
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseTuningJobSpec, type TrialStatus } from "../../../src/api/index.js";
import { accumulatorForSpec, type MetricsSnapshot } from "../../../src/metrics/accumulator.js";
import { ATTEMPT_LABEL, TRIAL_LABEL, trialLabels } from "../../../src/operator/labels.js";
import { createTrialReconciler, type LogFollowers } from "../../../src/operator/trial-controller.js";
import { fakeCaches, recordingWrites } from "../../support/fake-operator.js";
import { NAMESPACE, storedTrial, storedTuningJob } from "../../support/operator-objects.js";

const log = pino({ level: "silent" });
const NOW = new Date("2026-01-01T00:00:00Z");
const TRIAL = "demo-0";
const KEY = `${NAMESPACE}/${TRIAL}`;
const tuningJob = storedTuningJob();
const parsed = parseTuningJobSpec(tuningJob.spec);
if (!parsed.ok) throw new Error("the test TuningJob does not parse");
const spec = parsed.value;

function snapshotOf(steps: [number, number][]): MetricsSnapshot {
  const acc = accumulatorForSpec(spec);
  for (const [step, accuracy] of steps) acc.addLine(`step=${step} accuracy=${accuracy}`);
  return acc.snapshot();
}

const reports = (steps: [number, number][]) =>
  steps.map(([step, accuracy]) => ({ step, values: { accuracy } }));

const EVICTION_FAILURE = {
  type: "Failed",
  status: "True",
  reason: "PodFailurePolicy",
  message: `Pod ${NAMESPACE}/${TRIAL}-abcde has condition DisruptionTarget matching FailJob rule at index 0`,
};

function job(name: string, attempt: number, failed = false): V1Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: { ...trialLabels("demo", TRIAL), [ATTEMPT_LABEL]: String(attempt) },
    },
    spec: { template: { spec: { containers: [] } } },
    status: { conditions: failed ? [EVICTION_FAILURE] : [] },
  };
}

function pod(attempt: number, phase: string, evicted: boolean): V1Pod {
  return {
    metadata: {
      name: `${TRIAL}-a${attempt}-pod`,
      namespace: NAMESPACE,
      labels: { [TRIAL_LABEL]: TRIAL, [ATTEMPT_LABEL]: String(attempt) },
      creationTimestamp: new Date(attempt * 1000),
    },
    status: {
      phase,
      ...(evicted && {
        conditions: [
          {
            type: "DisruptionTarget",
            status: "True",
            reason: "EvictionByEvictionAPI",
            message: "Eviction API: evicting",
          },
        ],
      }),
    },
  };
}

function setup(
  status: TrialStatus | undefined,
  jobs: V1Job[],
  pods: V1Pod[],
  finalSteps: [number, number][] = [],
) {
  const caches = fakeCaches({
    tuningJobs: [tuningJob],
    trials: [storedTrial(tuningJob, 0, status)],
    jobs,
    pods,
  });
  const writes = recordingWrites();
  const followed = new Map<string, MetricsSnapshot>();
  const followers: LogFollowers = {
    ensure() {},
    snapshot: (key) => followed.get(key),
    stop() {},
  };
  const reconcile = createTrialReconciler({
    caches,
    writes,
    followers,
    collectFinal: async () => ({ snapshot: snapshotOf(finalSteps) }),
    enqueue() {},
    collectorImage: "hypertune:test",
    now: () => NOW,
  });
  const written = (): TrialStatus => {
    const statuses = writes.of("patchTrialStatus");
    expect(statuses).toHaveLength(1);
    return statuses[0]?.status ?? {};
  };
  return { writes, written, followed, run: () => reconcile(KEY, log) };
}

describe("a preempted trial", () => {
  it("an evicted pod puts the trial back to Pending as attempt 2, its reports kept; nothing is deleted yet", async () => {
    const { writes, written, run } = setup(
      { phase: "Running" },
      [job(TRIAL, 1, true)],
      [pod(1, "Failed", true)],
      [
        [1, 0.3],
        [2, 0.4],
      ],
    );
    await run();
    expect(written()).toMatchObject({
      phase: "Pending",
      reason: "Preempted",
      attempt: 2,
      jobName: `${TRIAL}-a2`,
      history: reports([
        [1, 0.3],
        [2, 0.4],
      ]),
      earlierHistory: reports([
        [1, 0.3],
        [2, 0.4],
      ]),
      preemptions: [{ attempt: 1, reason: "EvictionByEvictionAPI", time: NOW.toISOString() }],
    });
    expect(written().message).toContain("Eviction API: evicting");
    // Left for attempt 2's reconcile: a stale read of this Trial still finds the failed Job.
    expect(writes.of("deleteJob")).toEqual([]);
  });

  it("decided again from a stale Trial, with no follower and the pod's log gone, it keeps the reports the status holds", async () => {
    const seen = reports([
      [1, 0.3],
      [2, 0.4],
      [3, 0.5],
    ]);
    const { written, run } = setup(
      { phase: "Running", history: seen, metrics: { accuracy: 0.5 } },
      [job(TRIAL, 1, true)],
      [],
    );
    await run();
    expect(written()).toMatchObject({ phase: "Pending", attempt: 2, history: seen, earlierHistory: seen });
  });

  it("reads the Job's pod failure policy message when the evicted pod is already gone", async () => {
    const { written, run } = setup({ phase: "Running" }, [job(TRIAL, 1, true)], []);
    await run();
    expect(written()).toMatchObject({
      phase: "Pending",
      attempt: 2,
      preemptions: [{ attempt: 1, reason: "DisruptionTarget" }],
    });
  });

  it("attempt 2 runs in a Job of its own with HYPERTUNE_ATTEMPT=2, and the first attempt's Job is deleted once it exists", async () => {
    const earlier = reports([
      [1, 0.3],
      [2, 0.4],
    ]);
    const status: TrialStatus = { phase: "Pending", attempt: 2, earlierHistory: earlier, history: earlier };
    const first = setup(status, [job(TRIAL, 1, true)], [pod(1, "Failed", true)]);
    await first.run();
    const created = first.writes.of("createJob")[0]?.job;
    expect(created?.metadata?.name).toBe(`${TRIAL}-a2`);
    expect(created?.spec?.template.metadata?.labels).toMatchObject({ [ATTEMPT_LABEL]: "2" });
    const env = created?.spec?.template.spec?.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: "HYPERTUNE_ATTEMPT", value: "2" });
    expect(first.writes.of("deleteJob")).toEqual([]);

    // Running: the old attempt's failed pod is not this attempt's; the reports join by step.
    const second = setup(
      status,
      [job(TRIAL, 1, true), job(`${TRIAL}-a2`, 2)],
      [pod(1, "Failed", true), { ...pod(2, "Running", false) }],
    );
    second.followed.set(
      KEY,
      snapshotOf([
        [2, 0.45],
        [3, 0.5],
      ]),
    );
    await second.run();
    expect(second.written()).toMatchObject({
      phase: "Running",
      attempt: 2,
      history: reports([
        [1, 0.3],
        [2, 0.45],
        [3, 0.5],
      ]),
      metrics: { accuracy: 0.5 },
    });
    expect(second.writes.of("deleteJob")).toEqual([{ kind: "deleteJob", namespace: NAMESPACE, name: TRIAL }]);
  });

  it("past maxPreemptionRetries (3) the trial ends Preempted, with what it reported", async () => {
    const earlier = reports([[1, 0.3]]);
    const { written, run } = setup(
      { phase: "Running", attempt: 4, earlierHistory: earlier, history: earlier },
      [job(`${TRIAL}-a4`, 4, true)],
      [pod(4, "Failed", true)],
    );
    await run();
    expect(written()).toMatchObject({
      phase: "Preempted",
      reason: "EvictionByEvictionAPI",
      history: earlier,
      metrics: { accuracy: 0.3 },
    });
    expect(written().message).toContain("maxPreemptionRetries (3)");
  });
});
