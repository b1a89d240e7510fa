// What the operator does with a reconcile the API server refused as invalid:
// a Warning Event on the object, and the error counted in the metrics.
import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { EventSubject, EventType } from "../../../src/kube/index.js";
import { warnOnObject } from "../../../src/operator/manager.js";
import { createOperatorMetrics } from "../../../src/operator/observability.js";

const invalid = new ApiException(
  422,
  "Unknown API Status Code!",
  JSON.stringify({
    kind: "Status",
    code: 422,
    reason: "Invalid",
    message: 'status.phase: Unsupported value: "X"',
  }),
  {},
);

function recorder() {
  const recorded: { subject: EventSubject; type: EventType; reason: string; message: string }[] = [];
  return {
    recorded,
    record: async (subject: EventSubject, type: EventType, reason: string, message: string) => {
      recorded.push({ subject, type, reason, message });
    },
  };
}

describe("warnOnObject", () => {
  const job = {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: "tj", namespace: "ns" },
  };
  const cache = {
    get: (namespace: string, name: string) => (namespace === "ns" && name === "tj" ? job : undefined),
    byLabel: () => [],
  };

  it("records a Warning Event with the server's message on the cached object", () => {
    const events = recorder();
    warnOnObject(events, cache)("ns/tj", invalid);
    expect(events.recorded).toEqual([
      {
        subject: job,
        type: "Warning",
        reason: "ReconcileFailed",
        message: 'the API server refused a write: status.phase: Unsupported value: "X"',
      },
    ]);
  });

  it("records nothing for an object no longer in the cache", () => {
    const events = recorder();
    warnOnObject(events, cache)("ns/gone", invalid);
    expect(events.recorded).toEqual([]);
  });
});

describe("operator metrics", () => {
  it("count terminal reconciles among the errors, under their own result", async () => {
    const metrics = createOperatorMetrics();
    metrics.observeReconcile("tuningjob", "terminal", 0.01);
    metrics.observeReconcile("tuningjob", "error", 0.01);
    metrics.observeReconcile("tuningjob", "success", 0.01);
    const text = await metrics.registry.metrics();
    expect(text).toContain('hypertune_reconcile_errors_total{controller="tuningjob"} 2');
    expect(text).toContain('hypertune_reconcile_total{controller="tuningjob",result="terminal"} 1');
  });
});
