/** Prometheus metrics and the health endpoints of the operator process. */
import { createServer, type Server } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { ControllerMetrics } from "../kube/index.js";
import type { WriteCounter } from "./cluster-writes.js";

export interface OperatorMetrics extends ControllerMetrics, WriteCounter {
  registry: Registry;
  observePlan(seconds: number): void;
  /** Sets the trials-by-phase gauge; called at scrape time from the cache. */
  setTrialCounter(read: () => Record<string, number>): void;
  /** Sets the work-queue depth gauge by controller; called at scrape time. */
  setQueueDepths(read: () => Record<string, number>): void;
}

export function createOperatorMetrics(): OperatorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hypertune_" });
  const reconciles = new Counter({
    name: "hypertune_reconcile_total",
    help: "Reconciles by controller and outcome.",
    labelNames: ["controller", "result"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "hypertune_reconcile_duration_seconds",
    help: "Time one reconcile took.",
    labelNames: ["controller"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: "hypertune_reconcile_errors_total",
    help: "Reconciles that failed: retried with backoff, or terminal (not retried; see hypertune_reconcile_total).",
    labelNames: ["controller"],
    registers: [registry],
  });
  const suggestion = new Histogram({
    name: "hypertune_suggestion_duration_seconds",
    help: "Time the engine took to plan one TuningJob step (suggestions included).",
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const writes = new Counter({
    name: "hypertune_api_writes_total",
    help: "Writes to the API server by kind.",
    labelNames: ["kind"],
    registers: [registry],
  });
  let readTrials: () => Record<string, number> = () => ({});
  new Gauge({
    name: "hypertune_trials",
    help: "Trials in the cache by phase.",
    labelNames: ["phase"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [phase, n] of Object.entries(readTrials())) this.set({ phase }, n);
    },
  });
  let readDepths: () => Record<string, number> = () => ({});
  new Gauge({
    name: "hypertune_workqueue_depth",
    help: "Keys waiting in each controller's work queue (not counting those being reconciled).",
    labelNames: ["controller"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [controller, n] of Object.entries(readDepths())) this.set({ controller }, n);
    },
  });
  return {
    registry,
    observeReconcile(controller, outcome, seconds) {
      reconciles.inc({ controller, result: outcome });
      latency.observe({ controller }, seconds);
      if (outcome === "error" || outcome === "terminal") errors.inc({ controller });
    },
    observePlan: (seconds) => suggestion.observe(seconds),
    count: (kind) => writes.inc({ kind }),
    setTrialCounter(read) {
      readTrials = read;
    },
    setQueueDepths(read) {
      readDepths = read;
    },
  };
}

export interface HealthChecks {
  live(): boolean;
  ready(): boolean;
}

/** Serves /metrics (when given metrics) and /healthz, /readyz (when given checks) on one port. */
export function serveHttp(
  port: number,
  routes: { metrics?: OperatorMetrics; health?: HealthChecks },
  host = "0.0.0.0",
): Promise<Server> {
  const { metrics, health } = routes;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/metrics" && metrics) {
      metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { "Content-Type": metrics.registry.contentType });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
      return;
    }
    const check = !health
      ? undefined
      : path === "/healthz"
        ? health.live()
        : path === "/readyz"
          ? health.ready()
          : undefined;
    if (check === undefined) {
      res.writeHead(404);
      res.end("not found\n");
      return;
    }
    res.writeHead(check ? 200 : 503, { "Content-Type": "text/plain" });
    res.end(check ? "ok\n" : "not ready\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
