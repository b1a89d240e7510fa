// The node agent on the real control plane: Jobs complete and fail, the
// scheduler honours nvidia.com/gpu capacity, the garbage collector's deletions
// kill processes, native sidecars wind down with the main container, and the
// downward API, emptyDir and termination messages reach the processes. Logs
// are read through pods/log, the call `kubectl logs` makes.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import {
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  type V1Container,
  type V1Job,
  type V1Pod,
  type V1PodSpec,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startNodeAgent } from "../cluster/node-agent.js";
import { Hopeless, waitFor as pollUntil } from "../support/wait.js";

const kc = new KubeConfig();
kc.loadFromFile(inject("kubeconfigPath"));
const core = kc.makeApiClient(CoreV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const namespace = `node-agent-${Date.now().toString(36)}`;
let scratch = "";

/** operator-helpers' waitFor, polling every 150 ms for up to 60 s by default. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> =>
  pollUntil(what, probe, timeoutMs, 150);

/** A container running `node -e script args…`: node is on the agent's PATH, no image needed. */
function nodeContainer(name: string, script: string, extra: Partial<V1Container> = {}): V1Container {
  const { args = [], ...rest } = extra;
  return { name, image: "node:20", command: ["node", "-e", script], args, ...rest };
}

async function createJob(name: string, spec: V1PodSpec, backoffLimit = 0): Promise<V1Job> {
  return batch.createNamespacedJob({
    namespace,
    body: {
      metadata: { name },
      spec: { backoffLimit, template: { spec: { restartPolicy: "Never", ...spec } } },
    },
  });
}

async function jobCondition(name: string, type: "Complete" | "Failed"): Promise<V1Job> {
  return waitFor(`Job ${name} ${type}`, async () => {
    const job = await batch.readNamespacedJob({ name, namespace });
    const other = type === "Complete" ? "Failed" : "Complete";
    if (job.status?.conditions?.some((c) => c.type === other && c.status === "True")) {
      throw new Hopeless(`Job ${name} is ${other}: ${JSON.stringify(job.status)}`);
    }
    return job.status?.conditions?.some((c) => c.type === type && c.status === "True") ? job : undefined;
  });
}

async function jobPods(name: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({
    namespace,
    labelSelector: `batch.kubernetes.io/job-name=${name}`,
  });
  return list.items;
}

async function podPhase(name: string, phases: string[]): Promise<V1Pod> {
  return waitFor(`pod ${name} in ${phases.join("/")}`, async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    return phases.includes(pod.status?.phase ?? "") ? pod : undefined;
  });
}

const podLog = (
  name: string,
  container: string,
  opts: { follow?: boolean; tailLines?: number; timestamps?: boolean } = {},
) => core.readNamespacedPodLog({ name, namespace, container, ...opts });

/** Running or sleeping; a zombie (killed, not yet reaped by its new parent, init) counts as gone. */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "node-agent-it-"));
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  // Pods are refused until the service-account controller has made `default`.
  await waitFor("the default ServiceAccount", () =>
    core.readNamespacedServiceAccount({ name: "default", namespace }).then(() => true),
  );
});

afterAll(async () => {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
});

describe("node agent", () => {
  it("registers Ready Nodes with capacity, InternalIP, kubelet port and a fresh Lease", async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    const nodes = (await core.listNode({ labelSelector: "hypertune.dev/node-agent=true" })).items;
    expect(nodes.length).toBeGreaterThan(0);
    const ports = new Set<number>();
    for (const node of nodes) {
      const name = node.metadata?.name ?? "";
      const status = node.status;
      expect(Object.keys(status?.capacity ?? {})).toEqual(
        expect.arrayContaining(["cpu", "memory", "pods", "nvidia.com/gpu"]),
      );
      expect(status?.allocatable).toEqual(status?.capacity);
      expect(status?.addresses).toEqual([{ type: "InternalIP", address: "127.0.0.1" }]);
      ports.add(status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0);
      const ready = status?.conditions?.find((c) => c.type === "Ready");
      expect(ready?.status).toBe("True");
      // Heartbeats every 10 s: both the condition and the Lease are recent.
      expect(Date.now() - new Date(ready?.lastHeartbeatTime ?? 0).getTime()).toBeLessThan(25_000);
      const lease = await leases.readNamespacedLease({ name, namespace: "kube-node-lease" });
      expect(lease.spec?.holderIdentity).toBe(name);
      expect(Date.now() - new Date(lease.spec?.renewTime ?? 0).getTime()).toBeLessThan(25_000);
      expect(lease.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Node", name });
    }
    // One log server per node.
    expect(ports.size).toBe(nodes.length);
    expect(ports.has(0)).toBe(false);
  });

  it("runs a Job to completion and serves its output through pods/log, also followed", async () => {
    // stdout and stderr are separate pipes: only pauses order lines across them.
    const script =
      "console.log('hello from ' + process.env.HOSTNAME); setTimeout(() => console.error('to stderr'), 150); setTimeout(() => console.log('last line'), 300);";
    await createJob("hello", { containers: [nodeContainer("main", script)] });
    await jobCondition("hello", "Complete");
    const [pod] = await jobPods("hello");
    const name = pod?.metadata?.name ?? "";
    expect(pod?.status?.phase).toBe("Succeeded");
    expect(pod?.status?.podIP).toBe("127.0.0.1");
    expect(pod?.status?.startTime).toBeDefined();
    const terminated = pod?.status?.containerStatuses?.[0]?.state?.terminated;
    expect(terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(new Date(terminated?.finishedAt ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(terminated?.startedAt ?? 0).getTime(),
    );
    const types = (pod?.status?.conditions ?? []).map((c) => c.type);
    expect(types).toEqual(
      expect.arrayContaining(["PodScheduled", "Initialized", "ContainersReady", "Ready"]),
    );

    expect(await podLog(name, "main")).toBe(`hello from ${name}\nto stderr\nlast line\n`);
    expect(await podLog(name, "main", { tailLines: 1 })).toBe("last line\n");
    expect(await podLog(name, "main", { timestamps: true })).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z hello from /);

    // Follow: subscribe while the container still prints; the stream ends when it exits.
    const slow =
      "let i = 0; const t = setInterval(() => { console.log('tick ' + ++i); if (i === 5) clearInterval(t); }, 300);";
    await createJob("follow", { containers: [nodeContainer("main", slow)] });
    const running = await waitFor("the follow pod running", async () => {
      const [p] = await jobPods("follow");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    const followed = await podLog(running.metadata?.name ?? "", "main", { follow: true });
    expect(followed).toBe("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n");

    // The streaming client (kubectl logs -f) sees lines as they come, not only at the end.
    await createJob("stream", { containers: [nodeContainer("main", slow)] });
    const streaming = await waitFor("the stream pod running", async () => {
      const [p] = await jobPods("stream");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    const out = new PassThrough();
    const chunks: Array<{ at: number; text: string }> = [];
    out.on("data", (b: Buffer) => chunks.push({ at: Date.now(), text: b.toString() }));
    const ended = new Promise<void>((resolve) => out.on("end", () => resolve()));
    await new Log(kc).log(namespace, streaming.metadata?.name ?? "", "main", out, { follow: true });
    await ended;
    expect(chunks.map((c) => c.text).join("")).toBe("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n");
    expect(chunks.length).toBeGreaterThan(1);
    await jobCondition("stream", "Complete");
  });

  it("runs two pods wanting all of a node's GPUs one after the other", async () => {
    const nodes = await core.listNode({ labelSelector: "hypertune.dev/node-agent=true" });
    const node = nodes.items.find((n) => Number(n.status?.allocatable?.["nvidia.com/gpu"] ?? 0) > 0);
    expect(node, "a node with nvidia.com/gpu").toBeDefined();
    const nodeName = node?.metadata?.name ?? "";
    const gpus = node?.status?.allocatable?.["nvidia.com/gpu"] ?? "1";
    const gpuPod = (name: string): V1Pod => ({
      metadata: { name },
      spec: {
        restartPolicy: "Never",
        nodeSelector: { "kubernetes.io/hostname": nodeName },
        containers: [
          nodeContainer(
            "train",
            "console.log('gpus=' + process.env.CUDA_VISIBLE_DEVICES); setTimeout(() => {}, 3000);",
            {
              resources: { limits: { "nvidia.com/gpu": gpus } },
            },
          ),
        ],
      },
    });
    await core.createNamespacedPod({ namespace, body: gpuPod("gpu-a") });
    await podPhase("gpu-a", ["Running"]);
    await core.createNamespacedPod({ namespace, body: gpuPod("gpu-b") });

    // While the first holds the GPUs, the scheduler leaves the second unscheduled.
    const unschedulable = await waitFor("gpu-b reported Unschedulable", async () => {
      const b = await core.readNamespacedPod({ name: "gpu-b", namespace });
      const scheduled = b.status?.conditions?.find((c) => c.type === "PodScheduled");
      return scheduled?.status === "False" ? b : undefined;
    });
    expect(unschedulable.spec?.nodeName).toBeUndefined();
    expect(unschedulable.status?.conditions?.find((c) => c.type === "PodScheduled")?.message).toMatch(
      /nvidia\.com\/gpu/,
    );
    const a = await core.readNamespacedPod({ name: "gpu-a", namespace });
    expect(a.status?.phase).toBe("Running");

    const aDone = await podPhase("gpu-a", ["Succeeded"]);
    const bDone = await podPhase("gpu-b", ["Succeeded"]);
    const aFinished = new Date(
      aDone.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt ?? 0,
    ).getTime();
    const bStarted = new Date(
      bDone.status?.containerStatuses?.[0]?.state?.terminated?.startedAt ?? 0,
    ).getTime();
    // Second-precision times on the wire: b cannot have started before a's second of finishing.
    expect(bStarted).toBeGreaterThanOrEqual(Math.floor(aFinished / 1000) * 1000);
    const devices = Array.from({ length: Number(gpus) }, (_, i) => i).join(",");
    expect(await podLog("gpu-a", "train")).toBe(`gpus=${devices}\n`);
    expect(await podLog("gpu-b", "train")).toBe(`gpus=${devices}\n`);
  });

  it("kills a deleted Job's processes when the garbage collector removes its pods", async () => {
    const pidFile = join(scratch, "pids");
    // The main process ignores SIGTERM and keeps a child in its process group:
    // only SIGKILL to the whole group after the grace period ends both.
    const script = [
      "const { spawn } = require('node:child_process');",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      "process.on('SIGTERM', () => console.log('SIGTERM ignored'));",
      "require('node:fs').writeFileSync(process.argv[1], process.pid + ' ' + child.pid);",
      "setInterval(() => {}, 1000);",
    ].join("\n");
    await createJob("doomed", {
      terminationGracePeriodSeconds: 2,
      containers: [nodeContainer("main", script, { args: [pidFile] })],
    });
    const pids = await waitFor("the pid file", async () => {
      const text = await readFile(pidFile, "utf8").catch(() => "");
      const parsed = text.split(" ").map(Number);
      return parsed.length === 2 && parsed.every((n) => n > 0) ? parsed : undefined;
    });
    expect(pids.every(processAlive)).toBe(true);
    const [pod] = await jobPods("doomed");
    expect(pod?.status?.phase).toBe("Running");

    const deletedAt = Date.now();
    await batch.deleteNamespacedJob({ name: "doomed", namespace, propagationPolicy: "Background" });
    await waitFor("the Job's pod removed", async () =>
      (await jobPods("doomed")).length === 0 ? true : undefined,
    );
    const removedAfter = Date.now() - deletedAt;
    expect(pids.some(processAlive)).toBe(false);
    // SIGTERM was ignored, so the pod could only go after the 2 s grace period.
    expect(removedAfter).toBeGreaterThanOrEqual(2000);
    await expect(batch.readNamespacedJob({ name: "doomed", namespace })).rejects.toMatchObject({ code: 404 });
  });

  it("fails a Job with backoffLimit 0 when its pod exits non-zero", async () => {
    await createJob(
      "broken",
      { containers: [nodeContainer("main", "console.error('bad input'); process.exit(3);")] },
      0,
    );
    const job = await jobCondition("broken", "Failed");
    expect(job.status?.conditions?.find((c) => c.type === "Failed")?.reason).toBe("BackoffLimitExceeded");
    const [pod] = await jobPods("broken");
    expect(pod?.status?.phase).toBe("Failed");
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: "Error",
    });
    expect(await podLog(pod?.metadata?.name ?? "", "main")).toBe("bad input\n");
  });

  it("starts a native sidecar first, stops it after the main container, and completes the Job", async () => {
    // The sidecar forwards what the main container writes to a shared emptyDir,
    // flushing once more on SIGTERM: the shape of the operator's File collector.
    const sidecar = [
      "const fs = require('node:fs'); let seen = 0;",
      "const pump = () => { const t = fs.existsSync('/shared/metrics') ? fs.readFileSync('/shared/metrics', 'utf8') : '';",
      "  if (t.length > seen) { process.stdout.write(t.slice(seen)); seen = t.length; } };",
      "fs.writeFileSync('/shared/sidecar-started', 'yes'); setInterval(pump, 100);",
      "process.on('SIGTERM', () => { pump(); console.log('sidecar stopping'); process.exit(0); });",
    ].join("\n");
    const main = [
      "const fs = require('node:fs');",
      // Started is not ready (there is no startup probe): give the sidecar's node a moment to boot.
      "const deadline = Date.now() + 10000;",
      "const go = () => { if (!fs.existsSync('/shared/sidecar-started')) {",
      "  if (Date.now() > deadline) { console.log('sidecar not running'); process.exit(1); } return setTimeout(go, 50); }",
      "  fs.appendFileSync('/shared/metrics', 'accuracy=0.91\\n'); setTimeout(() => console.log('main done'), 500); };",
      "go();",
    ].join("\n");
    const volumeMounts = [{ name: "shared", mountPath: "/shared" }];
    // Scripts name /shared literally; the agent rewrites the mount path inside command and args.
    await createJob("sidecar", {
      volumes: [{ name: "shared", emptyDir: {} }],
      initContainers: [nodeContainer("collector", sidecar, { restartPolicy: "Always", volumeMounts })],
      containers: [nodeContainer("main", main, { volumeMounts })],
    });
    await jobCondition("sidecar", "Complete");
    const [pod] = await jobPods("sidecar");
    const name = pod?.metadata?.name ?? "";
    expect(pod?.status?.phase).toBe("Succeeded");
    const collector = pod?.status?.initContainerStatuses?.[0];
    const mainStatus = pod?.status?.containerStatuses?.[0];
    expect(collector?.state?.terminated).toMatchObject({ exitCode: 0 });
    expect(mainStatus?.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    const t = (d: Date | undefined) => new Date(d ?? 0).getTime();
    expect(t(collector?.state?.terminated?.startedAt)).toBeLessThanOrEqual(
      t(mainStatus?.state?.terminated?.startedAt),
    );
    expect(t(collector?.state?.terminated?.finishedAt)).toBeGreaterThanOrEqual(
      Math.floor(t(mainStatus?.state?.terminated?.finishedAt) / 1000) * 1000,
    );
    expect(await podLog(name, "main")).toBe("main done\n");
    expect(await podLog(name, "collector")).toBe("accuracy=0.91\nsidecar stopping\n");
  });

  it("gives processes downward-API env, emptyDir volumes and termination messages", async () => {
    const writer = "require('node:fs').writeFileSync('/work/in/data.txt', 'from init');";
    const reader = [
      "const fs = require('node:fs');",
      "const keys = ['POD_NAME', 'POD_NAMESPACE', 'APP', 'NODE', 'POD_IP', 'GREETING', 'OUT_DIR'];",
      "console.log(JSON.stringify(Object.fromEntries(keys.map((k) => [k, process.env[k]]))));",
      "console.log(fs.readFileSync('/data/data.txt', 'utf8'));",
      "fs.writeFileSync(process.argv[1], 'final accuracy=0.97');",
    ].join("\n");
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "downward", labels: { app: "tuner" } },
        spec: {
          restartPolicy: "Never",
          volumes: [{ name: "scratch", emptyDir: {} }],
          // The same volume at two different mount paths: the mapping follows the volume.
          initContainers: [
            nodeContainer("prepare", writer, { volumeMounts: [{ name: "scratch", mountPath: "/work/in" }] }),
          ],
          containers: [
            nodeContainer("reader", reader, {
              args: ["/dev/termination-log"],
              volumeMounts: [{ name: "scratch", mountPath: "/data" }],
              env: [
                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
                { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
                { name: "GREETING", value: "hi $(POD_NAME) in $(POD_NAMESPACE)" },
                { name: "OUT_DIR", value: "/data/out" },
              ],
            }),
            nodeContainer(
              "custom-path",
              "require('node:fs').writeFileSync(process.env.TERMINATION_MESSAGE_PATH, 'via env');",
              {
                terminationMessagePath: "/tmp/result",
              },
            ),
            nodeContainer("fallback", "console.log('first'); console.log('boom'); process.exit(1);", {
              terminationMessagePolicy: "FallbackToLogsOnError",
            }),
          ],
        },
      },
    });
    // One container fails, so with restartPolicy Never the pod ends Failed.
    const pod = await podPhase("downward", ["Failed", "Succeeded"]);
    expect(pod.status?.phase).toBe("Failed");
    const byName = Object.fromEntries(
      (pod.status?.containerStatuses ?? []).map((s) => [s.name, s.state?.terminated]),
    );
    expect(byName.reader).toMatchObject({ exitCode: 0, message: "final accuracy=0.97" });
    expect(byName["custom-path"]).toMatchObject({ exitCode: 0, message: "via env" });
    expect(byName.fallback).toMatchObject({ exitCode: 1, reason: "Error", message: "first\nboom" });
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: "Completed",
    });

    const [envLine, dataLine] = (await podLog("downward", "reader")).split("\n");
    const env = JSON.parse(envLine ?? "{}") as Record<string, string>;
    expect(env).toMatchObject({
      POD_NAME: "downward",
      POD_NAMESPACE: namespace,
      APP: "tuner",
      NODE: pod.spec?.nodeName,
      POD_IP: "127.0.0.1",
      GREETING: `hi downward in ${namespace}`,
    });
    // Env values naming a mount path point into the volume's host folder.
    expect(env.OUT_DIR).toMatch(/\/volumes\/scratch\/out$/);
    expect(dataLine).toBe("from init");
  });
  it("kills a pod past activeDeadlineSeconds and restarts OnFailure containers in place", async () => {
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "overdue" },
        spec: {
          restartPolicy: "Never",
          activeDeadlineSeconds: 1,
          terminationGracePeriodSeconds: 1,
          containers: [nodeContainer("main", "setInterval(() => {}, 1000);")],
        },
      },
    });
    const overdue = await podPhase("overdue", ["Failed", "Succeeded"]);
    expect(overdue.status).toMatchObject({ phase: "Failed", reason: "DeadlineExceeded" });
    expect(overdue.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);

    // Fails on its first run, succeeds on the second: the emptyDir outlives a container restart.
    const flaky =
      "const fs = require('node:fs'); if (fs.existsSync('/state/tried')) { console.log('second try'); process.exit(0); }" +
      " fs.writeFileSync('/state/tried', '1'); console.log('first try'); process.exit(1);";
    await createJob(
      "flaky",
      {
        restartPolicy: "OnFailure",
        volumes: [{ name: "state", emptyDir: {} }],
        containers: [
          nodeContainer("main", flaky, { volumeMounts: [{ name: "state", mountPath: "/state" }] }),
        ],
      },
      2,
    );
    await jobCondition("flaky", "Complete");
    const [pod] = await jobPods("flaky");
    const status = pod?.status?.containerStatuses?.[0];
    expect(status?.restartCount).toBe(1);
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(status?.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    const name = pod?.metadata?.name ?? "";
    expect(await podLog(name, "main")).toBe("second try\n");
    expect(await core.readNamespacedPodLog({ name, namespace, container: "main", previous: true })).toBe(
      "first try\n",
    );
  });
  it("runs images without a command through the interpreters option, in-process, and stops cleanly", async () => {
    // A second agent in this process, with its own node; the pod is pinned to it.
    const agent = await startNodeAgent({
      kubeconfigPath: inject("kubeconfigPath"),
      namePrefix: `interp-${Date.now().toString(36)}`,
      gpusPerNode: 0,
      // Split on whitespace, no shell: `node -p <expression>` followed by the container's args.
      interpreters: { "example.com/joiner": "node -p process.argv.slice(1).join('+')" },
      log: () => undefined,
    });
    const [nodeName = ""] = agent.nodeNames;
    try {
      const pinned = (name: string, container: V1Container): V1Pod => ({
        metadata: { name },
        spec: {
          restartPolicy: "Never",
          nodeSelector: { "kubernetes.io/hostname": nodeName },
          containers: [container],
        },
      });
      await core.createNamespacedPod({
        namespace,
        body: pinned("joined", { name: "main", image: "example.com/joiner:1.2", args: ["a", "b", "c"] }),
      });
      await core.createNamespacedPod({
        namespace,
        body: pinned("no-entrypoint", { name: "main", image: "example.com/unknown:1" }),
      });
      const joined = await podPhase("joined", ["Succeeded", "Failed"]);
      expect(joined.spec?.nodeName).toBe(nodeName);
      expect(joined.status?.phase).toBe("Succeeded");
      expect(await podLog("joined", "main")).toBe("a+b+c\n");
      // What a runtime does with an image it cannot start: StartError, exit code 128.
      const broken = await podPhase("no-entrypoint", ["Succeeded", "Failed"]);
      expect(broken.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
        exitCode: 128,
        reason: "StartError",
      });

      // stop() kills what still runs and says so in the pod's status.
      await core.createNamespacedPod({
        namespace,
        body: pinned("lingering", nodeContainer("main", "setInterval(() => {}, 1000);")),
      });
      const running = await podPhase("lingering", ["Running"]);
      const pid = Number(running.status?.containerStatuses?.[0]?.containerID?.replace("process://", ""));
      expect(processAlive(pid)).toBe(true);
      await agent.stop();
      expect(processAlive(pid)).toBe(false);
      const stopped = await core.readNamespacedPod({ name: "lingering", namespace });
      expect(stopped.status?.phase).toBe("Failed");
      expect(stopped.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
    } finally {
      await agent.stop();
      // A stopped agent's Node would go NotReady, not away: remove it so nothing else is scheduled there.
      await core.deleteNode({ name: nodeName }).catch(() => undefined);
    }
  });
});
