// Why a trial's pod cannot start, from the kubelet's container states: an
// image that is not there or a container the runtime refused to create. Seen
// only on real nodes; without this a trial waited Pending until trialTimeout
// (or forever), with no word of why.
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

export interface PodStartFailure {
  /** The kubelet's reason, e.g. ErrImageNeverPull. */
  reason: string;
  message: string;
  /** No retry can help: the trial fails now rather than at trialTimeout. */
  permanent: boolean;
}

// The image will not appear by waiting: the name is malformed, or the policy
// forbids pulling one the node does not have.
const PERMANENT = new Set(["ErrImageNeverPull", "InvalidImageName"]);
// Worth reporting, but a registry or a missing ConfigMap may recover.
const TRANSIENT = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "CreateContainerConfigError",
  "CreateContainerError",
]);

export function podStartFailure(pod: V1Pod | undefined): PodStartFailure | undefined {
  const statuses: V1ContainerStatus[] = [
    ...(pod?.status?.initContainerStatuses ?? []),
    ...(pod?.status?.containerStatuses ?? []),
  ];
  let transient: PodStartFailure | undefined;
  for (const status of statuses) {
    const waiting = status.state?.waiting;
    const reason = waiting?.reason ?? "";
    const permanent = PERMANENT.has(reason);
    if (!permanent && !TRANSIENT.has(reason)) continue;
    const failure = {
      reason,
      message: `container ${status.name} (${status.image}): ${reason}${waiting?.message ? `: ${waiting.message}` : ""}`,
      permanent,
    };
    if (permanent) return failure;
    transient ??= failure;
  }
  return transient;
}
