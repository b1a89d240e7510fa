// A TuningJob of hundreds of trials on KWOK's simulated nodes (test/cluster/kwok.ts):
// the real API server, Job controller and scheduler do every trial's work, KWOK
// completes each pod with the trial's metric in its termination message, and a
// real `hypertune operator` runs the search, SIGKILLed and restarted midway.
// A test of correctness at scale, not of speed (bench:scale measures): every
// trial exactly once, every value read from its own pod, the best one reported.
// HYPERTUNE_TEST_KWOK_TRIALS sets the size (default 300).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kwok, startKwok } from "../cluster/kwok.js";
import { kwokLoss, kwokTuningJob } from "../support/kwok-tuningjob.js";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { clients, createNamespace, installCrds, kubeconfigPath } from "./operator-helpers.js";

const TRIALS = Number(process.env.HYPERTUNE_TEST_KWOK_TRIALS ?? 300);
const PARALLELISM = 50;

const { kc, core, custom } = clients();
let namespace = "";
let kwok: Kwok | undefined;
let operator: OperatorProcess;
printOperatorLogsOnFailure(() => (operator ? [operator] : []));

beforeAll(async () => {
  ensureBuilt();
  await installCrds(kc);
  const logDir = await mkdtemp(join(tmpdir(), "hypertune-kwok-"));
  kwok = await startKwok({ kubeconfigPath: kubeconfigPath(), logDir, nodes: 2 });
  namespace = await createNamespace(core, "scale-kwok");
  operator = new OperatorProcess({ kubeconfig: kubeconfigPath(), namespace, args: ["--log-level", "info"] });
  await operator.start();
}, 120_000);

afterAll(async () => {
  await operator?.stop();
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await kwok?.stop();
});

describe(`operator on KWOK nodes: ${TRIALS} trials, parallelism ${PARALLELISM}`, () => {
  it("runs every trial exactly once through an operator SIGKILL, each value read from its own pod", async () => {
    const api = tuningJobs(custom, namespace);
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
    await operator.kill();
    await operator.start();

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
