// spec.trialRetention in the TuningJob reconciler: the retired record is
// written before any Trial is deleted, a cache that has not yet seen that
// write is waited for, and Trials left over by a crash are deleted again
// without being counted twice.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createTuningJobReconciler } from "../../../src/operator/tuningjob-controller.js";
import { fakeCaches, recordingEvents, recordingWrites } from "../../support/fake-operator.js";
import { finishedStatus, NAMESPACE, storedTrial, storedTuningJob } from "../../support/operator-objects.js";

const log = pino({ level: "silent" });
const NOW = new Date("2026-01-01T00:00:00Z");
const spec = { limits: { maxTrials: 20, parallelism: 2 }, trialRetention: { keepBest: 1, keepLast: 3 } };

function cluster(finished: number, reflect: boolean) {
  const job = storedTuningJob(spec);
  const trials = Array.from({ length: finished }, (_, i) =>
    storedTrial(job, i, finishedStatus([i === 2 ? 0.9 : 0.1 + i / 100])),
  );
  const caches = fakeCaches({ tuningJobs: [job], trials });
  const writes = recordingWrites(reflect ? { reflectInto: caches } : {});
  const reconcile = createTuningJobReconciler({ caches, writes, events: recordingEvents(), now: () => NOW });
  return { caches, writes, run: () => reconcile(`${NAMESPACE}/demo`, log) };
}

describe("TuningJob reconciler: trialRetention", () => {
  it("records the retired trials in the status, then deletes them, keeping the best", async () => {
    const { caches, writes, run } = cluster(8, true);
    await run();
    // 8 finished: the line is at 8 - 3 = 5 (retention runs before the plan creates 8 and 9); trial 2 is the best.
    const kinds = writes.calls.map((c) => c.kind).filter((k) => k !== "createTrial");
    expect(kinds).toEqual(["patchTuningJobStatus", ...Array(4).fill("deleteTrial")]);
    expect(writes.of("deleteTrial").map((d) => d.name)).toEqual(["demo-0", "demo-1", "demo-3", "demo-4"]);
    const status = caches.tuningJobs.get(NAMESPACE, "demo")?.status;
    expect(status?.retention).toMatchObject({ below: 5, kept: [2], retired: { succeeded: 4 } });
    expect(status?.trials).toMatchObject({ created: 10, succeeded: 8, active: 2 });
    expect(status?.bestTrial?.index).toBe(2);
  });

  it("waits for the cache to show its retired record before planning again", async () => {
    const { caches, writes, run } = cluster(8, false);
    await run();
    const written = writes.of("patchTuningJobStatus")[0]?.status;
    for (const d of writes.of("deleteTrial")) caches.trials.remove(NAMESPACE, d.name);
    for (const c of writes.of("createTrial")) caches.trials.put(c.trial);
    writes.clear();
    // The Trials are gone, the status in the cache is still the old one: planning now would count 4 fewer.
    expect(await run()).toEqual({ requeueAfterMs: 1000 });
    expect(writes.calls).toEqual([]);
    const job = caches.tuningJobs.get(NAMESPACE, "demo");
    if (job) caches.tuningJobs.put({ ...job, ...(written && { status: written }) });
    await run();
    // Now the line moves on to 10 - 3 = 7; still 10 created, none more while 8 and 9 run.
    expect(writes.of("createTrial")).toEqual([]);
    expect(writes.of("deleteTrial").map((d) => d.name)).toEqual(["demo-5", "demo-6"]);
    expect(writes.of("patchTuningJobStatus")[0]?.status.trials).toMatchObject({ created: 10, active: 2 });
  });

  it("after a crash between the status write and the deletes, deletes again and counts once", async () => {
    const first = cluster(8, true);
    await first.run();
    const stored = first.caches.tuningJobs.get(NAMESPACE, "demo");
    // A fresh operator: the status was written, the Trials never deleted.
    const job = storedTuningJob(spec);
    const trials = [
      ...Array.from({ length: 8 }, (_, i) =>
        storedTrial(job, i, finishedStatus([i === 2 ? 0.9 : 0.1 + i / 100])),
      ),
      ...first.writes.of("createTrial").map((c) => c.trial),
    ];
    const caches = fakeCaches({
      tuningJobs: [{ ...job, ...(stored?.status && { status: stored.status }) }],
      trials,
    });
    const writes = recordingWrites({ reflectInto: caches });
    await createTuningJobReconciler({ caches, writes, events: recordingEvents(), now: () => NOW })(
      `${NAMESPACE}/demo`,
      log,
    );
    expect(writes.of("deleteTrial").map((d) => d.name)).toEqual([
      "demo-0",
      "demo-1",
      "demo-3",
      "demo-4",
      "demo-5",
      "demo-6",
    ]);
    // With 8 and 9 present the line is at 7: 5 and 6 retire now as well; nothing is created or counted twice.
    expect(writes.of("createTrial")).toEqual([]);
    expect(caches.tuningJobs.get(NAMESPACE, "demo")?.status?.trials).toMatchObject({
      created: 10,
      succeeded: 8,
    });
  });
});
