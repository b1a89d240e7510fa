// Metric collection on the real control plane: log followers see a running
// pod's reports before it ends, final metrics come from each collector
// (Stdout, the File collector's native sidecar running `hypertune collect`,
// TerminationMessage), and a pod printing a million lines of garbage is read
// with bounded memory. Logs come through pods/log, served by the node agent.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  type V1Container,
  type V1Pod,
  type V1PodSpec,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { containerStateOf, podContainerStateReader } from "../../src/operator/collection/container-state.js";
import { collectFinalReports } from "../../src/operator/collection/final-metrics.js";
import { TrialLogFollowers } from "../../src/operator/collection/followers.js";
import { createPodLogSource, PodLogError } from "../../src/operator/collection/log-source.js";
import { COLLECTOR_CONTAINER, renderTrialJob } from "../../src/operator/render-job.js";
import { specWith } from "../support/simulate.js";
import { waitFor as pollUntil } from "../support/wait.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const kc = new KubeConfig();
kc.loadFromFile(inject("kubeconfigPath"));
const core = kc.makeApiClient(CoreV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const namespace = `collection-${Date.now().toString(36)}`;
const source = createPodLogSource(kc);
const followers = new TrialLogFollowers({ source, containerState: podContainerStateReader(kc) });

const objective = { metric: "accuracy", direction: "Maximize", reduction: "Max" };
/** operator-helpers' waitFor, polling every 150 ms for up to 90 s by default (pods here run for a while). */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> =>
  pollUntil(what, probe, timeoutMs, 150);

/** A container running `node -e script args…`: the node agent runs it as a local process. */
function nodeContainer(name: string, script: string, extra: Partial<V1Container> = {}): V1Container {
  return { name, image: "node:20", command: ["node", "-e", script], ...extra };
}

async function createPod(name: string, spec: Omit<V1PodSpec, "restartPolicy">): Promise<void> {
  await core.createNamespacedPod({
    namespace,
    body: { metadata: { name }, spec: { restartPolicy: "Never", ...spec } },
  });
}

async function finishedPod(name: string, timeoutMs?: number): Promise<V1Pod> {
  return waitFor(
    `pod ${name} to finish`,
    async () => {
      const pod = await core.readNamespacedPod({ name, namespace });
      return ["Succeeded", "Failed"].includes(pod.status?.phase ?? "") ? pod : undefined;
    },
    timeoutMs,
  );
}

const allStatuses = (pod: V1Pod) => [
  ...(pod.status?.initContainerStatuses ?? []),
  ...(pod.status?.containerStatuses ?? []),
];

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor("the default ServiceAccount", () =>
    core.readNamespacedServiceAccount({ name: "default", namespace }).then(() => true),
  );
});

afterAll(async () => {
  followers.stopAll();
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

describe("metric collection", () => {
  it("follows a running trial's log (Stdout) and sees reports before the pod ends", async () => {
    // Three reports, a pause long enough to look while it runs, two more.
    const script = [
      "const say = (i) => console.log(`hypertune: step=${i} accuracy=${[0, 0.5, 0.7, 0.6, 0.8, 0.75][i]}`);",
      "say(1); say(2); say(3); console.log('epoch 3 done, accuracy=oops');",
      "setTimeout(() => { say(4); say(5); }, 4000);",
    ].join("\n");
    await createPod("follow", { containers: [nodeContainer("train", script)] });
    const spec = specWith({ objective });
    let updates = 0;
    const key = `${namespace}/follow-trial`;
    followers.ensure(key, { namespace, pod: "follow", container: "train", spec }, () => updates++);

    const early = await waitFor("3 reports while running", async () => {
      const snap = followers.snapshot(key);
      return snap && snap.reportCount >= 3 ? snap : undefined;
    });
    const pod = await core.readNamespacedPod({ name: "follow", namespace });
    expect(containerStateOf(pod, "train")).toBe("running");
    expect(early).toMatchObject({
      reportCount: 3,
      following: true,
      metrics: { accuracy: 0.7 },
      rejectedCount: 1,
      history: [
        { step: 1, values: { accuracy: 0.5 } },
        { step: 2, values: { accuracy: 0.7 } },
        { step: 3, values: { accuracy: 0.6 } },
      ],
    });
    expect(early.lastRejections[0]).toMatch(/^accuracy: not a number/);
    expect(updates).toBeGreaterThan(0);

    const done = await waitFor("the follower to end with the container", async () => {
      const snap = followers.snapshot(key);
      return snap?.following === false ? snap : undefined;
    });
    expect(done).toMatchObject({ reportCount: 5, metrics: { accuracy: 0.8 } });
    followers.stop(key);

    // The finished pod's final read gives the same, without following.
    const final = await collectFinalReports({
      source,
      namespace,
      pod: "follow",
      containerStatuses: allStatuses(await finishedPod("follow")),
      spec,
      primaryContainer: "train",
    });
    expect(final.unavailable).toBeUndefined();
    expect(final.from).toEqual({ container: "train", kind: "log" });
    expect(final.snapshot).toMatchObject({ reportCount: 5, metrics: { accuracy: 0.8 }, rejectedCount: 1 });
  });

  it("reads the File collector's sidecar, which runs `hypertune collect` and flushes on SIGTERM", async () => {
    // The main container writes the metrics file over a few seconds; its last line has no line break,
    // so it reaches the log only through the sidecar's flush when the kubelet stops it. It starts
    // only once the test has seen the collector running (a `go` file next to the metrics file):
    // a collector still loading when SIGTERM comes would die with its default action, and from
    // source (tsx) on a busy machine loading takes seconds.
    const script = [
      "const fs = require('node:fs'); const file = process.env.HYPERTUNE_METRICS_FILE;",
      "console.log(`metrics file: ${file}`);",
      "const go = setInterval(() => { if (!fs.existsSync(`${file}.go`)) return; clearInterval(go);",
      "let i = 0; const t = setInterval(() => { i++;",
      "  if (i <= 4) fs.appendFileSync(file, `step=${i} accuracy=0.${i} loss=${5 - i}\\n`);",
      "  else { fs.appendFileSync(file, 'step=5 accuracy=0.9 loss=0.5'); clearInterval(t); } }, 300); }, 50);",
    ].join("\n");
    const spec = specWith({
      objective,
      metrics: { collector: "File", additional: ["loss"] },
      trialTemplate: {
        job: { template: { spec: { restartPolicy: "Never", containers: [nodeContainer("train", script)] } } },
      },
    });
    const job = renderTrialJob({
      jobName: "filejob",
      namespace,
      spec,
      trial: { name: "filejob-0", uid: "unused", index: 0, parameters: {} },
      collectorImage: "hypertune:test",
    });
    // No Trial owns it here (the garbage collector would delete a Job whose owner is missing).
    delete job.metadata?.ownerReferences;
    // The image's entrypoint would be the CLI; here the sidecar runs it from source.
    const tsx = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
    const podSpec = job.spec?.template.spec;
    const sidecar = podSpec?.initContainers?.find((c) => c.name === COLLECTOR_CONTAINER);
    expect(sidecar?.restartPolicy).toBe("Always");
    if (!sidecar || !podSpec) throw new Error("no collector sidecar rendered");
    sidecar.command = [process.execPath, "--import", tsx, join(REPO, "src/cli/entry.ts")];
    sidecar.args = [...(sidecar.args ?? []), "--poll-ms", "100"];
    await batch.createNamespacedJob({ namespace, body: job });

    const podName = await waitFor("the File job's pod", async () => {
      const pods = await core.listNamespacedPod({
        namespace,
        labelSelector: "batch.kubernetes.io/job-name=filejob-0",
      });
      return pods.items[0]?.metadata?.name;
    });
    // The collector says it waits for the file once it is up; then the training may start.
    await waitFor("the collector to be up", async () => {
      const seen = new AbortController();
      await source.stream(namespace, podName, COLLECTOR_CONTAINER, {
        follow: true,
        signal: seen.signal,
        onLine: (line) => {
          if (line.includes("waiting for")) seen.abort();
        },
      });
      return seen.signal.aborted ? true : undefined;
    });
    const metricsFile = await waitFor("the metrics file's path", async () => {
      let path: string | undefined;
      await source.stream(namespace, podName, "train", {
        follow: false,
        onLine: (line) => {
          path ??= /^metrics file: (.+)$/.exec(line)?.[1];
        },
      });
      return path;
    });
    writeFileSync(`${metricsFile}.go`, "");
    const pod = await finishedPod(podName);
    expect(pod.status?.phase).toBe("Succeeded");
    const collector = pod.status?.initContainerStatuses?.find((s) => s.name === COLLECTOR_CONTAINER);
    expect(collector?.state?.terminated?.exitCode).toBe(0);

    const final = await collectFinalReports({
      source,
      namespace,
      pod: podName,
      containerStatuses: allStatuses(pod),
      spec,
      primaryContainer: "train",
    });
    expect(final.unavailable).toBeUndefined();
    expect(final.from).toEqual({ container: COLLECTOR_CONTAINER, kind: "log" });
    expect(final.snapshot).toMatchObject({
      reportCount: 5,
      metrics: { accuracy: 0.9, loss: 0.5 },
      rejectedCount: 0,
    });
    expect(final.snapshot.history.at(-1)).toEqual({ step: 5, values: { accuracy: 0.9, loss: 0.5 } });
  });

  it("reads TerminationMessage from the container status, without pods/log", async () => {
    const script =
      "require('node:fs').writeFileSync('/dev/termination-log', 'accuracy=0.91 loss=0.3\\naccuracy=0.89\\n');";
    await createPod("termination", { containers: [nodeContainer("train", script)] });
    const pod = await finishedPod("termination");
    const spec = specWith({ objective, metrics: { collector: "TerminationMessage", additional: ["loss"] } });
    const noLogs = { stream: () => Promise.reject(new Error("TerminationMessage must not read pods/log")) };
    const final = await collectFinalReports({
      source: noLogs,
      namespace,
      pod: "termination",
      containerStatuses: allStatuses(pod),
      spec,
      primaryContainer: "train",
    });
    expect(final.unavailable).toBeUndefined();
    expect(final.from).toEqual({ container: "train", kind: "terminationMessage" });
    expect(final.snapshot).toMatchObject({ reportCount: 2, metrics: { accuracy: 0.91, loss: 0.3 } });
  });

  it("reports a missing pod as unavailable and the log source's error carries the status code", async () => {
    const spec = specWith({ objective });
    const final = await collectFinalReports({
      source,
      namespace,
      pod: "no-such-pod",
      containerStatuses: [],
      spec,
      primaryContainer: "train",
    });
    expect(final.snapshot.reportCount).toBe(0);
    expect(final.unavailable).toMatch(/no-such-pod.*not found/);
    const err = await source
      .stream(namespace, "no-such-pod", "train", { follow: false, onLine: () => {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodLogError);
    expect((err as PodLogError).code).toBe(404);
  });

  it("reads a million lines of garbage with bounded memory", async () => {
    // Every line is rejected (a declared name with a junk value); a report every 100,000 lines.
    const script = [
      "let i = 0; const total = 1_000_000;",
      "function more() { let ok = true;",
      "  while (i < total && ok) { let chunk = '';",
      "    for (let j = 0; j < 5000; j++, i++) chunk += i % 100_000 === 99_999 ? `step=${i} accuracy=${i / total}\\n` : `garbage ${i} accuracy=oops \\u0001\\u0002\\n`;",
      "    ok = process.stdout.write(chunk); }",
      "  if (i < total) process.stdout.once('drain', more); }",
      "more();",
    ].join("\n");
    await createPod("garbage", { containers: [nodeContainer("train", script)] });
    const spec = specWith({ objective });
    const key = `${namespace}/garbage-trial`;
    const started = Date.now();
    let peakHeap = process.memoryUsage().heapUsed;
    const baseline = peakHeap;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 50);
    try {
      followers.ensure(key, { namespace, pod: "garbage", container: "train", spec }, () => {});
      const followed = await waitFor(
        "the garbage follower to end",
        async () => {
          const snap = followers.snapshot(key);
          return snap?.following === false ? snap : undefined;
        },
        240_000,
      );
      followers.stop(key);
      const followSeconds = (Date.now() - started) / 1000;
      const readStart = Date.now();
      const final = await collectFinalReports({
        source,
        namespace,
        pod: "garbage",
        containerStatuses: allStatuses(await finishedPod("garbage")),
        spec,
        primaryContainer: "train",
      });
      const readSeconds = (Date.now() - readStart) / 1000;
      const growthMiB = (peakHeap - baseline) / 2 ** 20;
      console.error(
        `million-line log: followed in ${followSeconds.toFixed(1)}s, final read in ${readSeconds.toFixed(1)}s, ` +
          `peak heap growth ${growthMiB.toFixed(0)} MiB`,
      );
      for (const snap of [followed, final.snapshot]) {
        expect(snap.reportCount).toBe(10);
        expect(snap.rejectedCount).toBe(999_990);
        expect(snap.history).toHaveLength(10);
        expect(snap.lastRejections.length).toBeLessThanOrEqual(5);
        expect(snap.metrics.accuracy).toBeCloseTo(0.999999);
      }
      // The log is ~32 MB; holding it as one string would show here (13 MiB measured when streamed).
      expect(growthMiB).toBeLessThan(32);
    } finally {
      clearInterval(sampler);
    }
  });
});
