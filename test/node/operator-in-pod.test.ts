// The operator as the chart's Deployment, its trials in containers: each
// metrics collector (the File collector is the operator image in a real
// native sidecar), early stopping on a live log, GPU contention on the fake
// device plugin, deleting the operator's pod at random moments of a 30-trial
// job, and deleting a TuningJob removing every container.
import { readFileSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CoordinationV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { recordedBinDir } from "../cluster/node/cleanup.js";
import { containersOfNamespace } from "../cluster/node/containerd.js";
import { stateRoot } from "../cluster/node/layout.js";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { chartDir, helm } from "../integration/chart-helpers.js";
import { clients, jobsOf, podsOf } from "../integration/operator-helpers.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { sleep, waitFor } from "../support/wait.js";
import { installOperator, operatorPods, type Release, readyOperatorPods } from "./operator-install.js";
import { containerTuningJob, restrictedNamespace } from "./pods.js";

const { kc, core, batch, custom } = clients();
const coordination = kc.makeApiClient(CoordinationV1Api);
let release: Release;
let system = "";
const namespaces: string[] = [];

beforeAll(async () => {
  system = await restrictedNamespace(core, "ht-sys");
  release = await installOperator(core, "htop", system);
});
afterAll(async () => {
  await release?.uninstall();
  for (const name of [...namespaces, system]) await core.deleteNamespace({ name }).catch(() => undefined);
});

async function scenario(prefix: string) {
  const namespace = await restrictedNamespace(core, prefix);
  namespaces.push(namespace);
  return { namespace, api: tuningJobs(custom, namespace) };
}

/** Grid over x ∈ values, one at a time, with `script` as the trainer. */
function oneByOne(name: string, collector: string, script: string, values = [0.25, 0.75]): Json {
  return containerTuningJob(
    name,
    {
      metrics: { collector },
      parameters: [{ name: "x", type: "Discrete", values }],
      search: { strategy: "Grid" },
      limits: { maxTrials: values.length, parallelism: 1 },
    },
    script,
  );
}

async function expectObjectives(api: ReturnType<typeof tuningJobs>, name: string) {
  const job = await waitForPhase(api, name, "Complete", 180_000);
  const trials = await api.trials(name);
  expect(trials).toHaveLength(2);
  for (const t of trials) {
    expect(t.status.phase, JSON.stringify(t.status)).toBe("Succeeded");
    expect(t.status.metrics.accuracy).toBe(t.spec.parameters.x);
  }
  expect(job.status.bestTrial).toMatchObject({ parameters: { x: 0.75 } });
  return trials;
}

// Independent scenarios, each in its own namespace, at once on the one operator: as a
// shared cluster sees them, and in a third of the time they take one after another.
describe.concurrent("collectors, bad input, GPU contention and deletion, at once", () => {
  it("Stdout: the trial container's log through pods/log", async () => {
    const { api } = await scenario("op-stdout");
    const script =
      "const x = Number(process.argv[1]); console.log('step=1 accuracy=' + x / 2); console.log('step=2 accuracy=' + x);";
    await api.create(oneByOne("stdout", "Stdout", script));
    const trials = await expectObjectives(api, "stdout");
    for (const t of trials) expect(t.status.history.map((h: Json) => h.step)).toEqual([1, 2]);
  });

  it("File: the operator image as a native sidecar tails the file on a shared emptyDir", async () => {
    const { api, namespace } = await scenario("op-file");
    const script = [
      "const fs = require('node:fs'); const x = Number(process.argv[1]); const file = process.env.HYPERTUNE_METRICS_FILE;",
      "console.log('not a metric line: accuracy=0');",
      "fs.appendFileSync(file, 'step=1 accuracy=' + x / 2 + '\\n');",
      "setTimeout(() => fs.appendFileSync(file, JSON.stringify({ step: 2, accuracy: x }) + '\\n'), 300);",
      "setTimeout(() => {}, 1000);",
    ].join("\n");
    await api.create(oneByOne("file", "File", script));
    await expectObjectives(api, "file");
    const pods = await podsOf(core, namespace, "file");
    const sidecar = pods[0]?.status?.initContainerStatuses?.find((c) => c.name === "hypertune-collector");
    expect(sidecar?.image).toContain(nodeTestImages.operator);
    expect(sidecar?.containerID).toMatch(/^containerd:\/\//);
  });

  it("TerminationMessage: the message the runtime wrote from /dev/termination-log", async () => {
    const { api } = await scenario("op-termmsg");
    const script = [
      "const x = Number(process.argv[1]);",
      "console.log('accuracy=0 on stdout is not what this collector reads');",
      "require('node:fs').writeFileSync('/dev/termination-log', 'loss=0.5 accuracy=' + x + '\\n');",
    ].join("\n");
    await api.create(oneByOne("termmsg", "TerminationMessage", script));
    await expectObjectives(api, "termmsg");
  });

  it("Median early stopping reads a live log and stops the bad trial's container", async () => {
    const { api, namespace } = await scenario("op-early");
    // Good trials (x ≥ 0.5) report 10 steps quickly; the bad one would report slowly for 40 s.
    const script = [
      "const x = Number(process.argv[1]);",
      "const delay = x >= 0.5 ? 50 : 2000; let step = 0;",
      "const tick = () => { step++; console.log('step=' + step + ' accuracy=' + x * step / 10);",
      "  if (step < (x >= 0.5 ? 10 : 20)) setTimeout(tick, delay); }; tick();",
    ].join("\n");
    const body = oneByOne("early", "Stdout", script, [0.9, 0.8, 0.1]);
    body.spec.earlyStopping = { rule: "Median", minTrials: 2, startStep: 2 };
    // node as PID 1 ignores SIGTERM: without this the kubelet waits the default 30 s before SIGKILL.
    body.spec.trialTemplate.job.template.spec.terminationGracePeriodSeconds = 3;
    await api.create(body);
    await waitForPhase(api, "early", "Complete", 180_000);
    const trials = await api.trials("early");
    const bad = trials.find((t) => t.spec.parameters.x === 0.1);
    expect(bad?.status.phase, JSON.stringify(bad?.status)).toBe("EarlyStopped");
    const steps = (bad?.status.history ?? []).map((h: Json) => h.step);
    expect(Math.max(...steps)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...steps)).toBeLessThan(10);
    // Its pod (and so its container) is gone: the Job was deleted with it.
    await waitFor(
      "the bad trial's pod to go",
      async () =>
        !(await podsOf(core, namespace, "early")).some((p) =>
          p.metadata?.name?.startsWith(bad?.metadata.name),
        ),
      60_000,
    );
  });

  it("bad input: a trial image the node does not have fails the trials at once and the job at maxFailedTrials", async () => {
    const { api } = await scenario("op-noimage");
    const body = containerTuningJob("noimage", {
      limits: { maxTrials: 4, parallelism: 2, maxFailedTrials: 2 },
      container: { image: "hypertune-missing:dev", imagePullPolicy: "Never" },
    });
    await api.create(body);
    const job = await waitForPhase(api, "noimage", "Failed", 120_000);
    const failed = (await api.trials("noimage")).filter((t) => t.status?.phase === "Failed");
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const t of failed) {
      expect(t.status.reason).toBe("ErrImageNeverPull");
      expect(t.status.message).toContain("hypertune-missing:dev");
    }
    expect(job.status.message).toMatch(/failed/i);
  });

  it("GPU contention: never runs more trial pods than the node's fake GPUs; the rest wait Pending and all complete", async () => {
    const node = (await core.listNode()).items[0];
    const gpus = Number(node?.status?.allocatable?.["nvidia.com/gpu"] ?? 0);
    expect(gpus).toBe(2);
    const { namespace, api } = await scenario("op-gpu");
    const examples = resolve(import.meta.dirname, "..", "..", "examples");
    const body = parse(readFileSync(resolve(examples, "gpu", "tuningjob.yaml"), "utf8")) as Json;
    body.spec.parameters = body.spec.parameters.map((p: Json) =>
      p.name === "epochs" ? { ...p, min: 2, max: 3 } : p,
    );
    body.spec.limits = { ...body.spec.limits, maxTrials: 6, parallelism: 4 };
    const container = body.spec.trialTemplate.job.template.spec.containers[0];
    container.image = nodeTestImages.quickstart;
    container.resources.requests.cpu = "100m";
    await api.create(body);

    let maxRunning = 0;
    let pendingWhileFull = 0;
    let done = false;
    const finished = waitForPhase(api, "quickstart-gpu", "Complete", 300_000).finally(() => {
      done = true;
    });
    while (!done) {
      const pods = await podsOf(core, namespace, "quickstart-gpu");
      const running = pods.filter((p) => p.status?.phase === "Running").length;
      const pending = pods.filter((p) => p.status?.phase === "Pending").length;
      maxRunning = Math.max(maxRunning, running);
      if (running === gpus && pending > 0) pendingWhileFull = Math.max(pendingWhileFull, pending);
      await sleep(200);
    }
    const job = await finished;
    expect(maxRunning).toBe(gpus);
    expect(pendingWhileFull).toBeGreaterThan(0);
    expect(job.status.trials.succeeded).toBe(6);
  });

  it("preemption: a real eviction re-runs the trial as attempt 2, which resumes from its checkpoint; nothing counts as failed", async () => {
    const { namespace, api } = await scenario("op-evict");
    // A hostPath PersistentVolume stands for the cluster's shared storage; the pods see only the claim.
    const hostDir = join(stateRoot, "checkpoints", namespace);
    await mkdir(join(hostDir, "evict-0"), { recursive: true, mode: 0o777 });
    await chmod(join(hostDir, "evict-0"), 0o777);
    const pv = `ht-ckpt-${namespace}`;
    await core.createPersistentVolume({
      body: {
        metadata: { name: pv },
        spec: {
          capacity: { storage: "10Mi" },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: "",
          hostPath: { path: hostDir, type: "Directory" },
        },
      },
    });
    try {
      await core.createNamespacedPersistentVolumeClaim({
        namespace,
        body: {
          metadata: { name: "checkpoints" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "",
            volumeName: pv,
            resources: { requests: { storage: "10Mi" } },
          },
        },
      });
      // Ten steps, 700 ms apart, each saved to the checkpoint; a new attempt goes on from the saved step.
      const script = [
        "const fs = require('node:fs'); const x = Number(process.argv[1]);",
        "const file = process.env.HYPERTUNE_CHECKPOINT_DIR + '/step';",
        "let step = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;",
        "console.log('attempt ' + process.env.HYPERTUNE_ATTEMPT + ' resumes from step ' + step);",
        "const tick = () => { step++; fs.writeFileSync(file + '.tmp', String(step)); fs.renameSync(file + '.tmp', file);",
        "  console.log('step=' + step + ' accuracy=' + x * step / 10); if (step < 10) setTimeout(tick, 700); }; tick();",
      ].join("\n");
      const body = oneByOne("evict", "Stdout", script, [0.5]);
      body.spec.limits.maxFailedTrials = 0;
      body.spec.trialTemplate.checkpoint = { volume: "ckpt" };
      const podSpec = body.spec.trialTemplate.job.template.spec;
      podSpec.volumes = [{ name: "ckpt", persistentVolumeClaim: { claimName: "checkpoints" } }];
      // node as PID 1 ignores SIGTERM: without this the kubelet waits the default 30 s before SIGKILL.
      podSpec.terminationGracePeriodSeconds = 2;
      await api.create(body);

      const running = await waitFor(
        "trial 0 to report three steps",
        async () => {
          const [trial] = await api.trials("evict");
          return (trial?.status?.history?.length ?? 0) >= 3 ? trial : undefined;
        },
        120_000,
      );
      expect(running.status.attempt ?? 1).toBe(1);
      const [pod] = (await podsOf(core, namespace, "evict")).filter((p) => p.status?.phase === "Running");
      const podName = pod?.metadata?.name ?? "";
      await core.createNamespacedPodEviction({
        name: podName,
        namespace,
        body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: podName, namespace } },
      });

      const job = await waitForPhase(api, "evict", "Complete", 180_000);
      const [trial = {}] = await api.trials("evict");
      expect(trial.status, JSON.stringify(trial.status)).toMatchObject({ phase: "Succeeded", attempt: 2 });
      expect(trial.status.preemptions).toHaveLength(1);
      // The pod's own condition, or, once the pod is gone, the Job's pod failure policy naming it.
      expect(["EvictionByEvictionAPI", "DisruptionTarget"]).toContain(trial.status.preemptions[0].reason);
      // One trial, not two: each step once, the last one the result.
      expect(trial.status.history.map((h: Json) => h.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(trial.status.metrics.accuracy).toBe(0.5);
      expect(job.status.trials).toMatchObject({ succeeded: 1, failed: 0, preempted: 0 });
      // Attempt 2 ran in a Job of its own and went on from the checkpoint of attempt 1.
      const second = (await podsOf(core, namespace, "evict")).find(
        (p) => p.metadata?.labels?.["hypertune.dev/attempt"] === "2",
      );
      const logText = await core.readNamespacedPodLog({ name: second?.metadata?.name ?? "", namespace });
      const resumedFrom = Number(/attempt 2 resumes from step (\d+)/.exec(logText)?.[1]);
      expect(resumedFrom).toBeGreaterThanOrEqual(3);
      await waitFor(
        "attempt 1's Job to be deleted",
        async () =>
          (await jobsOf(batch, namespace, "evict")).map((j) => j.metadata?.name).join() === "evict-0-a2",
        60_000,
      );
    } finally {
      await core.deletePersistentVolume({ name: pv }).catch(() => undefined);
    }
  });

  it("deleting a TuningJob removes its Trials, Jobs, pods and every container on the node", async () => {
    const { namespace, api } = await scenario("op-delete");
    const sleeper = "setTimeout(() => {}, 600000)";
    const body = containerTuningJob("doomed", { limits: { maxTrials: 2, parallelism: 2 } }, sleeper);
    // A trainer that ignores SIGTERM (as PID 1 does unless it handles it) is killed after the grace period.
    body.spec.trialTemplate.job.template.spec.terminationGracePeriodSeconds = 3;
    await api.create(body);
    await waitFor(
      "two running trial pods",
      async () =>
        (await podsOf(core, namespace, "doomed")).filter((p) => p.status?.phase === "Running").length === 2,
      120_000,
    );
    await api.delete("doomed");
    await waitFor(
      "every trial pod to go",
      async () => (await podsOf(core, namespace, "doomed")).length === 0,
      120_000,
    );
    expect(await jobsOf(batch, namespace, "doomed")).toEqual([]);
    expect(await api.trials("doomed")).toEqual([]);
    // And on the node: no container of this namespace is left in containerd.
    await waitFor(
      "the node's containers of the namespace to go",
      async () => (await containersOfNamespace(recordedBinDir(), namespace)).length === 0,
      60_000,
    );
  });
});

describe("the operator's pod deleted at random moments", () => {
  it("a 30-trial job ends with exactly 30 trials, none twice, none left running", async () => {
    const { namespace, api } = await scenario("op-chaos");
    const body = containerTuningJob("chaos", {
      limits: { maxTrials: 30, parallelism: 3 },
      parameters: [{ name: "x", type: "Float", min: 0, max: 1 }],
    });
    await api.create(body);
    let kills = 0;
    let done = false;
    const finished = waitForPhase(api, "chaos", "Complete", 480_000).finally(() => {
      done = true;
    });
    while (!done && kills < 4) {
      await sleep(3000 + Math.random() * 5000);
      if (done) break;
      const [pod] = await operatorPods(core, release.name, system);
      if (!pod?.metadata?.name) continue;
      // As `kubectl delete pod --force --grace-period=0`.
      await core.deleteNamespacedPod({ name: pod.metadata.name, namespace: system, gracePeriodSeconds: 0 });
      kills++;
      await readyOperatorPods(core, release.name, system, 1);
    }
    const job = await finished;
    expect(kills).toBeGreaterThanOrEqual(2);
    const trials = await api.trials("chaos");
    expect(trials).toHaveLength(30);
    expect(new Set(trials.map((t) => t.spec.index)).size).toBe(30);
    expect(job.status.trials.succeeded).toBe(30);
    expect(await jobsOf(batch, namespace, "chaos")).toHaveLength(30);
    const running = (await podsOf(core, namespace, "chaos")).filter((p) => p.status?.phase === "Running");
    expect(running).toEqual([]);
  });
});

describe("leader election with replicas: 2", () => {
  it("one pod leads; when it is deleted mid-job another takes the Lease and the job ends with every trial once", async () => {
    // --wait: the rollout is done, so the pod without leader election is gone or going.
    const upgrade = ["upgrade", release.name, chartDir, "-n", system, "--reuse-values", "--wait"];
    await helm(release.home, ...upgrade, "--set", "replicas=2");
    const electing = (p: V1Pod) => p.spec?.containers[0]?.args?.includes("--leader-elect");
    const pods = await waitFor("two Ready pods that elect a leader", async () => {
      const ready = (await readyOperatorPods(core, release.name, system, 2)).filter(electing);
      return ready.length === 2 ? ready : undefined;
    });
    const leaseName = "hypertune-operator";
    const holder = async () =>
      (await coordination.readNamespacedLease({ name: leaseName, namespace: system })).spec?.holderIdentity ??
      "";
    const leaderPod = async () => {
      const identity = await holder();
      return pods.find((p) => identity.startsWith(`${p.metadata?.name}-`))?.metadata?.name;
    };
    const first = await waitFor("a leader among the two pods", leaderPod, 60_000);

    const { namespace, api } = await scenario("op-leader");
    await api.create(containerTuningJob("leader", { limits: { maxTrials: 8, parallelism: 2 } }));
    await waitFor("a first trial", async () => (await api.trials("leader")).length > 0, 60_000);
    await core.deleteNamespacedPod({ name: first, namespace: system, gracePeriodSeconds: 0 });
    // The standby, or the pod the Deployment starts in place of the deleted one: both poll
    // for the expired Lease, and either may win it.
    const second = await waitFor(
      "another pod to take the Lease",
      async () => {
        const identity = await holder();
        return identity !== "" && !identity.startsWith(`${first}-`) ? identity : undefined;
      },
      90_000,
    );
    console.log(`the Lease moved from ${first} to ${second}`);
    const job = await waitForPhase(api, "leader", "Complete", 240_000);
    const trials = await api.trials("leader");
    expect(trials).toHaveLength(8);
    expect(new Set(trials.map((t) => t.spec.index)).size).toBe(8);
    expect(job.status.trials.succeeded).toBe(8);
    expect(await jobsOf(batch, namespace, "leader")).toHaveLength(8);
    // The file's last test: afterAll uninstalls the release, so no scaling back to one replica.
  });
});
