// The whole test cluster: the control plane plus the node agent, which
// registers Nodes and runs their pods' containers as local processes.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CoreV1Api, KubeConfig, type V1Node } from "@kubernetes/client-node";
import { clusterDir } from "./binaries.js";
import { type ControlPlane, type ControlPlaneOptions, startControlPlane } from "./control-plane.js";
import { type Component, startComponent, waitUntil } from "./process.js";

export interface ClusterOptions extends ControlPlaneOptions {
  kubeconfigPath: string;
  /** Nodes the agent registers (default 1); 0 starts the control plane alone. */
  nodes?: number;
  /** `nvidia.com/gpu` capacity of each node, as the agent's --gpus (default 0). */
  gpus?: number;
  /** Image → local executable for containers without `command`, as the agent's --interpreter. */
  interpreters?: Record<string, string>;
}

export interface Cluster extends ControlPlane {
  nodeNames: string[];
}

const repoRoot = resolve(clusterDir, "..", "..");
const nodeAgentMain = join(clusterDir, "node-agent-main.ts");

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const nodes = opts.nodes ?? 1;
  const gpus = opts.gpus ?? 0;
  if (nodes > 0 && !existsSync(nodeAgentMain)) throw new Error(`the node agent is missing: ${nodeAgentMain}`);
  const controlPlane = await startControlPlane(opts);
  if (nodes === 0) return { ...controlPlane, nodeNames: [] };
  let agent: Component | undefined;
  try {
    // A child process, so a crash in the agent cannot take the test runner
    // down. `node --import tsx` rather than `npx tsx`: one process, so the PID
    // we stop is the agent itself and not a launcher that may not pass
    // signals on.
    agent = startComponent(
      "node-agent",
      process.execPath,
      [
        "--import",
        "tsx",
        nodeAgentMain,
        "--kubeconfig",
        controlPlane.kubeconfigPath,
        "--nodes",
        `${nodes}`,
        "--gpus",
        `${gpus}`,
        ...Object.entries(opts.interpreters ?? {}).flatMap(([image, exe]) => [
          "--interpreter",
          `${image}=${exe}`,
        ]),
      ],
      { logDir: controlPlane.logDir, cwd: repoRoot },
    );
    const nodeNames = await waitForReadyNodes(
      controlPlane.kubeconfigPath,
      nodes,
      [agent],
      opts.timeoutMs ?? 120_000,
    );
    const started = agent;
    return {
      ...controlPlane,
      processes: [
        ...controlPlane.processes,
        { name: started.name, pid: started.pid, command: started.command },
      ],
      nodeNames,
      async stop() {
        // Node agent first: it stops its containers and owns no API state we need.
        await started.stop();
        await controlPlane.stop();
      },
    };
  } catch (error) {
    await agent?.stop();
    await controlPlane.stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\ncluster logs: ${controlPlane.logDir}`, { cause: error });
  }
}

/** Names of the Ready nodes, once there are `count`; fails early when one of `watch` exits. */
export async function waitForReadyNodes(
  kubeconfigPath: string,
  count: number,
  watch: Component[],
  timeoutMs: number,
) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  let ready: string[] = [];
  await waitUntil(
    `${count} Ready node(s)`,
    async () => {
      const list = await core.listNode();
      ready = list.items.filter(isReady).map((n) => n.metadata?.name ?? "");
      return ready.length >= count;
    },
    { timeoutMs, watch, intervalMs: 500 },
  );
  return ready;
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
