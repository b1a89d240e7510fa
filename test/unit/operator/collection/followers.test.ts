// The followers' own logic (reconnect from the start, never shrinking, throttled
// updates, a new pod restarts) over a scripted log source; the real pods/log is
// exercised in test/integration/collection.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import type { ContainerState } from "../../../../src/operator/collection/container-state.js";
import { TrialLogFollowers } from "../../../../src/operator/collection/followers.js";
import type { LogStreamOptions, PodLogSource } from "../../../../src/operator/collection/log-source.js";
import { specWith } from "../../../support/simulate.js";
import { waitFor } from "../../../support/wait.js";

const spec = specWith({ objective: { metric: "accuracy", direction: "Maximize", reduction: "Max" } });
const tick = () => new Promise((r) => setTimeout(r, 5));

type Script = (opts: LogStreamOptions) => Promise<void>;
const lines = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `step=${from + i} accuracy=0.${from + i}`);
function printing(texts: string[], then: "end" | "drop" | "hang"): Script {
  return async ({ onLine, signal }) => {
    for (const text of texts) {
      onLine(text, false);
      await tick();
    }
    if (then === "drop") throw new Error("connection reset");
    if (then === "hang") await new Promise((resolve) => signal?.addEventListener("abort", resolve));
  };
}

let followers: TrialLogFollowers | undefined;
afterEach(() => followers?.stopAll());

function setup(scripts: Script[], states: ContainerState[]) {
  const calls: string[] = [];
  const source: PodLogSource = {
    stream(_ns, pod, container, opts) {
      calls.push(`${pod}/${container} follow=${opts.follow}`);
      const script = scripts.shift();
      return script ? script(opts) : Promise.reject(new Error("no more scripts"));
    },
  };
  let state = 0;
  followers = new TrialLogFollowers({
    source,
    containerState: async () => states[Math.min(state++, states.length - 1)] ?? "gone",
    throttleMs: 0,
    retryDelayMs: 5,
  });
  return { calls, followers };
}

const until = (check: () => boolean, timeoutMs = 5000) => waitFor("the followers", check, timeoutMs, 5);

describe("TrialLogFollowers", () => {
  it("reconnects from the start after a drop, never showing fewer reports, and ends with the container", async () => {
    const { calls, followers } = setup(
      [printing(lines(3), "drop"), printing(lines(5), "end")],
      ["running", "running", "running", "terminated"],
    );
    const seen: number[] = [];
    followers.ensure("ns/demo-1", { namespace: "ns", pod: "p1", container: "train", spec }, () =>
      seen.push(followers.snapshot("ns/demo-1")?.reportCount ?? -1),
    );
    expect(followers.snapshot("ns/demo-1")).toMatchObject({ reportCount: 0, following: true });
    await until(() => followers.snapshot("ns/demo-1")?.following === false);
    const snap = followers.snapshot("ns/demo-1");
    expect(snap).toMatchObject({ reportCount: 5, metrics: { accuracy: 0.5 }, lastError: "connection reset" });
    expect(snap?.history).toHaveLength(5);
    expect(calls).toEqual(["p1/train follow=true", "p1/train follow=true"]);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(5);
  });

  it("keeps when the first report was first seen across re-reads of the log, for telling buffered output", async () => {
    const slow: Script = async ({ onLine }) => {
      await new Promise((r) => setTimeout(r, 60));
      for (const text of lines(3)) onLine(text, false);
    };
    const { followers } = setup([printing(lines(2), "drop"), slow], ["running", "running", "terminated"]);
    const startedAt = Date.now();
    followers.ensure("ns/demo-1", { namespace: "ns", pod: "p1", container: "train", spec }, () => {});
    await until(() => followers.snapshot("ns/demo-1")?.following === false);
    const snap = followers.snapshot("ns/demo-1");
    expect(snap?.reportCount).toBe(3);
    // The second read saw the reports 60 ms later; the first report was seen during the first read.
    expect((snap?.firstReportAt ?? 0) - startedAt).toBeLessThan(50);
    expect(snap?.followingSince).toBeLessThanOrEqual(snap?.firstReportAt ?? 0);
  });

  it("reads an already finished container once, without following", async () => {
    const { calls, followers } = setup([printing(lines(2), "end")], ["terminated"]);
    followers.ensure("ns/demo-2", { namespace: "ns", pod: "p2", container: "train", spec }, () => {});
    await until(() => followers.snapshot("ns/demo-2")?.following === false);
    expect(followers.snapshot("ns/demo-2")?.reportCount).toBe(2);
    expect(calls).toEqual(["p2/train follow=false"]);
  });

  it("is idempotent for one pod, restarts for a new pod, and stops", async () => {
    const { calls, followers } = setup(
      [printing(lines(1), "hang"), printing(lines(2, 10), "hang")],
      ["running"],
    );
    const target = { namespace: "ns", pod: "p3", container: "train", spec };
    followers.ensure("ns/demo-3", target, () => {});
    followers.ensure("ns/demo-3", target, () => {});
    await until(() => followers.snapshot("ns/demo-3")?.reportCount === 1);
    followers.ensure("ns/demo-3", { ...target, pod: "p3-retry" }, () => {});
    await until(() => followers.snapshot("ns/demo-3")?.reportCount === 2);
    expect(followers.snapshot("ns/demo-3")?.metrics).toEqual({ accuracy: 0.11 });
    expect(calls).toEqual(["p3/train follow=true", "p3-retry/train follow=true"]);
    followers.stop("ns/demo-3");
    expect(followers.snapshot("ns/demo-3")).toBeUndefined();
  });

  it("throttles updates", async () => {
    const throttled = new TrialLogFollowers({
      source: { stream: (_n, _p, _c, opts) => printing(lines(40), "hang")(opts) },
      containerState: async () => "running",
      throttleMs: 100,
    });
    let updates = 0;
    throttled.ensure("ns/demo-4", { namespace: "ns", pod: "p4", container: "train", spec }, () => updates++);
    await until(() => throttled.snapshot("ns/demo-4")?.reportCount === 40);
    await new Promise((r) => setTimeout(r, 150));
    throttled.stopAll();
    // 40 reports over at least 200 ms: a handful of updates, not 40.
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThan(15);
  });
});
