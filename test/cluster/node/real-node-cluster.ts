// The control plane plus one real node: kubelet and kube-proxy from the same
// Kubernetes build, containerd 2.x with Debian's runc and CNI plugins, and a
// fake GPU device plugin. The API server listens on the node's bridge, so pods
// reach it through the `kubernetes` Service with in-cluster config.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { defaultBinDir, requireBinaries } from "../binaries.js";
import { type Cluster, waitForReadyNodes } from "../cluster.js";
import { type ControlPlane, type ControlPlaneOptions, startControlPlane } from "../control-plane.js";
import { type Component, waitUntil } from "../process.js";
import { cleanUpHost, type NodeBinDirs } from "./cleanup.js";
import { loadImages, nodeImages, startContainerd } from "./containerd.js";
import { kubeletVersion, makeNodeIdentities, startFakeGpu, startKubelet, startKubeProxy } from "./kubelet.js";
import {
  bridge,
  containerLogLinks,
  defaultPodLogs,
  devicePluginDir,
  kubeletDefaultRoot,
  kubeletRootMark,
  nodeName,
  paths,
  runRoot,
  sandboxImage,
  stateRoot,
} from "./layout.js";
import { setUpNetwork } from "./network.js";
import { checkRealNodeHost } from "./preflight.js";

export interface RealNodeClusterOptions extends Omit<ControlPlaneOptions, "apiServerAddress"> {
  kubeconfigPath: string;
  logDir: string;
  /** Fake `nvidia.com/gpu` devices the node advertises (default 0: no device plugin). */
  gpus?: number;
  /** Local Docker images to put on the node besides the sandbox image. */
  images?: string[];
}

export async function startRealNodeCluster(opts: RealNodeClusterOptions): Promise<Cluster> {
  const binDir = resolve(opts.binDir ?? defaultBinDir());
  const kubeBinDir = resolve(opts.kubeBinDir ?? binDir);
  const gpus = opts.gpus ?? 0;
  const timeoutMs = opts.timeoutMs ?? 180_000;
  await checkRealNodeHost();
  requireBinaries(binDir, ["containerd", "containerd-shim-runc-v2", "ctr", "fakegpu"]);
  requireBinaries(kubeBinDir, ["kubelet", "kube-proxy"]);

  let controlPlane: ControlPlane | undefined;
  const agents: Component[] = [];
  const stop = async () => {
    for (const agent of agents.reverse()) await agent.stop();
    await cleanUpHost();
    await controlPlane?.stop();
  };
  try {
    await prepareHostDirs({ binDir, kubeBinDir });
    await setUpNetwork();
    controlPlane = await startControlPlane({ ...opts, binDir, kubeBinDir, apiServerAddress: bridge.gateway });
    // If our process dies, cluster:down still finds the control plane bound to the bridge.
    await writeFile(paths.controlPlaneRecord, JSON.stringify(controlPlane.processes));
    const identities = await makeNodeIdentities(controlPlane.pki, controlPlane.apiServerUrl);
    const containerd = await startContainerd(binDir, opts.logDir, timeoutMs);
    agents.push(containerd);
    await loadMissingImages(binDir, [sandboxImage, ...(opts.images ?? [])]);
    const version = await kubeletVersion(kubeBinDir);
    agents.push(await startKubelet(kubeBinDir, version, opts.logDir, controlPlane.pki.ca.cert, identities));
    agents.push(await startKubeProxy(kubeBinDir, opts.logDir, identities));
    const nodeNames = await waitForReadyNodes(controlPlane.kubeconfigPath, 1, agents, timeoutMs);
    // After Ready: the kubelet empties the device-plugin directory as it starts.
    if (gpus > 0) {
      agents.push(startFakeGpu(binDir, opts.logDir, gpus));
      await waitForGpus(controlPlane.kubeconfigPath, gpus, agents, timeoutMs);
    }
    const started = controlPlane;
    return {
      ...started,
      processes: [...started.processes, ...agents.map(({ name, pid, command }) => ({ name, pid, command }))],
      nodeNames,
      stop,
    };
  } catch (error) {
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\ncluster logs: ${opts.logDir}`, { cause: error });
  }
}

async function prepareHostDirs(dirs: NodeBinDirs): Promise<void> {
  // Host directories the kubelet would create itself: ours to remove only if absent now.
  const created = [
    kubeletDefaultRoot,
    ...[defaultPodLogs, containerLogLinks].filter((dir) => !existsSync(dir)),
  ];
  for (const dir of [stateRoot, runRoot, paths.pki, paths.cniConfigDir, paths.kubeletRoot, paths.podLogs]) {
    await mkdir(dir, { recursive: true });
  }
  await writeFile(paths.binDirRecord, JSON.stringify(dirs));
  // The kubelet serves device plugins from this fixed path; mark its parent
  // as ours (preflight refused a kubelet root that is not) so cleanup removes it.
  await mkdir(devicePluginDir, { recursive: true });
  await writeFile(kubeletRootMark, JSON.stringify({ by: "the hypertune test cluster", created }));
}

/** Images already on the node are kept; `npm run cluster:load` replaces them. */
async function loadMissingImages(binDir: string, images: string[]): Promise<void> {
  const have = new Set(await nodeImages(binDir));
  const missing = images.filter((image) => !have.has(normalise(image)));
  try {
    await loadImages(binDir, missing);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\nbuild the images first: npm run images`, { cause: error });
  }
}

/** As containerd names images: docker.io/library/NAME for a bare name. */
export function normalise(image: string): string {
  const [first = "", ...rest] = image.split("/");
  if (rest.length === 0) return `docker.io/library/${image}`;
  return first.includes(".") || first.includes(":") || first === "localhost" ? image : `docker.io/${image}`;
}

async function waitForGpus(kubeconfigPath: string, count: number, watch: Component[], timeoutMs: number) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  await waitUntil(
    `${count} nvidia.com/gpu allocatable on ${nodeName}`,
    async () => {
      const node = await core.readNode({ name: nodeName });
      return node.status?.allocatable?.["nvidia.com/gpu"] === `${count}`;
    },
    { timeoutMs, watch, intervalMs: 500 },
  );
}
