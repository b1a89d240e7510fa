import { ApiException } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import {
  outcomeOf,
  type Reconcile,
  type ReconcileOutcome,
  runController,
  WorkQueue,
} from "../../../src/kube/index.js";
import { waitFor } from "../../support/wait.js";

/** A pino logger whose lines are kept as parsed objects. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

const statusError = (code: number, reason: string) =>
  new ApiException(code, "Unknown API Status Code!", JSON.stringify({ kind: "Status", code, reason }), {});
const conflict = () => statusError(409, "Conflict");
const alreadyExists = () => statusError(409, "AlreadyExists");

const until = (condition: () => boolean, timeoutMs = 2000) =>
  waitFor("the condition", condition, timeoutMs, 1);

describe("outcomeOf", () => {
  it("classifies every way a reconcile can end", () => {
    expect(outcomeOf({ ok: true, result: undefined })).toBe("success");
    expect(outcomeOf({ ok: true, result: {} })).toBe("success");
    expect(outcomeOf({ ok: true, result: { requeueAfterMs: 10 } })).toBe("requeue_after");
    expect(outcomeOf({ ok: false, error: conflict() })).toBe("conflict");
    expect(outcomeOf({ ok: false, error: alreadyExists() })).toBe("conflict");
    expect(outcomeOf({ ok: false, error: statusError(404, "NotFound") })).toBe("error");
    expect(outcomeOf({ ok: false, error: statusError(403, "Forbidden") })).toBe("error");
    expect(outcomeOf({ ok: false, error: statusError(503, "ServiceUnavailable") })).toBe("error");
    expect(outcomeOf({ ok: false, error: statusError(422, "Invalid") })).toBe("terminal");
    expect(outcomeOf({ ok: false, error: statusError(400, "BadRequest") })).toBe("terminal");
    expect(outcomeOf({ ok: false, error: new Error("boom") })).toBe("error");
    expect(outcomeOf({ ok: false, error: "a string" })).toBe("error");
  });
});

describe("runController", () => {
  function start(reconcile: Reconcile, workers = 2, onTerminalError?: (key: string, error: unknown) => void) {
    const queue = new WorkQueue({ jitter: 0, baseDelayMs: 1 });
    const { log, lines } = capturingLogger();
    const observed: { outcome: ReconcileOutcome; seconds: number }[] = [];
    const controller = runController({
      name: "test",
      queue,
      workers,
      reconcile,
      log,
      metrics: { observeReconcile: (_c, outcome, seconds) => observed.push({ outcome, seconds }) },
      onTerminalError,
    });
    return { queue, lines, observed, controller };
  }

  it("success forgets the key's failures and does not requeue", async () => {
    const calls: string[] = [];
    const { queue, observed, controller } = start(async (key) => {
      calls.push(key);
    });
    queue.nextDelay("ns/a"); // pretend earlier failures
    queue.nextDelay("ns/a");
    queue.add("ns/a");
    await until(() => observed.length === 1);
    expect(calls).toEqual(["ns/a"]);
    expect(queue.numRequeues("ns/a")).toBe(0);
    expect(observed[0]?.outcome).toBe("success");
    expect(observed[0]?.seconds).toBeGreaterThanOrEqual(0);
    await controller.stop();
  });

  it("requeueAfterMs runs the key again after the delay, without counting a failure", async () => {
    let calls = 0;
    const { queue, observed, controller } = start(async () => {
      calls++;
      return calls < 3 ? { requeueAfterMs: 5 } : undefined;
    });
    queue.add("a");
    await until(() => calls === 3);
    expect(queue.numRequeues("a")).toBe(0);
    expect(observed.map((o) => o.outcome)).toEqual(["requeue_after", "requeue_after", "success"]);
    await controller.stop();
  });

  it("Conflict and AlreadyExists requeue with backoff quietly (debug, no error log)", async () => {
    const errors = [conflict(), alreadyExists()];
    let calls = 0;
    const { queue, lines, observed, controller } = start(async () => {
      const error = errors[calls++];
      if (error) throw error;
    });
    queue.add("ns/job");
    await until(() => observed.length === 3);
    expect(observed.map((o) => o.outcome)).toEqual(["conflict", "conflict", "success"]);
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    const debug = lines.filter((l) => l.msg === "reconcile conflict, requeued");
    expect(debug).toHaveLength(2);
    expect(debug[0]).toMatchObject({ level: 20, controller: "test", namespace: "ns", name: "job" });
    expect(queue.numRequeues("ns/job")).toBe(0); // forgotten after the success
    await controller.stop();
  });

  it("other errors are logged as errors and retried with growing backoff until success", async () => {
    let calls = 0;
    const { queue, lines, observed, controller } = start(async () => {
      calls++;
      if (calls <= 3) throw new Error(`failure ${calls}`);
    });
    queue.add("ns/x");
    await until(() => observed.length === 4);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(3);
    expect(errors.map((l) => l.retries)).toEqual([0, 1, 2]);
    expect(errors[2]).toMatchObject({
      controller: "test",
      namespace: "ns",
      name: "x",
      err: { message: "failure 3" },
    });
    expect(observed.map((o) => o.outcome)).toEqual(["error", "error", "error", "success"]);
    await controller.stop();
  });

  it("a terminal error (422 Invalid) is logged once with the key, reported, and not retried until the key is added again", async () => {
    let calls = 0;
    const reported: { key: string; error: unknown }[] = [];
    const invalid = statusError(422, "Invalid");
    const { queue, lines, observed, controller } = start(
      async () => {
        calls++;
        if (calls === 1) throw invalid;
      },
      2,
      (key, error) => reported.push({ key, error }),
    );
    queue.add("ns/bad");
    await until(() => observed.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30)); // backoff is 1 ms: a retry would have run
    expect(calls).toBe(1);
    expect(observed.map((o) => o.outcome)).toEqual(["terminal"]);
    expect(queue.numRequeues("ns/bad")).toBe(0);
    expect(queue.length).toBe(0);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ key: "ns/bad", namespace: "ns", name: "bad" });
    expect(reported).toEqual([{ key: "ns/bad", error: invalid }]);

    queue.add("ns/bad"); // the object's next watch event
    await until(() => observed.length === 2);
    expect(observed.map((o) => o.outcome)).toEqual(["terminal", "success"]);
    await controller.stop();
  });

  it("a 400 is terminal too, and a failing terminal hook does not stop the controller", async () => {
    let calls = 0;
    const { queue, lines, observed, controller } = start(
      async () => {
        calls++;
        throw statusError(400, "BadRequest");
      },
      1,
      () => {
        throw new Error("hook broke");
      },
    );
    queue.add("ns/a");
    await until(() => observed.length === 1);
    queue.add("ns/b");
    await until(() => observed.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(2);
    expect(observed.map((o) => o.outcome)).toEqual(["terminal", "terminal"]);
    expect(lines.filter((l) => l.msg === "terminal error hook failed")).toHaveLength(2);
    await controller.stop();
  });

  it("retryable API errors (503, 429, 403) and network failures are retried with backoff", async () => {
    const failures = [
      statusError(503, "ServiceUnavailable"),
      statusError(429, "TooManyRequests"),
      statusError(403, "Forbidden"),
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    ];
    let calls = 0;
    const reported: string[] = [];
    const { queue, observed, controller } = start(
      async () => {
        const error = failures[calls++];
        if (error) throw error;
      },
      2,
      (key) => reported.push(key),
    );
    queue.add("ns/flaky");
    await until(() => observed.length === 5);
    expect(observed.map((o) => o.outcome)).toEqual(["error", "error", "error", "error", "success"]);
    expect(reported).toEqual([]);
    await controller.stop();
  });

  it("a reconcile that throws synchronously is handled like a rejected one", async () => {
    let calls = 0;
    const { queue, observed, controller } = start(((_key: string) => {
      calls++;
      if (calls === 1) throw new Error("sync throw");
      return Promise.resolve();
    }) as Reconcile);
    queue.add("k");
    await until(() => observed.length === 2);
    expect(observed.map((o) => o.outcome)).toEqual(["error", "success"]);
    await controller.stop();
  });

  it("gives each reconcile a child logger naming the controller and the object", async () => {
    const { queue, lines, observed, controller } = start(async (_key, log) => {
      log.info("reconciling");
    });
    queue.add("team-a/study-1");
    queue.add("cluster-scoped");
    await until(() => observed.length === 2);
    const reconciling = lines.filter((l) => l.msg === "reconciling");
    expect(reconciling).toContainEqual(
      expect.objectContaining({ controller: "test", namespace: "team-a", name: "study-1" }),
    );
    expect(reconciling).toContainEqual(
      expect.objectContaining({ controller: "test", name: "cluster-scoped" }),
    );
    await controller.stop();
  });

  it("never reconciles one key twice at once with several workers, but runs distinct keys in parallel", async () => {
    const active = new Set<string>();
    let overlap = false;
    let maxParallel = 0;
    let calls = 0;
    const { queue, controller } = start(async (key) => {
      if (active.has(key)) overlap = true;
      active.add(key);
      maxParallel = Math.max(maxParallel, active.size);
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      active.delete(key);
    }, 4);
    for (let i = 0; i < 5; i++) {
      for (const key of ["a", "b", "c", "d"]) queue.add(key);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await until(() => queue.length === 0 && active.size === 0 && calls >= 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(overlap).toBe(false);
    expect(maxParallel).toBeGreaterThan(1);
    await controller.stop();
  });

  it("stop() waits for in-flight reconciles and takes no new keys", async () => {
    let inFlight = false;
    let done = false;
    const reconciled: string[] = [];
    const { queue, controller } = start(async (key) => {
      reconciled.push(key);
      inFlight = true;
      await new Promise((resolve) => setTimeout(resolve, 30));
      done = true;
    }, 1);
    queue.add("a");
    await until(() => inFlight);
    const stopping = controller.stop();
    queue.add("b"); // ignored: shutting down
    await stopping;
    expect(done).toBe(true);
    expect(reconciled).toEqual(["a"]);
  });
});
