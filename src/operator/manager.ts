/**
 * The operator process: informers feed two work queues, two controllers
 * reconcile from the caches, and (with leader election) only the leader runs
 * them. Nothing is kept only in memory: a restarted or newly elected operator
 * rebuilds everything from the TuningJobs and Trials in the cluster.
 */
import type { Server } from "node:http";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import {
  apiStatusOf,
  createEventRecorder,
  type EventRecorder,
  type EventSubject,
  keyOf,
  type RunningController,
  reuseConnections,
  runController,
  splitKey,
  startLeaderElection,
  WorkQueue,
} from "../kube/index.js";
import { createAccessGate } from "./access.js";
import { clusterAccessReview } from "./access-review.js";
import { createClusterWrites } from "./cluster-writes.js";
import { createMetricCollection } from "./collection-wiring.js";
import type { ObjectCache } from "./deps.js";
import { createOperatorInformers, type OperatorInformers } from "./informers.js";
import { TRIAL_LABEL } from "./labels.js";
import { createOperatorMetrics, serveHttp } from "./observability.js";
import { createTrialReconciler } from "./trial-controller.js";
import { createTuningJobReconciler } from "./tuningjob-controller.js";

export interface ManagerOptions {
  kc: KubeConfig;
  /** Watch one namespace; all when undefined. */
  namespace?: string;
  log: Logger;
  leaderElection?: {
    namespace: string;
    name: string;
    identity: string;
    leaseDurationSeconds?: number;
    renewDeadlineSeconds?: number;
    retryPeriodSeconds?: number;
  };
  metricsPort: number;
  healthPort: number;
  /** Image of the File collector's sidecar (the operator's own image). */
  collectorImage: string;
  workers?: number;
  /**
   * Multi-tenancy: create trials only for a recorded requester who may create
   * Jobs in the job's namespace (asked with a LocalSubjectAccessReview).
   */
  requireRequester?: boolean;
  /** With requireRequester: create each trial's Job impersonating the requester. */
  impersonateRequester?: boolean;
}

export interface RunningManager {
  stop(): Promise<void>;
  /** Resolves when the process should exit (stopped, or leadership lost). */
  done: Promise<{ lostLeadership: boolean }>;
}

export async function startManager(options: ManagerOptions): Promise<RunningManager> {
  const { log } = options;
  // One keep-alive connection pool for every client of this process (see connection-reuse.ts).
  const kc = reuseConnections(options.kc);
  const metrics = createOperatorMetrics();
  let synced = false;
  let leading = !options.leaderElection;
  const servers: Server[] = [];
  const health = { live: () => true, ready: () => synced || !leading };
  if (options.metricsPort === options.healthPort) {
    servers.push(await serveHttp(options.metricsPort, { metrics, health }));
  } else {
    servers.push(await serveHttp(options.metricsPort, { metrics }));
    servers.push(await serveHttp(options.healthPort, { health }));
  }

  let running:
    | { informers: OperatorInformers; controllers: RunningController[]; stopCollection: () => void }
    | undefined;
  let finish: (result: { lostLeadership: boolean }) => void = () => {};
  const done = new Promise<{ lostLeadership: boolean }>((resolve) => {
    finish = resolve;
  });

  async function startControllers(): Promise<void> {
    leading = true;
    const informers = createOperatorInformers(kc, options.namespace, log);
    const tuningJobQueue = new WorkQueue();
    const trialQueue = new WorkQueue();
    const events = createEventRecorder({ kc, component: "hypertune-operator", log });
    const writes = createClusterWrites(kc, metrics);
    const collection = createMetricCollection(kc, informers.pods, log);
    // One gate for both controllers, so they share its cache of decisions.
    const access = options.requireRequester ? createAccessGate(clusterAccessReview(kc), Date.now) : undefined;
    const caches = {
      tuningJobs: informers.tuningJobs,
      trials: informers.trials,
      jobs: informers.jobs,
      pods: informers.pods,
    };
    informers.tuningJobs.onChange((tj) => tuningJobQueue.add(keyOf(tj)));
    informers.trials.onChange((trial) => {
      trialQueue.add(keyOf(trial));
      tuningJobQueue.add(`${trial.metadata.namespace ?? ""}/${trial.spec.tuningJob}`);
    });
    const byTrialLabel = (obj: { metadata?: { namespace?: string; labels?: Record<string, string> } }) => {
      const trial = obj.metadata?.labels?.[TRIAL_LABEL];
      if (trial) trialQueue.add(`${obj.metadata?.namespace ?? ""}/${trial}`);
    };
    informers.jobs.onChange(byTrialLabel);
    informers.pods.onChange(byTrialLabel);
    metrics.setTrialCounter(() => {
      const counts: Record<string, number> = {};
      for (const t of informers.trials.list()) {
        const phase = t.status?.phase ?? "Pending";
        counts[phase] = (counts[phase] ?? 0) + 1;
      }
      return counts;
    });
    metrics.setQueueDepths(() => ({ tuningjob: tuningJobQueue.length, trial: trialQueue.length }));

    await Promise.all(Object.values(informers).map((i) => i.start()));
    synced = true;
    log.info("caches synced; controllers starting");
    const controllers = [
      runController({
        name: "tuningjob",
        queue: tuningJobQueue,
        workers: options.workers ?? 4,
        log,
        metrics,
        onTerminalError: warnOnObject(events, caches.tuningJobs),
        reconcile: createTuningJobReconciler({
          caches,
          writes,
          events,
          now: () => new Date(),
          observePlan: (s) => metrics.observePlan(s),
          ...(access && { access }),
        }),
      }),
      runController({
        name: "trial",
        queue: trialQueue,
        workers: options.workers ?? 4,
        log,
        metrics,
        onTerminalError: warnOnObject(events, caches.trials),
        reconcile: createTrialReconciler({
          caches,
          writes,
          followers: collection.followers,
          collectFinal: collection.collectFinal,
          enqueue: (key) => trialQueue.add(key),
          collectorImage: options.collectorImage,
          now: () => new Date(),
          ...(access && { access }),
          ...(access && options.impersonateRequester && { impersonate: true }),
        }),
      }),
    ];
    running = { informers, controllers, stopCollection: () => collection.stopAll() };
  }

  async function stopControllers(): Promise<void> {
    const current = running;
    running = undefined;
    if (!current) return;
    current.stopCollection();
    await Promise.all(current.controllers.map((c) => c.stop()));
    for (const informer of Object.values(current.informers)) informer.stop();
  }

  let stopping = false;
  const election = options.leaderElection
    ? startLeaderElection({
        kc,
        ...options.leaderElection,
        log,
        onStartedLeading: () =>
          startControllers().catch((err: unknown) => {
            log.error({ err }, "controllers failed to start");
            finish({ lostLeadership: true });
          }),
        onStoppedLeading: async () => {
          await stopControllers();
          // Another replica may already lead: exit rather than risk two writers.
          if (!stopping) finish({ lostLeadership: true });
        },
      })
    : undefined;
  if (!election) await startControllers();

  return {
    done,
    async stop() {
      stopping = true;
      if (election) await election.stop();
      await stopControllers();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      finish({ lostLeadership: false });
    },
  };
}

/**
 * A Warning Event on the object whose reconcile the API server refused as
 * invalid, so that `kubectl describe` says why it stopped moving.
 */
export function warnOnObject(events: Pick<EventRecorder, "record">, cache: ObjectCache<EventSubject>) {
  return (key: string, error: unknown): void => {
    const { namespace = "", name } = splitKey(key);
    const object = cache.get(namespace, name);
    if (!object) return;
    const reason = apiStatusOf(error)?.message ?? (error instanceof Error ? error.message : String(error));
    void events.record(object, "Warning", "ReconcileFailed", `the API server refused a write: ${reason}`);
  };
}
