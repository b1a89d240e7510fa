// The TuningJob reconciler against fake caches and writes: what it creates,
// stops and writes for a given cluster state, and that it writes nothing when
// nothing changed.
import { ApiException } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { StoredTuningJob } from "../../../src/operator/deps.js";
import { createTuningJobReconciler } from "../../../src/operator/tuningjob-controller.js";
import {
  type FakeCaches,
  fakeCaches,
  recordingEvents,
  recordingWrites,
} from "../../support/fake-operator.js";
import {
  finishedStatus,
  NAMESPACE,
  runningStatus,
  storedTrial,
  storedTuningJob,
} from "../../support/operator-objects.js";

const log = pino({ level: "silent" });
const NOW = new Date("2026-01-01T00:00:00Z");

function setup(job: StoredTuningJob, options: { reflect?: boolean; caches?: FakeCaches } = {}) {
  const caches = options.caches ?? fakeCaches({ tuningJobs: [job] });
  const writes = recordingWrites(options.reflect === false ? {} : { reflectInto: caches });
  const events = recordingEvents();
  const reconcile = createTuningJobReconciler({ caches, writes, events, now: () => NOW });
  const key = `${NAMESPACE}/${job.metadata.name}`;
  return { caches, writes, events, run: () => reconcile(key, log) };
}

const condition = (status: { conditions?: { type: string }[] } | undefined, type: string) =>
  status?.conditions?.find((c) => c.type === type);

describe("TuningJob reconciler", () => {
  it("creates trials up to parallelism, owned and labelled, and writes the status once", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 10, parallelism: 3 } });
    const { writes, events, run } = setup(job);
    await run();

    const created = writes.of("createTrial");
    expect(created.map((c) => c.trial.metadata.name)).toEqual(["demo-0", "demo-1", "demo-2"]);
    expect(created[0]?.namespace).toBe(NAMESPACE);
    expect(created[0]?.trial.metadata.labels).toMatchObject({
      "hypertune.dev/job": "demo",
      "hypertune.dev/trial": "demo-0",
    });
    expect(created[0]?.trial.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "TuningJob", name: "demo", uid: "uid-1", controller: true }),
    ]);
    expect(created.map((c) => c.trial.spec.index)).toEqual([0, 1, 2]);

    const statuses = writes.of("patchTuningJobStatus");
    expect(statuses).toHaveLength(1);
    expect(statuses[0]?.status).toMatchObject({
      phase: "Running",
      observedGeneration: 1,
      trials: { created: 3, active: 3 },
      startTime: NOW.toISOString(),
    });
    expect(events.reasons()).toEqual(["Started"]);
  });

  it("fills only the free slots next to running trials", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 10, parallelism: 3 } });
    const caches = fakeCaches({
      tuningJobs: [job],
      trials: [storedTrial(job, 0, runningStatus([])), storedTrial(job, 1, finishedStatus([0.5]))],
    });
    const { writes, run } = setup(job, { caches });
    await run();
    expect(writes.of("createTrial").map((c) => c.trial.spec.index)).toEqual([2, 3]);
  });

  it("writes nothing when nothing changed since its last write", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 10, parallelism: 2 } });
    const { writes, events, run } = setup(job);
    await run(); // creates the trials ("Starting")
    await run(); // sees them in the cache ("TrialsRunning")
    expect(writes.of("patchTuningJobStatus")).toHaveLength(2);
    writes.clear();
    const eventsBefore = events.recorded.length;

    await run();
    await run();
    expect(writes.calls).toEqual([]);
    expect(events.recorded).toHaveLength(eventsBefore);
  });

  it("waits for its created trials to reach the cache before planning again", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 10, parallelism: 2 } });
    const { caches, writes, run } = setup(job, { reflect: false });
    await run();
    expect(writes.of("createTrial")).toHaveLength(2);
    writes.clear();

    // The informer has not shown the new trials yet: planning now would create them again.
    expect(await run()).toEqual({ requeueAfterMs: 1000 });
    expect(writes.calls).toEqual([]);

    caches.trials.put(storedTrial(job, 0));
    caches.trials.put(storedTrial(job, 1));
    await run();
    expect(writes.of("createTrial")).toEqual([]);
  });

  it("stops the trials the plan stops by writing Trial.spec.stop, and asks only once", async () => {
    const job = storedTuningJob({
      earlyStopping: { rule: "Median", minTrials: 3, startStep: 2 },
      limits: { maxTrials: 10, parallelism: 1 },
    });
    const caches = fakeCaches({
      tuningJobs: [job],
      trials: [
        storedTrial(job, 0, finishedStatus([0.5, 0.6, 0.7])),
        storedTrial(job, 1, finishedStatus([0.5, 0.65, 0.75])),
        storedTrial(job, 2, finishedStatus([0.4, 0.7, 0.8])),
        storedTrial(job, 3, runningStatus([0.3, 0.4])),
      ],
    });
    const { writes, run } = setup(job, { caches });
    await run();

    const stops = writes.of("patchTrialSpec");
    expect(stops).toEqual([
      {
        kind: "patchTrialSpec",
        namespace: NAMESPACE,
        name: "demo-3",
        patch: { stop: { reason: "EarlyStopped", message: expect.any(String), step: 2 } },
      },
    ]);
    expect(caches.trials.get(NAMESPACE, "demo-3")?.spec.stop?.reason).toBe("EarlyStopped");
    // The Trial controller has not acted yet; the stop is not asked for again.
    writes.clear();
    await run();
    expect(writes.of("patchTrialSpec")).toEqual([]);
  });

  it("completes when maxTrials have finished: Complete condition, Completed event, nothing created", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 2, parallelism: 2 } });
    const caches = fakeCaches({
      tuningJobs: [job],
      trials: [storedTrial(job, 0, finishedStatus([0.6])), storedTrial(job, 1, finishedStatus([0.9]))],
    });
    const { writes, events, run } = setup(job, { caches });
    expect(await run()).toBeUndefined();

    expect(writes.of("createTrial")).toEqual([]);
    const [written] = writes.of("patchTuningJobStatus");
    expect(written?.status.phase).toBe("Complete");
    expect(condition(written?.status, "Complete")).toMatchObject({ status: "True" });
    expect(written?.status.completionTime).toBe(NOW.toISOString());
    expect(written?.status.bestTrial).toMatchObject({ name: "demo-1", metrics: { accuracy: 0.9 } });
    expect(events.reasons()).toEqual(["Completed"]);

    // Finished stays finished, without further writes.
    writes.clear();
    await run();
    expect(writes.calls).toEqual([]);
  });

  it("an edit of a running job (a new generation) takes effect and is announced once as SpecChanged", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 10, parallelism: 1 } });
    const { caches, writes, events, run } = setup(job);
    await run();
    expect(writes.of("createTrial")).toHaveLength(1);

    const stored = caches.tuningJobs.get(NAMESPACE, "demo") as StoredTuningJob;
    caches.tuningJobs.put({
      ...stored,
      metadata: { ...stored.metadata, generation: 2 },
      spec: { ...(stored.spec as object), limits: { maxTrials: 10, parallelism: 3 } },
    });
    writes.clear();
    events.recorded.length = 0;
    await run();
    expect(writes.of("createTrial").map((c) => c.trial.spec.index)).toEqual([1, 2]);
    expect(writes.of("patchTuningJobStatus")[0]?.status.observedGeneration).toBe(2);
    expect(events.recorded).toEqual([
      expect.objectContaining({
        reason: "SpecChanged",
        message: expect.stringContaining(
          "generation 2 in effect: maxTrials 10, parallelism 3, suspend false",
        ),
      }),
    ]);

    writes.clear();
    await run();
    expect(events.recorded).toHaveLength(1);
  });

  it("a finished job observes an edit's generation but stays finished, and says so once", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 2, parallelism: 2 } });
    const caches = fakeCaches({
      tuningJobs: [job],
      trials: [storedTrial(job, 0, finishedStatus([0.6])), storedTrial(job, 1, finishedStatus([0.9]))],
    });
    const { writes, events, run } = setup(job, { caches });
    await run();
    const done = caches.tuningJobs.get(NAMESPACE, "demo") as StoredTuningJob;
    expect(done.status?.phase).toBe("Complete");

    caches.tuningJobs.put({
      ...done,
      metadata: { ...done.metadata, generation: 2 },
      spec: { ...(done.spec as object), limits: { maxTrials: 5, parallelism: 2 } },
    });
    writes.clear();
    events.recorded.length = 0;
    await run();
    expect(writes.of("createTrial")).toEqual([]);
    const [written] = writes.of("patchTuningJobStatus");
    expect(written?.status).toMatchObject({ phase: "Complete", observedGeneration: 2, progress: "2/2" });
    expect(events.recorded).toEqual([
      expect.objectContaining({
        reason: "SpecChanged",
        message: expect.stringContaining("the job is Complete and stays so"),
      }),
    ]);
    writes.clear();
    await run();
    expect(writes.calls).toEqual([]);
  });

  it("an invalid spec gets the Invalid condition and one InvalidSpec Warning, and creates nothing", async () => {
    const job = storedTuningJob({ limits: { maxTrials: 2, parallelism: 5 } });
    const { writes, events, run } = setup(job);
    await run();

    expect(writes.of("createTrial")).toEqual([]);
    const statuses = writes.of("patchTuningJobStatus");
    expect(statuses).toHaveLength(1);
    expect(statuses[0]?.status.phase).toBe("Invalid");
    expect(condition(statuses[0]?.status, "Invalid")).toMatchObject({
      status: "True",
      reason: "InvalidSpec",
    });
    expect(events.recorded).toEqual([
      expect.objectContaining({
        type: "Warning",
        reason: "InvalidSpec",
        message: expect.stringMatching(/parallelism/),
      }),
    ]);

    writes.clear();
    await run();
    expect(writes.calls).toEqual([]);
    expect(events.recorded).toHaveLength(1);
  });

  it("does nothing for a TuningJob no longer in the cache", async () => {
    const job = storedTuningJob();
    const { caches, writes, run } = setup(job);
    caches.tuningJobs.remove(NAMESPACE, "demo");
    expect(await run()).toBeUndefined();
    expect(writes.calls).toEqual([]);
  });

  it("lets a failed write reach the controller runtime, which decides on the retry", async () => {
    const job = storedTuningJob();
    const { writes, run } = setup(job);
    const conflict = new ApiException(409, "Conflict", JSON.stringify({ kind: "Status", code: 409 }), {});
    writes.failNext("patchTuningJobStatus", conflict);
    await expect(run()).rejects.toBe(conflict);
  });
});
