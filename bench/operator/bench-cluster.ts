// The benchmark's own cluster: the test harness's control plane plus a node
// agent started with explicit capacity (startCluster() does not pass --pods or
// --cpu), the CRDs, and one namespace per run.
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { startControlPlane } from "../../test/cluster/control-plane.js";
import { applyCrds, readCrds } from "../../test/cluster/crds.js";
import { startComponent, waitUntil } from "../../test/cluster/process.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");

export interface BenchCluster {
  kubeconfigPath: string;
  kc: KubeConfig;
  logDir: string;
  newNamespace(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

/** Creates a namespace and waits for its default ServiceAccount, which the API server adds asynchronously and Jobs need. */
export async function createReadyNamespace(core: CoreV1Api, name: string): Promise<string> {
  await core.createNamespace({ body: { metadata: { name } } });
  await waitUntil(
    `ServiceAccount default in ${name}`,
    async () => (await core.readNamespacedServiceAccount({ name: "default", namespace: name })) !== undefined,
    { timeoutMs: 60_000 },
  );
  return name;
}

export async function startBenchCluster(capacity: { pods: number; cpu: string }): Promise<BenchCluster> {
  const controlPlane = await startControlPlane({});
  const agent = startComponent(
    "node-agent",
    process.execPath,
    [
      "--import",
      "tsx",
      join(repoRoot, "test", "cluster", "node-agent-main.ts"),
      "--kubeconfig",
      controlPlane.kubeconfigPath,
      "--pods",
      `${capacity.pods}`,
      "--cpu",
      capacity.cpu,
      "--gpus",
      "0",
    ],
    { logDir: controlPlane.logDir, cwd: repoRoot },
  );
  const stop = async () => {
    await agent.stop();
    await controlPlane.stop();
  };
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(controlPlane.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    await waitUntil(
      "a Ready node",
      async () =>
        (await core.listNode()).items.some((n) =>
          n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        ),
      { timeoutMs: 120_000, watch: [agent], intervalMs: 500 },
    );
    await applyCrds(kc, await readCrds(join(repoRoot, "crds")));
    return {
      kubeconfigPath: controlPlane.kubeconfigPath,
      kc,
      logDir: controlPlane.logDir,
      newNamespace: (prefix) => createReadyNamespace(core, `${prefix}-${randomBytes(3).toString("hex")}`),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\ncluster logs: ${controlPlane.logDir}`, { cause: error });
  }
}
