// Restart safety: the operator is SIGKILLed at random moments of a 30-trial
// job and started again each time. Nothing lives only in its memory, so the
// job still completes with exactly 30 Trials (indices 0..29, none twice, none
// lost, none left running) and bestTrial is the best of them.
import { describe, expect, it } from "vitest";
import { waitForPhase } from "../support/tuningjob-api.js";
import { sleep, waitFor } from "../support/wait.js";
import { jobsOf, nodeTuningJob, podsOf, trainerScript } from "./operator-helpers.js";
import { useScenarios } from "./operator-scenario.js";

const { core, batch, scenario } = useScenarios();
const FINISHED = ["Succeeded", "Failed", "EarlyStopped", "MetricsUnavailable"];

describe("operator: restarts", () => {
  it("completes a 30-trial job with exactly 30 trials although SIGKILLed at random moments", async () => {
    const { namespace, api, operator } = await scenario("op-restart");
    await api.create(
      nodeTuningJob(
        "restart",
        { limits: { maxTrials: 30, parallelism: 4 } },
        trainerScript("accuracy", 2, 50),
      ),
    );

    let done = false;
    const finished = waitForPhase(api, "restart", "Complete", 240_000).finally(() => {
      done = true;
    });
    const kills: number[] = [];
    const started = Date.now();
    // Kills keyed to progress rather than to the clock, so that a fast or a
    // slow machine both see them mid-job: once a random number of trials
    // past each threshold exists, SIGKILL, wait a little, start again.
    for (const threshold of [3, 10, 17, 24]) {
      const target = threshold + Math.floor(Math.random() * 4);
      await waitFor(
        `${target} trials`,
        async () => done || (await api.trials("restart")).length >= target,
        240_000,
      );
      if (done) break;
      await sleep(Math.random() * 500);
      await operator.kill();
      kills.push(Date.now() - started);
      await sleep(Math.random() * 1000);
      await operator.start();
    }
    const job = await finished;
    expect(kills.length, `kills at ${kills.join(", ")} ms`).toBeGreaterThanOrEqual(3);

    const trials = await api.trials("restart");
    const indices = trials.map((t) => t.spec.index as number).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (const t of trials)
      expect(FINISHED, `${t.metadata.name}: ${JSON.stringify(t.status)}`).toContain(t.status?.phase);
    expect(trials.filter((t) => t.status.phase === "Succeeded").length).toBe(30);
    expect(job.status.trials).toMatchObject({ created: 30, succeeded: 30, active: 0 });
    const jobs = await jobsOf(batch, namespace, "restart");
    expect(jobs).toHaveLength(30);
    const active = (await podsOf(core, namespace, "restart")).filter(
      (p) => !["Succeeded", "Failed"].includes(p.status?.phase ?? ""),
    );
    expect(active.map((p) => p.metadata?.name)).toEqual([]);
    const best = Math.max(...trials.map((t) => t.status.objectiveValue as number));
    expect(job.status.bestTrial.objectiveValue).toBe(best);
    expect(trials.find((t) => t.metadata.name === job.status.bestTrial.name)?.status.objectiveValue).toBe(
      best,
    );
  });
});
