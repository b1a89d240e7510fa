// The kubelet's last word on a deleted pod: once its containers are gone, it
// deletes the pod with grace period 0, which removes it (after finalizers).
import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { describeError, httpStatus } from "./kube-helpers.js";

/** Returns false when it should be tried again. */
export async function confirmPodDeletion(
  api: CoreV1Api,
  pod: V1Pod,
  log: (line: string) => void,
): Promise<boolean> {
  const name = pod.metadata?.name ?? "";
  const namespace = pod.metadata?.namespace ?? "";
  try {
    await api.deleteNamespacedPod({
      name,
      namespace,
      gracePeriodSeconds: 0,
      // The uid precondition keeps a namesake created meanwhile safe.
      body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? "" } },
    });
    return true;
  } catch (err) {
    const status = httpStatus(err);
    if (status === 404 || status === 409) return true;
    log(`confirming deletion of ${namespace}/${name}: ${describeError(err)}`);
    return false;
  }
}
