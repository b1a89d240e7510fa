import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { containerStateOf } from "../../../../src/operator/collection/container-state.js";

const pod = (status: V1Pod["status"]): V1Pod => ({ metadata: { name: "p" }, status });
const status = (name: string, state: object) => ({
  name,
  image: "x",
  imageID: "",
  ready: false,
  restartCount: 0,
  state,
});

describe("containerStateOf", () => {
  it("reads main and native sidecar containers", () => {
    const p = pod({
      phase: "Running",
      containerStatuses: [status("train", { running: {} })],
      initContainerStatuses: [status("hypertune-collector", { terminated: { exitCode: 0 } })],
    });
    expect(containerStateOf(p, "train")).toBe("running");
    expect(containerStateOf(p, "hypertune-collector")).toBe("terminated");
    expect(containerStateOf(p, "other")).toBe("waiting");
  });

  it("a pod without statuses waits unless it has finished; no pod is gone", () => {
    expect(containerStateOf(pod({ phase: "Pending" }), "train")).toBe("waiting");
    expect(containerStateOf(pod({ phase: "Failed" }), "train")).toBe("terminated");
    expect(containerStateOf(undefined, "train")).toBe("gone");
  });
});
