// The Trial reconciler against fake caches, writes, log followers and final
// reads: which Job it creates or deletes for a given cluster state, and the
// status (phase, reason, message, metrics, history) it writes from it.
import type { V1Job, V1JobCondition, V1Pod } from "@kubernetes/client-node";
import { ApiException } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseTuningJobSpec, type TrialStatus, type TuningJobSpec } from "../../../src/api/index.js";
import { accumulatorForSpec, type MetricsSnapshot } from "../../../src/metrics/accumulator.js";
import type { StoredTrial, StoredTuningJob } from "../../../src/operator/deps.js";
import { TRIAL_LABEL, trialLabels } from "../../../src/operator/labels.js";
import {
  type CollectFinal,
  createTrialReconciler,
  type LogFollowers,
} from "../../../src/operator/trial-controller.js";
import { type FakeCaches, fakeCaches, recordingWrites } from "../../support/fake-operator.js";
import { NAMESPACE, storedTrial, storedTuningJob } from "../../support/operator-objects.js";

const log = pino({ level: "silent" });
const NOW = new Date("2026-01-01T00:00:00Z");
const TRIAL = "demo-0";
const KEY = `${NAMESPACE}/${TRIAL}`;

function specOf(job: StoredTuningJob): TuningJobSpec {
  const parsed = parseTuningJobSpec(job.spec);
  if (!parsed.ok) throw new Error("the test TuningJob does not parse");
  return parsed.value;
}

/** What a trial printed, folded as the operator folds it. */
function snapshotOf(spec: TuningJobSpec, lines: string[]): MetricsSnapshot {
  const acc = accumulatorForSpec(spec);
  for (const line of lines) acc.addLine(line);
  return acc.snapshot();
}

const accuracyLines = (values: number[]) => values.map((v, i) => `step=${i + 1} accuracy=${v}`);

function fakeFollowers() {
  const calls: { op: "ensure" | "snapshot" | "stop"; key: string; target?: unknown }[] = [];
  const snapshots = new Map<string, MetricsSnapshot>();
  const followers: LogFollowers = {
    ensure(key, target) {
      calls.push({ op: "ensure", key, target });
    },
    snapshot(key) {
      calls.push({ op: "snapshot", key });
      return snapshots.get(key);
    },
    stop(key) {
      calls.push({ op: "stop", key });
    },
  };
  return {
    followers,
    calls,
    ops: (op: "ensure" | "snapshot" | "stop") => calls.filter((c) => c.op === op),
    set: (key: string, snapshot: MetricsSnapshot) => snapshots.set(key, snapshot),
  };
}

function fakeCollectFinal() {
  const inputs: Parameters<CollectFinal>[0][] = [];
  let result: Awaited<ReturnType<CollectFinal>> | undefined;
  const collectFinal: CollectFinal = async (input) => {
    inputs.push(input);
    if (!result) throw new Error("the test did not set the final read");
    return result;
  };
  return {
    collectFinal,
    inputs,
    set: (snapshot: MetricsSnapshot, unavailable?: string) => {
      result = { snapshot, ...(unavailable !== undefined && { unavailable }) };
    },
  };
}

function setup(
  options: {
    job?: StoredTuningJob;
    trial?: StoredTrial;
    jobs?: V1Job[];
    pods?: V1Pod[];
    reflect?: boolean;
  } = {},
) {
  const job = options.job ?? storedTuningJob();
  const trial = options.trial ?? storedTrial(job, 0);
  const caches: FakeCaches = fakeCaches({
    tuningJobs: [job],
    trials: [trial],
    jobs: options.jobs ?? [],
    pods: options.pods ?? [],
  });
  const writes = recordingWrites(options.reflect ? { reflectInto: caches } : {});
  const followers = fakeFollowers();
  const final = fakeCollectFinal();
  const enqueued: string[] = [];
  const reconcile = createTrialReconciler({
    caches,
    writes,
    followers: followers.followers,
    collectFinal: final.collectFinal,
    enqueue: (key) => enqueued.push(key),
    collectorImage: "hypertune:test",
    now: () => NOW,
  });
  /** The status of the one status write the last reconcile made. */
  const written = (): TrialStatus => {
    const statuses = writes.of("patchTrialStatus");
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ namespace: NAMESPACE, name: TRIAL });
    return statuses[0]?.status ?? {};
  };
  return {
    spec: specOf(job),
    caches,
    writes,
    followers,
    final,
    enqueued,
    written,
    run: () => reconcile(KEY, log),
  };
}

function trialJob(conditions: V1JobCondition[] = [], extra: Partial<V1Job["status"]> = {}): V1Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: TRIAL, namespace: NAMESPACE, labels: trialLabels("demo", TRIAL) },
    spec: { template: { spec: { containers: [] } } },
    status: { conditions, ...extra },
  };
}

const condition = (type: string, reason?: string): V1JobCondition => ({
  type,
  status: "True",
  ...(reason !== undefined && { reason }),
});

type ContainerState = NonNullable<NonNullable<V1Pod["status"]>["containerStatuses"]>[number]["state"];

function trialPod(phase: string, state: ContainerState = {}): V1Pod {
  return {
    metadata: {
      name: `${TRIAL}-abcde`,
      namespace: NAMESPACE,
      labels: { [TRIAL_LABEL]: TRIAL },
      creationTimestamp: new Date(1000),
    },
    status: {
      phase,
      startTime: new Date("2025-12-31T23:50:00Z"),
      containerStatuses: [
        {
          name: "train",
          image: "python:3.12",
          ready: phase === "Running",
          restartCount: 0,
          imageID: "",
          state,
        },
      ],
    },
  };
}

const unprocessable = (message: string) =>
  new ApiException(
    422,
    message,
    JSON.stringify({ kind: "Status", code: 422, reason: "Invalid", message }),
    {},
  );

describe("Trial reconciler", () => {
  it("creates the trial's Job, named after it and owned by it, and says it is Pending", async () => {
    const { writes, written, run } = setup();
    await run();

    const created = writes.of("createJob");
    expect(created).toHaveLength(1);
    expect(created[0]?.namespace).toBe(NAMESPACE);
    const job = created[0]?.job;
    expect(job?.metadata?.name).toBe(TRIAL);
    expect(job?.metadata?.labels).toMatchObject({ [TRIAL_LABEL]: TRIAL });
    expect(job?.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: "Trial", name: TRIAL, controller: true }),
    ]);
    expect(job?.spec?.template.spec?.containers[0]?.command).toEqual(["python", "train.py", "--lr=0.01"]);
    expect(written()).toEqual({
      phase: "Pending",
      jobName: TRIAL,
      reason: "JobCreated",
      message: "waiting for the trial's pod",
    });
  });

  it("fails the trial when the API server refuses its Job as invalid", async () => {
    const { writes, written, run } = setup();
    writes.failNext("createJob", unprocessable("spec.template.spec.containers[0].image: Required value"));
    await run();
    expect(written()).toMatchObject({
      phase: "Failed",
      reason: "InvalidJobTemplate",
      message: expect.stringContaining("Required value"),
      completionTime: NOW.toISOString(),
    });
  });

  it("fails the trial on every refusal a retry cannot change (413 too)", async () => {
    const { writes, written, run } = setup();
    writes.failNext("createJob", new ApiException(413, "Request Entity Too Large", "", {}));
    await run();
    expect(written()).toMatchObject({ phase: "Failed", reason: "InvalidJobTemplate" });
  });

  it("rethrows a create failure that a retry can clear, and writes nothing", async () => {
    const { writes, run } = setup();
    const outage = new ApiException(500, "Internal Server Error", "", {});
    writes.failNext("createJob", outage);
    await expect(run()).rejects.toBe(outage);
    expect(writes.of("patchTrialStatus")).toEqual([]);
  });

  it("waits for the pod with the kubelet's word on a problem that may clear", async () => {
    const pod = trialPod("Pending", { waiting: { reason: "ImagePullBackOff", message: "back-off pulling" } });
    const { writes, written, run } = setup({ jobs: [trialJob()], pods: [pod] });
    await run();
    expect(writes.of("deleteJob")).toEqual([]);
    expect(written()).toEqual({
      phase: "Pending",
      jobName: TRIAL,
      reason: "PodPending",
      message: "container train (python:3.12): ImagePullBackOff: back-off pulling",
    });
  });

  it("follows the primary container's log while the pod runs, and reports what it read", async () => {
    const pod = trialPod("Running", { running: {} });
    const { spec, followers, enqueued, written, run } = setup({ jobs: [trialJob()], pods: [pod] });
    const seen = snapshotOf(spec, accuracyLines([0.5, 0.6]));
    followers.set(KEY, seen);
    await run();

    const ensured = followers.ops("ensure");
    expect(ensured).toEqual([
      {
        op: "ensure",
        key: KEY,
        target: { namespace: NAMESPACE, pod: `${TRIAL}-abcde`, container: "train", spec },
      },
    ]);
    expect(written()).toEqual({
      phase: "Running",
      jobName: TRIAL,
      reason: "PodRunning",
      message: "the training is running",
      startTime: "2025-12-31T23:50:00.000Z",
      history: [
        { step: 1, values: { accuracy: 0.5 } },
        { step: 2, values: { accuracy: 0.6 } },
      ],
      metrics: { accuracy: 0.6 },
    });
    expect(enqueued).toEqual([]);
  });

  it("follows no log for the TerminationMessage collector, whose values come only at the end", async () => {
    const job = storedTuningJob({ metrics: { collector: "TerminationMessage" } });
    const pod = trialPod("Running", { running: {} });
    const { followers, written, run } = setup({ job, jobs: [trialJob()], pods: [pod] });
    await run();
    expect(followers.ops("ensure")).toEqual([]);
    expect(written()).toMatchObject({ phase: "Running", reason: "PodRunning" });
  });

  it.each([
    ["its Job has the Complete condition", trialJob([condition("Complete")]), trialPod("Running")],
    ["its single pod Succeeded", trialJob(), trialPod("Succeeded", { terminated: { exitCode: 0 } })],
  ])("concludes the trial Succeeded when %s, from the final read", async (_, job, pod) => {
    const { spec, followers, final, written, run } = setup({ jobs: [job], pods: [pod] });
    final.set(snapshotOf(spec, accuracyLines([0.5, 0.7])));
    await run();

    expect(final.inputs).toEqual([{ namespace: NAMESPACE, pod, spec, primaryContainer: "train" }]);
    expect(followers.ops("stop")).toEqual([{ op: "stop", key: KEY }]);
    expect(written()).toEqual({
      phase: "Succeeded",
      reason: "Completed",
      message: "the trial finished",
      history: [
        { step: 1, values: { accuracy: 0.5 } },
        { step: 2, values: { accuracy: 0.7 } },
      ],
      metrics: { accuracy: 0.7 },
      objectiveValue: 0.7,
      jobName: TRIAL,
      startTime: NOW.toISOString(),
      completionTime: NOW.toISOString(),
    });
  });

  it("takes the Job's own start and completion times when it has them", async () => {
    const job = trialJob([condition("Complete")], {
      startTime: new Date("2025-12-31T23:00:00Z"),
      completionTime: new Date("2025-12-31T23:30:00Z"),
    });
    const { spec, final, written, run } = setup({ jobs: [job], pods: [trialPod("Succeeded")] });
    final.set(snapshotOf(spec, ["accuracy=0.9"]));
    await run();
    expect(written()).toMatchObject({
      startTime: "2025-12-31T23:00:00.000Z",
      completionTime: "2025-12-31T23:30:00.000Z",
    });
  });

  it("concludes MetricsUnavailable, saying why, when the trial ended without its objective", async () => {
    const { spec, final, written, run } = setup({ jobs: [trialJob([condition("Complete")])] });
    final.set(snapshotOf(spec, ["loss=0.3"]), "no pod left to read the log of");
    await run();
    const status = written();
    expect(status).toMatchObject({
      phase: "MetricsUnavailable",
      reason: "ObjectiveNotReported",
      message: "the trial ended without reporting accuracy (no pod left to read the log of)",
      history: [],
      metrics: {},
    });
    expect(status.objectiveValue).toBeUndefined();
  });

  it("fails the trial with the primary container's exit code when its Job failed", async () => {
    const pod = trialPod("Failed", { terminated: { exitCode: 2, reason: "Error" } });
    const { spec, final, written, run } = setup({
      jobs: [trialJob([condition("Failed", "BackoffLimitExceeded")])],
      pods: [pod],
    });
    final.set(snapshotOf(spec, accuracyLines([0.4])));
    await run();
    expect(written()).toMatchObject({
      phase: "Failed",
      reason: "Error",
      message: "exited with code 2",
      history: [{ step: 1, values: { accuracy: 0.4 } }],
      metrics: { accuracy: 0.4 },
    });
  });

  it("fails the trial as timed out when its Job passed its deadline", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 10, parallelism: 2, trialTimeout: "30m" } });
    const { spec, final, written, run } = setup({
      job,
      jobs: [trialJob([condition("Failed", "DeadlineExceeded")])],
      pods: [trialPod("Failed", { terminated: { exitCode: 137, reason: "Error" } })],
    });
    final.set(snapshotOf(spec, []));
    await run();
    expect(written()).toMatchObject({
      phase: "Failed",
      reason: "Timeout",
      message: "stopped after trialTimeout (30m)",
    });
  });

  it("keeps a running trial Running while its ended pod waits for the Job's verdict", async () => {
    const job = storedTuningJob();
    const trial = storedTrial(job, 0, {
      phase: "Running",
      jobName: TRIAL,
      reason: "PodRunning",
      message: "the training is running",
      startTime: "2025-12-31T23:50:00Z",
    });
    // The Job controller adds its Failed condition a moment after the pod failed.
    const pod = trialPod("Failed", { terminated: { exitCode: 1, reason: "Error" } });
    const { writes, final, run } = setup({ job, trial, jobs: [trialJob()], pods: [pod] });
    await run();
    expect(final.inputs).toEqual([]);
    expect(writes.calls).toEqual([]);
  });

  it("stops a running trial when asked: deletes its Job and keeps its reports up to the stop's step", async () => {
    const job = storedTuningJob({
      objective: { metric: "accuracy", direction: "Maximize", reduction: "Max" },
    });
    const trial = storedTrial(job, 0, { phase: "Running", startTime: "2025-12-31T23:50:00Z" });
    trial.spec.stop = { reason: "EarlyStopped", message: "below the median at step 2", step: 2 };
    const { spec, writes, followers, final, written, run } = setup({
      job,
      trial,
      jobs: [trialJob()],
      pods: [trialPod("Running", { running: {} })],
    });
    followers.set(KEY, snapshotOf(spec, accuracyLines([0.6, 0.5, 0.8, 0.9])));
    await run();

    expect(writes.of("deleteJob")).toEqual([{ kind: "deleteJob", namespace: NAMESPACE, name: TRIAL }]);
    expect(followers.ops("stop")).toEqual([{ op: "stop", key: KEY }]);
    expect(final.inputs).toEqual([]);
    expect(written()).toEqual({
      phase: "EarlyStopped",
      reason: "EarlyStopped",
      message: "below the median at step 2",
      history: [
        { step: 1, values: { accuracy: 0.6 } },
        { step: 2, values: { accuracy: 0.5 } },
      ],
      metrics: { accuracy: 0.6 },
      objectiveValue: 0.6,
      startTime: "2025-12-31T23:50:00Z",
      completionTime: NOW.toISOString(),
    });
  });

  it("stops a trial whose Job was never created without creating it", async () => {
    const job = storedTuningJob();
    const trial = storedTrial(job, 0);
    trial.spec.stop = { reason: "JobFinished", message: "the job reached its target" };
    const { writes, written, run } = setup({ job, trial });
    await run();
    expect(writes.of("createJob")).toEqual([]);
    expect(writes.of("deleteJob")).toEqual([]);
    expect(written()).toEqual({
      phase: "EarlyStopped",
      reason: "JobFinished",
      message: "the job reached its target",
      history: [],
      metrics: {},
      startTime: NOW.toISOString(),
      completionTime: NOW.toISOString(),
    });
  });

  it("cuts the recorded history at the stop's step when no follower has it (after a restart)", async () => {
    const job = storedTuningJob();
    const history = [0.5, 0.6, 0.7].map((accuracy, i) => ({ step: i + 1, values: { accuracy } }));
    const trial = storedTrial(job, 0, { phase: "Running", history, metrics: { accuracy: 0.7 } });
    trial.spec.stop = { reason: "EarlyStopped", message: "hopeless", step: 1 };
    const { writes, written, run } = setup({ job, trial, jobs: [trialJob()] });
    await run();
    expect(writes.of("deleteJob")).toHaveLength(1);
    expect(written()).toMatchObject({
      phase: "EarlyStopped",
      history: [{ step: 1, values: { accuracy: 0.5 } }],
      metrics: { accuracy: 0.5 },
      objectiveValue: 0.5,
    });
  });

  it("concludes a trial whose Job completed before the stop came as it ended, and deletes nothing", async () => {
    const job = storedTuningJob();
    const trial = storedTrial(job, 0, { phase: "Running" });
    trial.spec.stop = { reason: "JobFinished", message: "the job reached its target", step: 1 };
    const { spec, writes, final, written, run } = setup({
      job,
      trial,
      jobs: [trialJob([condition("Complete")])],
      pods: [trialPod("Succeeded", { terminated: { exitCode: 0 } })],
    });
    final.set(snapshotOf(spec, accuracyLines([0.5, 0.8])));
    await run();

    expect(writes.of("deleteJob")).toEqual([]);
    expect(written()).toMatchObject({
      phase: "Succeeded",
      reason: "Completed",
      metrics: { accuracy: 0.8 },
      objectiveValue: 0.8,
      history: [
        { step: 1, values: { accuracy: 0.5 } },
        { step: 2, values: { accuracy: 0.8 } },
      ],
    });
  });

  it("fails the trial at once, deleting its Job, when its pod can never start", async () => {
    const pod = trialPod("Pending", {
      waiting: { reason: "ErrImageNeverPull", message: "image not present with pull policy Never" },
    });
    const { writes, followers, written, run } = setup({ jobs: [trialJob()], pods: [pod] });
    await run();

    expect(writes.of("deleteJob")).toEqual([{ kind: "deleteJob", namespace: NAMESPACE, name: TRIAL }]);
    expect(followers.ops("stop")).toEqual([{ op: "stop", key: KEY }]);
    expect(written()).toEqual({
      phase: "Failed",
      reason: "ErrImageNeverPull",
      message: "container train (python:3.12): ErrImageNeverPull: image not present with pull policy Never",
      history: [],
      metrics: {},
      jobName: TRIAL,
      completionTime: NOW.toISOString(),
    });
  });

  it("leaves a finished trial alone and stops following it", async () => {
    const job = storedTuningJob();
    const trial = storedTrial(job, 0, { phase: "Succeeded", metrics: { accuracy: 0.9 } });
    const { writes, followers, final, run } = setup({
      job,
      trial,
      jobs: [trialJob([condition("Complete")])],
      pods: [trialPod("Succeeded")],
    });
    await run();
    expect(writes.calls).toEqual([]);
    expect(final.inputs).toEqual([]);
    expect(followers.calls).toEqual([{ op: "stop", key: KEY }]);
  });

  it("says in the message how many metric values were rejected, and why", async () => {
    const { spec, final, written, run } = setup({ jobs: [trialJob([condition("Complete")])] });
    final.set(snapshotOf(spec, ["step=1 accuracy=0.5", "step=2 accuracy=nan", "step=3 accuracy=0.7"]));
    await run();
    const status = written();
    expect(status).toMatchObject({ phase: "Succeeded", metrics: { accuracy: 0.7 } });
    expect(status.message).toMatch(/^the trial finished; 1 metric values rejected: accuracy: .*"nan"/);
  });

  it("writes nothing when a reconcile finds what the last one wrote", async () => {
    const pod = trialPod("Running", { running: {} });
    const { spec, writes, followers, run } = setup({ reflect: true, pods: [pod] });
    followers.set(KEY, snapshotOf(spec, accuracyLines([0.5])));
    await run(); // creates the Job
    await run(); // sees the Job and the running pod
    expect(writes.of("createJob")).toHaveLength(1);
    expect(writes.of("patchTrialStatus").map((c) => c.status.phase)).toEqual(["Pending", "Running"]);
    writes.clear();

    await run();
    await run();
    expect(writes.calls).toEqual([]);

    // New reports are news again.
    followers.set(KEY, snapshotOf(spec, accuracyLines([0.5, 0.6])));
    await run();
    expect(writes.of("patchTrialStatus").map((c) => c.status.metrics)).toEqual([{ accuracy: 0.6 }]);
  });
});
