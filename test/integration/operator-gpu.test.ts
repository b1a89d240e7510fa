// GPU contention: examples/gpu/tuningjob.yaml (trials ask for `gpus: 1`,
// parallelism 4), pinned to one node with 2 GPUs. The operator creates 4 Jobs; the scheduler runs only 2
// pods at once and keeps the others Pending; every trial still completes.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Json, waitForPhase } from "../support/tuningjob-api.js";
import { sleep } from "../support/wait.js";
import { jobsOf, podsOf } from "./operator-helpers.js";
import { useScenarios } from "./operator-scenario.js";

const { core, batch, scenario } = useScenarios();

/** The example with short trials; the node agent has no images, so train.mjs is named by path. */
function gpuExample(): Json {
  const examples = resolve(import.meta.dirname, "..", "..", "examples");
  const job = parse(readFileSync(resolve(examples, "gpu", "tuningjob.yaml"), "utf8")) as Json;
  job.spec.parameters = job.spec.parameters.map((p: Json) =>
    p.name === "epochs" ? { ...p, min: 2, max: 3 } : p,
  );
  job.spec.trialTemplate.job.template.spec.containers[0].command = [
    "node",
    resolve(examples, "quickstart", "train.mjs"),
  ];
  return job;
}

describe("operator: GPU trials", () => {
  it("never runs more trial pods than the node has GPUs; the rest wait Pending and all complete", async () => {
    const nodes = (await core.listNode()).items;
    const gpuNode = nodes.find((n) => Number(n.status?.allocatable?.["nvidia.com/gpu"] ?? 0) > 0);
    if (!gpuNode?.metadata?.name) throw new Error("the test cluster has no node with nvidia.com/gpu");
    const gpus = Number(gpuNode.status?.allocatable?.["nvidia.com/gpu"]);
    expect(gpus).toBe(2);

    const { namespace, api } = await scenario("op-gpu");
    const body = gpuExample();
    body.spec.limits = { ...body.spec.limits, maxTrials: 6, parallelism: 4 };
    // One node, so that its GPUs are all the job can get.
    body.spec.trialTemplate.job.template.spec.nodeSelector = {
      "kubernetes.io/hostname": gpuNode.metadata.name,
    };
    await api.create(body);

    let maxRunning = 0;
    let pendingWhileFull = 0;
    let done = false;
    const finished = waitForPhase(api, "quickstart-gpu", "Complete", 120_000).finally(() => {
      done = true;
    });
    while (!done) {
      const pods = await podsOf(core, namespace, "quickstart-gpu");
      const running = pods.filter((p) => p.status?.phase === "Running").length;
      const pending = pods.filter((p) => p.status?.phase === "Pending").length;
      maxRunning = Math.max(maxRunning, running);
      if (running === gpus && pending > 0) pendingWhileFull = Math.max(pendingWhileFull, pending);
      await sleep(100);
    }
    const job = await finished;

    expect(maxRunning).toBe(gpus);
    expect(pendingWhileFull).toBeGreaterThan(0);
    const trials = await api.trials("quickstart-gpu");
    expect(trials.map((t) => t.status.phase)).toEqual(Array(6).fill("Succeeded"));
    expect(job.status.bestTrial.name).toBeDefined();
    for (const j of await jobsOf(batch, namespace, "quickstart-gpu")) {
      expect(j.spec?.template.spec?.containers[0]?.resources?.limits).toEqual({
        memory: "256Mi",
        "nvidia.com/gpu": "1",
      });
    }
  });
});
