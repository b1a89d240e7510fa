/**
 * Where a pod's container stands, as log following needs it: whether its log
 * can grow (running), can not be read yet (waiting), is final (terminated),
 * or the pod is gone. Native sidecars (the File collector) are init
 * containers, so both status lists are searched.
 */
import { CoreV1Api, type KubeConfig, type V1ContainerStatus, type V1Pod } from "@kubernetes/client-node";

export type ContainerState = "waiting" | "running" | "terminated" | "gone";

export type ContainerStateReader = (
  namespace: string,
  pod: string,
  container: string,
) => Promise<ContainerState>;

export function containerStatusOf(pod: V1Pod, container: string): V1ContainerStatus | undefined {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return statuses.find((s) => s.name === container);
}

export function containerStateOf(pod: V1Pod | undefined, container: string): ContainerState {
  // A pod being deleted still serves its log until its containers stop, so only absence is "gone".
  if (!pod) return "gone";
  const status = containerStatusOf(pod, container);
  if (status?.state?.running) return "running";
  if (status?.state?.terminated) return "terminated";
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") return "terminated";
  return "waiting";
}

/** Reads the pod from the API server; a controller with a pod cache can pass its own reader instead. */
export function podContainerStateReader(kc: KubeConfig): ContainerStateReader {
  const core = kc.makeApiClient(CoreV1Api);
  return async (namespace, name, container) => {
    try {
      return containerStateOf(await core.readNamespacedPod({ namespace, name }), container);
    } catch (err) {
      if ((err as { code?: unknown }).code === 404) return "gone";
      throw err;
    }
  };
}
