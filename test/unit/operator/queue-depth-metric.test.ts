// The work-queue depth gauge bench:scale samples: read from the queues at scrape time.
import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../../src/kube/workqueue.js";
import { createOperatorMetrics } from "../../../src/operator/observability.js";

describe("hypertune_workqueue_depth", () => {
  it("reports each controller's waiting keys when scraped", async () => {
    const metrics = createOperatorMetrics();
    const queue = new WorkQueue();
    metrics.setQueueDepths(() => ({ tuningjob: queue.length, trial: 0 }));
    queue.add("ns/a");
    queue.add("ns/b");
    queue.add("ns/a"); // already waiting: not counted twice
    expect(await metrics.registry.metrics()).toContain('hypertune_workqueue_depth{controller="tuningjob"} 2');
    await queue.get();
    expect(await metrics.registry.metrics()).toContain('hypertune_workqueue_depth{controller="tuningjob"} 1');
    queue.shutDown();
  });
});
