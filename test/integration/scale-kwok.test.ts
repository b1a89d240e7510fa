// A TuningJob of hundreds of trials on KWOK's simulated nodes (test/cluster/kwok.ts):
// the real API server, Job controller and scheduler do every trial's work, KWOK
// completes each pod with the trial's metric in its termination message, and a
// real `hypertune operator` runs the search, SIGKILLed and restarted midway.
// A test of correctness at scale, not of speed (bench:scale measures): every
// trial exactly once, every value read from its own pod, the best one reported.
// HYPERTUNE_TEST_KWOK_TRIALS sets the size (default 300). A second job runs with
// spec.trialRetention and checks that the deleted Trials are still counted,
// never repeated, and never held the best.
import { BatchV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kwokLoss, kwokTuningJob } from "../support/kwok-tuningjob.js";
import { tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { useKwokOperator } from "./kwok-operator.js";
import { clients } from "./operator-helpers.js";

const RETENTION = { keepBest: 5, keepLast: 30 };
const RETENTION_TRIALS = 120;
const RETENTION_PARALLELISM = 10;

const TRIALS = Number(process.env.HYPERTUNE_TEST_KWOK_TRIALS ?? 300);
const PARALLELISM = 50;

const { kc, custom } = clients();
const harness = useKwokOperator("scale-kwok");

describe(`operator on KWOK nodes: ${TRIALS} trials, parallelism ${PARALLELISM}`, () => {
  it("runs every trial exactly once through an operator SIGKILL, each value read from its own pod", async () => {
    const api = tuningJobs(custom, harness.namespace);
    await api.create(
      kwokTuningJob({
        name: "kwok-tpe",
        trials: TRIALS,
        parallelism: PARALLELISM,
        strategy: "TPE",
        seed: 5,
        podDuration: "300ms",
      }),
    );

    // Killed with a third of the trials done and up to PARALLELISM running.
    await waitFor(
      "a third of the trials finished",
      async () => {
        const job = await api.get("kwok-tpe");
        return (job.status?.trials?.succeeded ?? 0) >= TRIALS / 3 ? true : undefined;
      },
      600_000,
    );
    await harness.operator.kill();
    await harness.operator.start();

    const done = await waitForPhase(api, "kwok-tpe", "Complete", 900_000);
    const trials = await api.trials("kwok-tpe");
    const indices = trials.map((t) => t.spec.index as number).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: TRIALS }, (_, i) => i));
    for (const trial of trials) {
      expect(trial.status.phase, trial.metadata.name).toBe("Succeeded");
      expect(trial.status.objectiveValue).toBeCloseTo(kwokLoss(trial.spec.parameters), 10);
    }
    const best = trials.reduce((a, b) => (b.status.objectiveValue < a.status.objectiveValue ? b : a));
    expect(done.status.bestTrial).toMatchObject({ index: best.spec.index });
    expect(done.status.trials).toMatchObject({ created: TRIALS, succeeded: TRIALS });
    // TPE past its start-up trials finds the basin: the best is near (0.3, 0.3, 0.3).
    expect(best.status.objectiveValue).toBeLessThan(0.01);
  }, 1_500_000);
});

describe(`operator on KWOK nodes: trialRetention ${JSON.stringify(RETENTION)}`, () => {
  it("deletes old Trials and their Jobs, yet counts every trial once and reports the best of all", async () => {
    const api = tuningJobs(custom, harness.namespace);
    const job = kwokTuningJob({
      name: "kwok-retained",
      trials: RETENTION_TRIALS,
      parallelism: RETENTION_PARALLELISM,
      strategy: "TPE",
      seed: 9,
      podDuration: "300ms",
    });
    await api.create({ ...job, spec: { ...job.spec, trialRetention: RETENTION } });

    // Every trial's result as seen before its Trial is deleted (a trial retires 30 indices later).
    const seen = new Map<number, number | undefined>();
    let mostPresent = 0;
    let killed = false;
    const bound = RETENTION.keepBest + RETENTION.keepLast + RETENTION_PARALLELISM;
    const done = await waitFor(
      "the retained job Complete",
      async () => {
        const trials = await api.trials("kwok-retained");
        mostPresent = Math.max(mostPresent, trials.length);
        for (const t of trials) {
          if (t.status?.phase === "Succeeded") seen.set(t.spec.index, t.status.objectiveValue);
          else if (!seen.has(t.spec.index)) seen.set(t.spec.index, undefined);
        }
        if (!killed && seen.size >= RETENTION_TRIALS / 2) {
          killed = true;
          await harness.operator.kill();
          await harness.operator.start();
        }
        const current = await api.get("kwok-retained");
        return current.status?.phase === "Complete" ? current : undefined;
      },
      600_000,
      200,
    );
    const indices = [...seen.keys()].sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: RETENTION_TRIALS }, (_, i) => i));
    expect([...seen.values()].every((v) => v !== undefined)).toBe(true);
    expect(done.status.trials).toMatchObject({ created: RETENTION_TRIALS, succeeded: RETENTION_TRIALS });
    const bestValue = Math.min(...(seen.values() as Iterable<number>));
    expect(done.status.bestTrial.objectiveValue).toBe(bestValue);

    const left = await api.trials("kwok-retained");
    expect(mostPresent).toBeLessThanOrEqual(bound);
    expect(left.length).toBeLessThanOrEqual(RETENTION.keepBest + RETENTION.keepLast);
    expect(left.map((t) => t.spec.index)).toContain(done.status.bestTrial.index);
    const retention = done.status.retention;
    const retired = Object.values(retention.retired as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(retired + left.length).toBe(RETENTION_TRIALS);
    expect(retention.sample.length).toBeGreaterThan(0);
    // The garbage collector follows the Trials: their Jobs go too.
    await waitFor(
      "the retired trials' Jobs deleted",
      async () => {
        const jobs = await batchJobs(harness.namespace, "kwok-retained");
        return jobs <= left.length ? true : undefined;
      },
      120_000,
    );
  }, 900_000);
});

async function batchJobs(ns: string, jobName: string): Promise<number> {
  const list = await kc.makeApiClient(BatchV1Api).listNamespacedJob({
    namespace: ns,
    labelSelector: `hypertune.dev/job=${jobName}`,
  });
  return list.items.length;
}
