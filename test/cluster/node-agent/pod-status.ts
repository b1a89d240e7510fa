// What the node agent knows about a pod, and the `status` it reports for it:
// phase, the kubelet's conditions and per-container states, pure so that the
// mapping can be read (and tested) apart from the process handling.
import type {
  V1ContainerState,
  V1ContainerStatus,
  V1PodCondition,
  V1PodStatus,
} from "@kubernetes/client-node";

export type ContainerRole = "init" | "sidecar" | "main";
export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

export interface TerminatedState {
  kind: "terminated";
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt?: string;
  finishedAt: string;
  containerID?: string;
}

export type ContainerState =
  | { kind: "waiting"; reason: string; message?: string }
  | { kind: "running"; startedAt: string; containerID: string }
  | TerminatedState;

export interface ContainerSnapshot {
  name: string;
  image: string;
  role: ContainerRole;
  restartCount: number;
  state: ContainerState;
  lastTerminated?: TerminatedState;
}

export interface PodSnapshot {
  phase: PodPhase;
  reason?: string;
  message?: string;
  startTime?: string;
  ip: string;
  /** The pod's "sandbox" (its folders) exists and containers may start. */
  sandboxReady: boolean;
  initialized: boolean;
  containers: ContainerSnapshot[];
}

function stateOf(state: ContainerState): V1ContainerState {
  switch (state.kind) {
    case "waiting":
      return { waiting: { reason: state.reason, ...(state.message ? { message: state.message } : {}) } };
    case "running":
      return { running: { startedAt: state.startedAt as unknown as Date } };
    case "terminated":
      return { terminated: terminatedOf(state) };
  }
}

function terminatedOf(t: TerminatedState): NonNullable<V1ContainerState["terminated"]> {
  // Times go out as the RFC 3339 strings they already are; the client's Date typing is only nominal here.
  return {
    exitCode: t.exitCode,
    reason: t.reason,
    ...(t.signal !== undefined ? { signal: t.signal } : {}),
    ...(t.message ? { message: t.message } : {}),
    ...(t.startedAt ? { startedAt: t.startedAt as unknown as Date } : {}),
    finishedAt: t.finishedAt as unknown as Date,
    ...(t.containerID ? { containerID: t.containerID } : {}),
  };
}

/** A container counts as ready when running (no probes are run); a finished init container is ready too. */
function isReady(c: ContainerSnapshot): boolean {
  if (c.role === "init") return c.state.kind === "terminated" && c.state.exitCode === 0;
  return c.state.kind === "running";
}

function containerStatus(c: ContainerSnapshot): V1ContainerStatus {
  const id = c.state.kind === "waiting" ? undefined : c.state.containerID;
  return {
    name: c.name,
    image: c.image,
    imageID: "",
    ...(id ? { containerID: id } : {}),
    ready: isReady(c),
    started: c.state.kind === "running",
    restartCount: c.restartCount,
    state: stateOf(c.state),
    lastState: c.lastTerminated ? { terminated: terminatedOf(c.lastTerminated) } : {},
  };
}

type ConditionTimes = Map<string, { status: string; time: string }>;

/**
 * Builds the status to patch. `times` remembers when each condition last
 * changed, so lastTransitionTime moves only on a real transition.
 */
export function buildPodStatus(pod: PodSnapshot, times: ConditionTimes, now: string): V1PodStatus {
  const terminal = pod.phase === "Succeeded" || pod.phase === "Failed";
  const mains = pod.containers.filter((c) => c.role === "main");
  const sidecars = pod.containers.filter((c) => c.role === "sidecar");
  const containersReady = !terminal && pod.initialized && [...mains, ...sidecars].every(isReady);
  const notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
  const wanted: Array<{ type: string; ok: boolean; reason?: string }> = [
    { type: "PodReadyToStartContainers", ok: pod.sandboxReady && !terminal },
    {
      type: "Initialized",
      ok: pod.initialized,
      ...(pod.initialized
        ? terminal
          ? { reason: "PodCompleted" }
          : {}
        : { reason: "ContainersNotInitialized" }),
    },
    { type: "ContainersReady", ok: containersReady, ...(containersReady ? {} : { reason: notReadyReason }) },
    { type: "Ready", ok: containersReady, ...(containersReady ? {} : { reason: notReadyReason }) },
  ];
  const conditions: V1PodCondition[] = wanted.map(({ type, ok, reason }) => {
    const status = ok ? "True" : "False";
    const prev = times.get(type);
    const time = prev && prev.status === status ? prev.time : now;
    times.set(type, { status, time });
    return {
      type,
      status,
      lastProbeTime: null as unknown as Date,
      lastTransitionTime: time as unknown as Date,
      ...(reason ? { reason } : {}),
    };
  });
  const status: V1PodStatus = {
    phase: pod.phase,
    conditions,
    hostIP: pod.ip,
    hostIPs: [{ ip: pod.ip }],
    podIP: pod.ip,
    podIPs: [{ ip: pod.ip }],
    containerStatuses: mains.map(containerStatus),
    ...(pod.startTime ? { startTime: pod.startTime as unknown as Date } : {}),
    ...(pod.reason ? { reason: pod.reason } : {}),
    ...(pod.message ? { message: pod.message } : {}),
  };
  const inits = pod.containers.filter((c) => c.role !== "main");
  if (inits.length > 0) status.initContainerStatuses = inits.map(containerStatus);
  return status;
}
