// Runs reconcile workers over a WorkQueue with controller-runtime's contract:
// reconcile is level-triggered and keyed by "namespace/name", and this file is
// the one place that decides retry, backoff and requeue from its outcome.
import type { Logger } from "pino";
import { isAlreadyExists, isConflict, isTerminal } from "./errors.js";
import { splitKey } from "./keys.js";
import type { WorkQueue } from "./workqueue.js";

// biome-ignore lint/suspicious/noConfusingVoidType: a reconcile that returns nothing means "done".
export type ReconcileResult = { requeueAfterMs?: number } | void;
export type Reconcile = (key: string, log: Logger) => Promise<ReconcileResult>;

/**
 * How one reconcile ended, as counted in metrics. "terminal": the API server
 * refused the request as invalid (see isTerminal), so retrying cannot help.
 */
export type ReconcileOutcome = "success" | "requeue_after" | "conflict" | "error" | "terminal";

/**
 * Hooks for metrics, so the operator can plug prom-client in, e.g.
 * `observeReconcile: (c, r, s) => { total.inc({controller: c, result: r}); latency.observe({controller: c}, s) }`.
 */
export interface ControllerMetrics {
  observeReconcile(controller: string, outcome: ReconcileOutcome, seconds: number): void;
}

export interface ControllerOptions {
  name: string;
  queue: WorkQueue;
  /** Keys processed in parallel (never the same key twice at once). */
  workers: number;
  reconcile: Reconcile;
  log: Logger;
  metrics?: ControllerMetrics;
  /**
   * Called once for a terminal error (after it is logged), e.g. to record an
   * Event on the object so that `kubectl describe` shows why it is stuck.
   */
  onTerminalError?(key: string, error: unknown): void;
}

export interface RunningController {
  /** Shuts the queue down and resolves once every in-flight reconcile has finished. */
  stop(): Promise<void>;
}

type Ending = { ok: true; result: ReconcileResult } | { ok: false; error: unknown };

/** Classifies a reconcile's ending. Pure, and exhaustive over what reconcile can do. */
export function outcomeOf(ending: Ending): ReconcileOutcome {
  if (ending.ok) return ending.result?.requeueAfterMs !== undefined ? "requeue_after" : "success";
  // Another writer won a race (stale resourceVersion, or a child created
  // meanwhile): the next reconcile reads the newer state. Expected, not a failure.
  if (isConflict(ending.error) || isAlreadyExists(ending.error)) return "conflict";
  if (isTerminal(ending.error)) return "terminal";
  return "error";
}

/** Applies an outcome to the queue: the only place that decides retry, backoff and requeue. */
export function requeue(queue: WorkQueue, key: string, outcome: ReconcileOutcome, ending: Ending): void {
  switch (outcome) {
    case "success":
      queue.forget(key);
      return;
    // Not requeued: the key runs again on its object's next watch event (or resync).
    case "terminal":
      queue.forget(key);
      return;
    case "requeue_after":
      queue.forget(key);
      queue.addAfter(key, ending.ok ? (ending.result?.requeueAfterMs ?? 0) : 0);
      return;
    case "conflict":
    case "error":
      queue.addRateLimited(key);
      return;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown reconcile outcome ${String(unreachable)}`);
    }
  }
}

export function runController(options: ControllerOptions): RunningController {
  const { name, queue, reconcile, metrics, onTerminalError } = options;
  const log = options.log.child({ controller: name });

  async function processOne(key: string): Promise<void> {
    const { namespace, name: objectName } = splitKey(key);
    const reconcileLog = log.child({ namespace, name: objectName });
    const started = performance.now();
    let ending: Ending;
    try {
      ending = { ok: true, result: await reconcile(key, reconcileLog) };
    } catch (error) {
      ending = { ok: false, error };
    }
    const outcome = outcomeOf(ending);
    const seconds = (performance.now() - started) / 1000;
    if (!ending.ok) {
      const retries = queue.numRequeues(key);
      if (outcome === "conflict")
        reconcileLog.debug({ err: ending.error, retries }, "reconcile conflict, requeued");
      else if (outcome === "terminal") {
        reconcileLog.error(
          { err: ending.error, key, retries },
          "reconcile failed with an error that retrying cannot fix; not retried until the object changes",
        );
        try {
          onTerminalError?.(key, ending.error);
        } catch (error) {
          reconcileLog.warn({ err: error }, "terminal error hook failed");
        }
      } else reconcileLog.error({ err: ending.error, retries }, "reconcile failed, requeued with backoff");
    }
    requeue(queue, key, outcome, ending);
    try {
      metrics?.observeReconcile(name, outcome, seconds);
    } catch (error) {
      reconcileLog.warn({ err: error }, "reconcile metrics hook failed");
    }
  }

  async function worker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await processOne(key);
      } finally {
        queue.done(key);
      }
    }
  }

  const workers = Array.from({ length: Math.max(1, options.workers) }, () => worker());
  log.info({ workers: workers.length }, "controller started");
  return {
    async stop() {
      queue.shutDown();
      await Promise.all(workers);
      log.info("controller stopped");
    },
  };
}
