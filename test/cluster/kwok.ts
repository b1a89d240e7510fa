// KWOK beside a running control plane: simulated nodes whose pods the real
// scheduler binds and KWOK's controller moves through their lifecycle (ready
// at once, complete after a delay with the trial's metric in the termination
// message: test/cluster/kwok/pod-complete.yaml). No process runs per pod, so
// the operator, the Job controller and the API server do a scale test's real
// work on one machine. The nodes carry a label KWOK manages them by and a
// NoSchedule taint, so only pods that ask for them (`kwokPlacement`) land
// there and other tests sharing the cluster never do.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, type V1Node } from "@kubernetes/client-node";
import { clusterDir, defaultBinDir, requireBinaries } from "./binaries.js";
import { type Component, startComponent, waitUntil } from "./process.js";

export const KWOK_NODE_LABEL = "hypertune.dev/kwok";
const KWOK_TAINT = "kwok.x-k8s.io/node";

/** What a pod template needs to run on the KWOK nodes. */
export const kwokPlacement = {
  nodeSelector: { [KWOK_NODE_LABEL]: "true" },
  tolerations: [{ key: KWOK_TAINT, operator: "Exists", effect: "NoSchedule" }],
};

export interface KwokOptions {
  kubeconfigPath: string;
  logDir: string;
  nodes: number;
  /** Name prefix of the nodes (several KWOK sets never share one cluster at once). */
  prefix?: string;
  binDir?: string;
}

export interface Kwok {
  readonly nodeNames: readonly string[];
  readonly component: Component;
  /** Stops KWOK and deletes its nodes. */
  stop(): Promise<void>;
}

async function writeStages(binDir: string, dir: string): Promise<string> {
  const stock = join(binDir, "kwok-stages");
  const files = [
    ...(await readdir(stock)).sort().map((f) => join(stock, f)),
    join(clusterDir, "kwok", "pod-complete.yaml"),
  ];
  const documents = await Promise.all(files.map((f) => readFile(f, "utf8")));
  const path = join(dir, "kwok-stages.yaml");
  await writeFile(path, documents.map((d) => d.trimEnd()).join("\n---\n"));
  return path;
}

function kwokNode(name: string): V1Node {
  return {
    metadata: {
      name,
      labels: { [KWOK_NODE_LABEL]: "true", "kubernetes.io/hostname": name, type: "kwok" },
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: { taints: [{ key: KWOK_TAINT, value: "fake", effect: "NoSchedule" }] },
    status: {
      allocatable: { cpu: "64", memory: "256Gi", pods: "110" },
      capacity: { cpu: "64", memory: "256Gi", pods: "110" },
    },
  };
}

export async function startKwok(opts: KwokOptions): Promise<Kwok> {
  const binDir = opts.binDir ?? defaultBinDir();
  const { kwok } = requireBinaries(binDir, ["kwok"]);
  await mkdir(opts.logDir, { recursive: true });
  const stages = await writeStages(binDir, opts.logDir);
  const component = startComponent(
    "kwok",
    kwok,
    [
      `--kubeconfig=${opts.kubeconfigPath}`,
      `--config=${stages}`,
      `--manage-nodes-with-label-selector=${KWOK_NODE_LABEL}=true`,
      "--cidr=10.128.0.0/16",
      "--node-ip=10.127.0.1",
    ],
    { logDir: opts.logDir },
  );
  const kc = new KubeConfig();
  kc.loadFromFile(opts.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const prefix = opts.prefix ?? "kwok";
  const nodeNames = Array.from({ length: opts.nodes }, (_, i) => `${prefix}-node-${i}`);
  const deleteNodes = () =>
    Promise.all(nodeNames.map((name) => core.deleteNode({ name }).catch(() => undefined)));
  try {
    for (const name of nodeNames) await core.createNode({ body: kwokNode(name) });
    await waitUntil(
      `${opts.nodes} KWOK nodes Ready`,
      async () => {
        const list = await core.listNode({ labelSelector: `${KWOK_NODE_LABEL}=true` });
        const ready = list.items.filter((n) =>
          n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
        return nodeNames.every((name) => ready.some((n) => n.metadata?.name === name));
      },
      { timeoutMs: 60_000, watch: [component] },
    );
  } catch (error) {
    await component.stop();
    await deleteNodes();
    throw error;
  }
  return {
    nodeNames,
    component,
    async stop() {
      await component.stop();
      await deleteNodes();
    },
  };
}
