// Registers a Node the way the kubelet does and keeps it alive: capacity and
// allocatable, InternalIP 127.0.0.1 (the only address type, so the API server
// dials the log server there), the kubelet endpoint port, Ready conditions
// refreshed by heartbeat, and a Lease in kube-node-lease renewed every 10 s,
// which is what the node lifecycle controller watches.
import { arch } from "node:os";
import type { CoordinationV1Api, CoreV1Api, V1Node, V1NodeCondition } from "@kubernetes/client-node";
import { sleep } from "../../support/wait.js";
import {
  describeError,
  httpStatus,
  isConflict,
  isNotFound,
  kubeMicroTime,
  kubeTime,
  mergePatch,
  strategicMerge,
} from "./kube-helpers.js";

export interface NodeResources {
  cpu: string;
  memory: string;
  pods: string;
  gpus: number;
}

export interface NodeIdentity {
  name: string;
  kubeletPort: number;
  kubeletVersion: string;
  resources: NodeResources;
}

const LEASE_NAMESPACE = "kube-node-lease";
const LEASE_SECONDS = 40;
const HEARTBEAT_MS = 10_000;

const goArch = (): string => ({ x64: "amd64", arm64: "arm64" })[arch()] ?? arch();

function conditions(now: string, since: string): V1NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string): V1NodeCondition => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now as unknown as Date,
    lastTransitionTime: since as unknown as Date,
  });
  return [
    c("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    c("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    c("Ready", "True", "KubeletReady", "node agent is posting ready status"),
  ];
}

export function renderNodeStatus(
  node: NodeIdentity,
  now: string,
  since: string,
): NonNullable<V1Node["status"]> {
  const r = node.resources;
  const resources = { cpu: r.cpu, memory: r.memory, pods: r.pods, "nvidia.com/gpu": String(r.gpus) };
  return {
    capacity: resources,
    allocatable: resources,
    conditions: conditions(now, since),
    addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
    daemonEndpoints: { kubeletEndpoint: { Port: node.kubeletPort } },
    nodeInfo: {
      architecture: goArch(),
      operatingSystem: "linux",
      osImage: "hypertune node agent (processes)",
      kernelVersion: "",
      containerRuntimeVersion: "process://1",
      kubeletVersion: node.kubeletVersion,
      kubeProxyVersion: "",
      machineID: node.name,
      systemUUID: node.name,
      bootID: `${node.name}-${process.pid}`,
    },
  };
}

export function renderNode(node: NodeIdentity, now: string): V1Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      labels: {
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": goArch(),
        "hypertune.dev/node-agent": "true",
      },
    },
    spec: {},
    status: renderNodeStatus(node, now, now),
  };
}

export class NodeRegistration {
  private timer?: NodeJS.Timeout;
  private readySince = kubeTime();
  private nodeUid = "";

  constructor(
    private readonly core: CoreV1Api,
    private readonly coordination: CoordinationV1Api,
    private readonly node: NodeIdentity,
    private readonly log: (line: string) => void,
  ) {}

  /** Creates (or takes over) the Node and its Lease, then heartbeats until stop(). */
  async start(): Promise<void> {
    // The API server may still be settling (or briefly unreachable): retry what is not an HTTP answer.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.register();
      } catch (err) {
        if (httpStatus(err) !== undefined || attempt >= 20) throw err;
        this.log(`registering ${this.node.name}: ${describeError(err)}; retrying`);
        await sleep(500);
      }
    }
  }

  private async register(): Promise<void> {
    const now = kubeTime();
    try {
      const created = await this.core.createNode({ body: renderNode(this.node, now) });
      this.nodeUid = created.metadata?.uid ?? "";
    } catch (err) {
      if (!isConflict(err)) throw err;
      // A Node left by an earlier agent: take it over (new port, resources).
      const existing = await this.core.patchNode(
        { name: this.node.name, body: { metadata: renderNode(this.node, now).metadata } },
        strategicMerge,
      );
      this.nodeUid = existing.metadata?.uid ?? "";
    }
    // Status sent on create may be dropped by the API server; the status subresource is authoritative.
    await this.postStatus();
    await this.renewLease();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    for (const step of [() => this.renewLease(), () => this.postStatus()]) {
      try {
        await step();
      } catch (err) {
        this.log(`heartbeat of ${this.node.name}: ${describeError(err)}`);
      }
    }
  }

  private async postStatus(): Promise<void> {
    await this.core.patchNodeStatus(
      { name: this.node.name, body: { status: renderNodeStatus(this.node, kubeTime(), this.readySince) } },
      strategicMerge,
    );
  }

  private async renewLease(): Promise<void> {
    const spec = {
      holderIdentity: this.node.name,
      leaseDurationSeconds: LEASE_SECONDS,
      renewTime: kubeMicroTime(),
    };
    try {
      await this.coordination.patchNamespacedLease(
        { name: this.node.name, namespace: LEASE_NAMESPACE, body: { spec } },
        mergePatch,
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.coordination.createNamespacedLease({
        namespace: LEASE_NAMESPACE,
        body: {
          metadata: {
            name: this.node.name,
            namespace: LEASE_NAMESPACE,
            // Owned by the Node, as the kubelet does, so the garbage collector removes it with the Node.
            ownerReferences: [{ apiVersion: "v1", kind: "Node", name: this.node.name, uid: this.nodeUid }],
          },
          spec: spec as never,
        },
      });
    }
  }
}

/** Waits until the Node is Ready and the node lifecycle controller has left it untainted. */
export async function waitForNodeReady(core: CoreV1Api, name: string, timeoutMs = 60_000): Promise<void> {
  const blocking = new Set([
    "node.kubernetes.io/not-ready",
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/unschedulable",
  ]);
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    try {
      const node = await core.readNode({ name });
      const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
      const taints = (node.spec?.taints ?? []).filter((t) => blocking.has(t.key));
      if (ready && taints.length === 0 && !node.spec?.unschedulable) return;
      last = ready ? `tainted ${taints.map((t) => t.key).join(",")}` : "not Ready";
    } catch (err) {
      last = describeError(err);
    }
    await sleep(200);
  }
  throw new Error(`node ${name} did not become Ready within ${timeoutMs} ms: ${last}`);
}
