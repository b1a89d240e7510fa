// The quickstart TuningJob (examples/quickstart/tuningjob.yaml, a small budget)
// applied through the API and run by a real `hypertune operator` process: the
// Trials and Jobs it creates carry the labels, controller ownerReferences,
// substituted args and HYPERTUNE_* env; bestTrial is the best Trial; and
// `kubectl get tj` shows the phase, progress and best value.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import {
  clients,
  createNamespace,
  installCrds,
  jobsOf,
  kubeconfigPath,
  kubectl,
} from "./operator-helpers.js";

const { kc, core, batch, custom } = clients();
let namespace = "";
let operator: OperatorProcess;
printOperatorLogsOnFailure(() => (operator ? [operator] : []));

beforeAll(async () => {
  ensureBuilt();
  await installCrds(kc);
  namespace = await createNamespace(core, "op-quickstart");
  operator = new OperatorProcess({ kubeconfig: kubeconfigPath(), namespace });
  await operator.start();
});

afterAll(async () => {
  await operator?.stop();
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** The example as shipped, with a small budget; the node agent has no images, so train.mjs is named by path. */
function quickstart(): Json {
  const folder = resolve(import.meta.dirname, "..", "..", "examples", "quickstart");
  const job = parse(readFileSync(resolve(folder, "tuningjob.yaml"), "utf8")) as Json;
  job.spec.limits = { ...job.spec.limits, maxTrials: 4, parallelism: 2 };
  // Few epochs keep the trials at a couple of seconds on 2 cores.
  job.spec.parameters = job.spec.parameters.map((p: Json) =>
    p.name === "epochs" ? { ...p, min: 2, max: 4 } : p,
  );
  const train = job.spec.trialTemplate.job.template.spec.containers[0];
  train.command = ["node", resolve(folder, "train.mjs")];
  return job;
}

describe("operator: the quickstart TuningJob", () => {
  it("completes with labelled, owned Trials and Jobs, substituted args, and the best trial in its status", async () => {
    const api = tuningJobs(custom, namespace);
    const created = await api.create(quickstart());
    const name: string = created.metadata.name;
    const done = await waitForPhase(api, name, "Complete", 180_000);

    const trials = await api.trials(name);
    expect(trials.map((t) => t.spec.index).sort()).toEqual([0, 1, 2, 3]);
    for (const trial of trials) {
      expect(trial.metadata.name).toBe(`${name}-${trial.spec.index}`);
      expect(trial.metadata.labels).toMatchObject({
        "hypertune.dev/job": name,
        "hypertune.dev/trial": trial.metadata.name,
      });
      expect(trial.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: "TuningJob", name, uid: created.metadata.uid, controller: true }),
      ]);
      expect(trial.status.phase).toBe("Succeeded");
      expect(trial.status.objectiveValue).toBeGreaterThan(0);
      expect(trial.status.history.length).toBeGreaterThan(0);
    }

    const jobs = await jobsOf(batch, namespace, name);
    expect(jobs).toHaveLength(4);
    for (const job of jobs) {
      const trial = trials.find((t) => t.metadata.name === job.metadata?.name);
      expect(trial).toBeDefined();
      if (!trial) continue;
      expect(job.metadata?.labels).toMatchObject({
        "hypertune.dev/job": name,
        "hypertune.dev/trial": trial.metadata.name,
      });
      expect(job.metadata?.ownerReferences).toEqual([
        expect.objectContaining({
          kind: "Trial",
          name: trial.metadata.name,
          uid: trial.metadata.uid,
          controller: true,
        }),
      ]);
      expect(job.spec?.template.metadata?.labels).toMatchObject({
        "hypertune.dev/trial": trial.metadata.name,
      });
      const p = trial.spec.parameters;
      const container = job.spec?.template.spec?.containers[0];
      expect(container?.args).toEqual([
        `--lr=${p.lr}`,
        `--hidden=${p.hidden}`,
        `--l2=${p.l2}`,
        `--epochs=${p.epochs}`,
        "--seed=1",
      ]);
      const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
      expect(env).toMatchObject({
        HYPERTUNE_TRIAL: trial.metadata.name,
        HYPERTUNE_TRIAL_INDEX: String(trial.spec.index),
        HYPERTUNE_PARAM_LR: String(p.lr),
        HYPERTUNE_PARAM_EPOCHS: String(p.epochs),
      });
      expect(JSON.parse(env.HYPERTUNE_PARAMS ?? "{}")).toEqual(p);
      // gpus is 0 in the quickstart: no GPU limit (operator-gpu tests the other case).
      expect(container?.resources?.limits?.["nvidia.com/gpu"]).toBeUndefined();
      expect(job.spec?.backoffLimit).toBe(0);
      expect(job.spec?.activeDeadlineSeconds).toBe(120);
    }

    const best = [...trials].sort((a, b) => b.status.objectiveValue - a.status.objectiveValue)[0];
    expect(done.status.bestTrial).toMatchObject({
      name: best?.metadata.name,
      objectiveValue: best?.status.objectiveValue,
      parameters: best?.spec.parameters,
    });
    expect(conditionReason(done, "Complete")).toBeTruthy();

    const table = await kubectl("get", "tj", name, "-n", namespace);
    const [header, row] = table.trim().split("\n");
    expect(header?.split(/\s+/)).toEqual(["NAME", "PHASE", "TRIALS", "BEST", "AGE"]);
    const cells = row?.split(/\s+/) ?? [];
    expect(cells.slice(0, 3)).toEqual([name, "Complete", "4/4"]);
    expect(Number(cells[3])).toBeCloseTo(best?.status.objectiveValue, 3);
  });
});

function conditionReason(object: Json, type: string): string | undefined {
  return (object.status?.conditions ?? []).find((c: Json) => c.type === type && c.status === "True")?.reason;
}
