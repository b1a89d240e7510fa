import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { podStartFailure } from "../../../src/operator/pod-start-failure.js";

const waitingPod = (reason: string, message?: string, init = false): V1Pod => {
  const status = { name: "train", image: "registry.example/x:1", ready: false, restartCount: 0, imageID: "" };
  const waiting = { ...status, state: { waiting: { reason, message } } };
  return {
    status: init
      ? { initContainerStatuses: [waiting], containerStatuses: [status] }
      : { containerStatuses: [waiting] },
  };
};

describe("podStartFailure", () => {
  it("is permanent for an image the node may not pull or a malformed name", () => {
    for (const reason of ["ErrImageNeverPull", "InvalidImageName"]) {
      expect(podStartFailure(waitingPod(reason, "no such image"))).toEqual({
        reason,
        message: `container train (registry.example/x:1): ${reason}: no such image`,
        permanent: true,
      });
    }
  });

  it("reports pull back-off and config errors without failing the trial", () => {
    for (const reason of ["ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError"]) {
      expect(podStartFailure(waitingPod(reason))).toMatchObject({ reason, permanent: false });
    }
  });

  it("looks at init containers (the File collector's sidecar) too", () => {
    expect(podStartFailure(waitingPod("ErrImageNeverPull", undefined, true))?.permanent).toBe(true);
  });

  it("says nothing of a pod that is merely starting", () => {
    expect(podStartFailure(undefined)).toBeUndefined();
    expect(podStartFailure(waitingPod("ContainerCreating"))).toBeUndefined();
    expect(podStartFailure({ status: { phase: "Running" } })).toBeUndefined();
  });
});
