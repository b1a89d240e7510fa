// The node agent's pure parts: path rewriting, $(VAR) expansion, log selection
// and the pod status it reports. The agent itself is tested on the real control
// plane in test/integration/node-agent.test.ts.
import { describe, expect, it } from "vitest";
import { expandVars, fieldRefValue } from "../../cluster/node-agent/container-env.js";
import { GpuAllocator, podGpus } from "../../cluster/node-agent/gpu-allocator.js";
import type { LogRecord } from "../../cluster/node-agent/log-file.js";
import { parseLogQuery, renderRecord, selectBacklog } from "../../cluster/node-agent/log-query.js";
import { rewritePaths } from "../../cluster/node-agent/pod-paths.js";
import { buildPodStatus } from "../../cluster/node-agent/pod-status.js";

const rec = (content: string, partial = false, stream: "stdout" | "stderr" = "stdout"): LogRecord => ({
  time: "2026-01-01T00:00:00.000000000Z",
  stream,
  partial,
  content: Buffer.from(content),
});

describe("rewritePaths", () => {
  const mappings = [
    { from: "/data/sub", to: "/host/sub" },
    { from: "/data", to: "/host/data" },
  ];
  it("rewrites whole path components only, nested mounts first", () => {
    expect(rewritePaths("--out=/data/x /data/sub/y '/data' /database /srv/data", mappings)).toBe(
      "--out=/host/data/x /host/sub/y '/host/data' /database /srv/data",
    );
  });
});

describe("expandVars", () => {
  it("follows Kubernetes: defined names expand, unknown stay, $$ escapes", () => {
    expect(expandVars("$(A)-$(B)-$$(A)-$x-$", { A: "1" })).toBe("1-$(B)-$(A)-$x-$");
  });
  it("reads labels through fieldRef", () => {
    const ctx = { pod: { metadata: { labels: { app: "x" } } }, nodeName: "n", podIP: "ip", hostIP: "h" };
    expect(fieldRefValue({ fieldPath: "metadata.labels['app']" }, ctx)).toBe("x");
    expect(fieldRefValue({ fieldPath: "metadata.labels['missing']" }, ctx)).toBe("");
    expect(fieldRefValue({ fieldPath: "spec.nodeName" }, ctx)).toBe("n");
  });
});

describe("log selection", () => {
  const query = (q: string) => {
    const parsed = parseLogQuery(new URLSearchParams(q));
    if (parsed instanceof Error) throw parsed;
    return parsed;
  };
  const records = [rec("a"), rec("b1", true), rec("b2"), rec("err", false, "stderr"), rec("c", true)];
  const text = (q: string) =>
    Buffer.concat(selectBacklog(records, query(q)).map((r) => renderRecord(r, query(q)))).toString();

  it("joins partial records into lines and counts lines for tailLines", () => {
    expect(text("")).toBe("a\nb1b2\nerr\nc");
    expect(text("tailLines=2")).toBe("err\nc");
    expect(text("tailLines=3")).toBe("b1b2\nerr\nc");
    expect(text("tailLines=0")).toBe("");
  });
  it("filters by stream and prefixes timestamps", () => {
    expect(text("stream=Stderr")).toBe("err\n");
    expect(text("stream=Stdout&tailLines=1&timestamps=true")).toBe("2026-01-01T00:00:00.000000000Z c");
  });
  it("rejects malformed parameters", () => {
    expect(parseLogQuery(new URLSearchParams("tailLines=-1"))).toBeInstanceOf(Error);
    expect(parseLogQuery(new URLSearchParams("stream=Both"))).toBeInstanceOf(Error);
  });
});

describe("GPU allocation", () => {
  it("counts sidecars with main containers and hands out free indices", () => {
    const gpu = (n: number) => ({ resources: { limits: { "nvidia.com/gpu": String(n) } } });
    const pod = {
      spec: {
        initContainers: [
          { name: "i", ...gpu(3) },
          { name: "s", restartPolicy: "Always", ...gpu(1) },
        ],
        containers: [{ name: "m", ...gpu(1) }],
      },
    };
    expect(podGpus(pod)).toBe(3);
    const alloc = new GpuAllocator(2);
    expect(alloc.allocate("a", 1)).toEqual([0]);
    expect(alloc.allocate("b", 2)).toBeUndefined();
    expect(alloc.allocate("b", 1)).toEqual([1]);
    alloc.release("a");
    expect(alloc.allocate("c", 1)).toEqual([0]);
  });
});

describe("buildPodStatus", () => {
  it("reports a finished pod as the kubelet does and keeps transition times stable", () => {
    const times = new Map<string, { status: string; time: string }>();
    const base = {
      ip: "127.0.0.1",
      sandboxReady: true,
      initialized: true,
      startTime: "t0",
    };
    const running = buildPodStatus(
      {
        ...base,
        phase: "Running",
        containers: [
          {
            name: "m",
            image: "i",
            role: "main",
            restartCount: 0,
            state: { kind: "running", startedAt: "t1", containerID: "process://1" },
          },
        ],
      },
      times,
      "t1",
    );
    expect(running.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    const done = buildPodStatus(
      {
        ...base,
        phase: "Succeeded",
        containers: [
          {
            name: "m",
            image: "i",
            role: "main",
            restartCount: 0,
            state: {
              kind: "terminated",
              exitCode: 0,
              reason: "Completed",
              startedAt: "t1",
              finishedAt: "t2",
            },
          },
        ],
      },
      times,
      "t2",
    );
    const cond = (t: string) => done.conditions?.find((c) => c.type === t);
    expect(cond("Ready")).toMatchObject({
      status: "False",
      reason: "PodCompleted",
      lastTransitionTime: "t2",
    });
    expect(cond("Initialized")).toMatchObject({ status: "True", lastTransitionTime: "t1" });
    expect(done.containerStatuses?.[0]).toMatchObject({
      ready: false,
      started: false,
      state: { terminated: { exitCode: 0, reason: "Completed" } },
    });
    expect(done.initContainerStatuses).toBeUndefined();
  });
});
