// The test harness's node agent: makes one or more Kubernetes Nodes real enough
// for Jobs, with containers run as local processes. Only the container runtime
// is stood in for; scheduling, Jobs, garbage collection and pods/log are the
// real control plane's. See node-agent/README.md for what is and is not faithful.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoordinationV1Api, CoreV1Api, KubeConfig, VersionApi } from "@kubernetes/client-node";
import { generateServingCert } from "./node-agent/certs.js";
import { GpuAllocator } from "./node-agent/gpu-allocator.js";
import { type LogServer, startLogServer } from "./node-agent/log-server.js";
import { NodeRegistration, waitForNodeReady } from "./node-agent/node-registration.js";
import { PodManager } from "./node-agent/pod-manager.js";

export interface NodeAgentOptions {
  kubeconfigPath: string;
  /** How many Nodes to register (default 1). */
  nodes?: number;
  /** nvidia.com/gpu capacity of each Node (default 1). */
  gpusPerNode?: number;
  cpu?: string;
  memory?: string;
  pods?: number;
  /** Working directory of container processes (default: this process's cwd). */
  workDir?: string;
  /** Where container logs are kept (default: <stateDir>/logs). */
  logDir?: string;
  /** Pod folders: emptyDir volumes, termination messages (default: a fresh temp dir, removed on stop). */
  stateDir?: string;
  /** Image → local executable (split on whitespace) for containers without `command`. */
  interpreters?: Record<string, string>;
  /** Node names are `<namePrefix>-<i>` (default "hypertune-node"). */
  namePrefix?: string;
  /** Diagnostics; default stderr. */
  log?: (line: string) => void;
}

export interface NodeAgent {
  nodeNames: string[];
  stop(): Promise<void>;
}

interface RunningNode {
  registration: NodeRegistration;
  pods: PodManager;
  server: LogServer;
}

export async function startNodeAgent(opts: NodeAgentOptions): Promise<NodeAgent> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`[node-agent] ${line}\n`));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(opts.kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const coordination = kubeConfig.makeApiClient(CoordinationV1Api);

  const ownStateDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), "hypertune-node-agent-")));
  const logDir = opts.logDir ?? join(stateDir, "logs");
  await mkdir(logDir, { recursive: true });
  const kubeletVersion = await kubeConfig
    .makeApiClient(VersionApi)
    .getCode()
    .then((v) => v.gitVersion)
    .catch(() => "v0.0.0");
  const cert = await generateServingCert("hypertune-node-agent");

  const running: RunningNode[] = [];
  const stop = async (): Promise<void> => {
    for (const n of running) n.registration.stop();
    await Promise.all(running.map((n) => n.pods.stop()));
    await Promise.all(running.map((n) => n.server.close()));
    running.length = 0;
    if (ownStateDir) await rm(stateDir, { recursive: true, force: true });
  };

  const nodeNames: string[] = [];
  try {
    for (let i = 0; i < (opts.nodes ?? 1); i++) {
      const name = `${opts.namePrefix ?? "hypertune-node"}-${i}`;
      const gpus = opts.gpusPerNode ?? 1;
      const pods = new PodManager(kubeConfig, core, {
        api: core,
        nodeName: name,
        stateDir,
        logDir,
        workDir: opts.workDir ?? process.cwd(),
        interpreters: opts.interpreters ?? {},
        gpus: new GpuAllocator(gpus),
        log,
      });
      const server = await startLogServer(pods.logLookup, cert);
      const registration = new NodeRegistration(
        core,
        coordination,
        {
          name,
          kubeletPort: server.port,
          kubeletVersion,
          resources: {
            cpu: opts.cpu ?? "8",
            memory: opts.memory ?? "32Gi",
            pods: String(opts.pods ?? 110),
            gpus,
          },
        },
        log,
      );
      running.push({ registration, pods, server });
      await registration.start();
      await pods.start();
      nodeNames.push(name);
    }
    await Promise.all(nodeNames.map((name) => waitForNodeReady(core, name)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodeNames, stop };
}
