/**
 * Reconciles one Trial: makes sure its Job exists, follows the Job and its
 * pod to set the Trial's phase, collects metrics (intermediate ones while it
 * runs, for early stopping; final ones when it ends), and stops it when the
 * TuningJob asks. Everything is recomputed from the cluster on every call.
 */
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import {
  findPrimaryContainer,
  type MetricReport,
  parseTuningJobSpec,
  type TrialStatus,
  type TuningJobSpec,
} from "../api/index.js";
import { classifyFinishedTrial, objectivesOf } from "../engine/index.js";
import { statusCodeOf } from "../kube/errors.js";
import { metricsLogContainer } from "./collection/final-metrics.js";
import type { Caches, ClusterWrites, StoredTrial } from "./deps.js";
import { TRIAL_LABEL } from "./labels.js";
import { podStartFailure } from "./pod-start-failure.js";
import { renderTrialJob } from "./render-job.js";
import { statusChanged } from "./status-diff.js";

/** What the metric collectors know about a trial at a moment. */
export interface CollectionSnapshot {
  history: MetricReport[];
  metrics: Record<string, number>;
  rejectedCount: number;
  lastRejections: string[];
}

export interface LogFollowers {
  ensure(
    key: string,
    target: { namespace: string; pod: string; container: string; spec: TuningJobSpec },
    onUpdate: () => void,
  ): void;
  snapshot(key: string): CollectionSnapshot | undefined;
  stop(key: string): void;
}

export type CollectFinal = (input: {
  namespace: string;
  pod: V1Pod | undefined;
  spec: TuningJobSpec;
  primaryContainer: string;
}) => Promise<CollectionSnapshot>;

export interface TrialReconcilerDeps {
  caches: Caches;
  writes: ClusterWrites;
  followers: LogFollowers;
  collectFinal: CollectFinal;
  enqueue(key: string): void;
  collectorImage: string;
  now(): Date;
}

const FINISHED = new Set(["Succeeded", "Failed", "EarlyStopped", "MetricsUnavailable"]);

function jobCondition(job: V1Job, type: "Complete" | "Failed") {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/**
 * A Job of one pod (completions 1, parallelism 1) is as good as complete once
 * that pod has Succeeded. The Job controller batches pod updates and adds its
 * Complete condition a second or two later; waiting for it put that delay
 * between every trial and the next. Failures still wait for the Job's
 * condition, which carries the reason (DeadlineExceeded, BackoffLimitExceeded).
 */
function singlePodSucceeded(job: V1Job, pod: V1Pod | undefined): boolean {
  return (
    pod?.status?.phase === "Succeeded" &&
    (job.spec?.completions ?? 1) === 1 &&
    (job.spec?.parallelism ?? 1) <= 1
  );
}

function newestPod(pods: V1Pod[]): V1Pod | undefined {
  const created = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
  return [...pods].sort((a, b) => created(b) - created(a))[0];
}

function timeText(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

function objectiveOf(spec: TuningJobSpec, metrics: Record<string, number>): { objectiveValue?: number } {
  const value = metrics[objectivesOf(spec)[0]?.name ?? ""];
  return value === undefined ? {} : { objectiveValue: value };
}

function rejectionNote(snapshot: CollectionSnapshot): string {
  if (snapshot.rejectedCount === 0) return "";
  return `; ${snapshot.rejectedCount} metric values rejected (${snapshot.lastRejections.slice(0, 3).join("; ")})`;
}

export function createTrialReconciler(deps: TrialReconcilerDeps) {
  const { caches, writes, followers } = deps;

  async function write(trial: StoredTrial, status: TrialStatus): Promise<void> {
    const merged = { ...trial.status, ...status };
    if (!statusChanged(trial.status, merged)) return;
    await writes.patchTrialStatus(trial.metadata.namespace ?? "", trial.metadata.name, merged);
  }

  return async function reconcile(
    key: string,
    log: Logger,
  ): Promise<{ requeueAfterMs?: number } | undefined> {
    const [namespace = "", name = ""] = key.split("/");
    const trial = caches.trials.get(namespace, name);
    if (!trial || FINISHED.has(trial.status?.phase ?? "")) {
      followers.stop(key);
      return undefined;
    }
    const owner = caches.tuningJobs.get(namespace, trial.spec.tuningJob);
    const parsed = owner ? parseTuningJobSpec(owner.spec) : undefined;
    // Without a valid owner there is nothing to run; the garbage collector removes orphans.
    if (!parsed?.ok) return undefined;
    const spec = parsed.value;
    const primary = findPrimaryContainer(spec.trialTemplate.job, spec.trialTemplate.primaryContainer);
    if ("error" in primary) return undefined;
    const primaryName = primary.container.name;
    const now = deps.now().toISOString();
    const job = caches.jobs.get(namespace, name);
    const pod = newestPod(caches.pods.byLabel(TRIAL_LABEL, name, namespace));

    if (trial.spec.stop) {
      const snapshot = followers.snapshot(key) ?? {
        history: trial.status?.history ?? [],
        metrics: trial.status?.metrics ?? {},
        rejectedCount: 0,
        lastRejections: [],
      };
      if (job) await writes.deleteJob(namespace, name);
      followers.stop(key);
      await write(trial, {
        phase: "EarlyStopped",
        reason: trial.spec.stop.reason,
        message: trial.spec.stop.message,
        history: snapshot.history,
        metrics: snapshot.metrics,
        ...objectiveOf(spec, snapshot.metrics),
        completionTime: now,
        ...(trial.status?.startTime === undefined && { startTime: now }),
      });
      return undefined;
    }

    if (!job) {
      try {
        await writes.createJob(
          namespace,
          renderTrialJob({
            jobName: trial.spec.tuningJob,
            namespace,
            spec,
            trial: {
              name,
              uid: trial.metadata.uid ?? "",
              index: trial.spec.index,
              parameters: trial.spec.parameters,
            },
            collectorImage: deps.collectorImage,
          }),
        );
      } catch (err) {
        const code = statusCodeOf(err);
        if (code !== 400 && code !== 422) throw err;
        // The API server refused the rendered Job: retrying cannot help, the trial fails.
        await write(trial, {
          phase: "Failed",
          reason: "InvalidJobTemplate",
          message: err instanceof Error ? err.message.slice(0, 1024) : String(err),
          completionTime: now,
        });
        return undefined;
      }
      await write(trial, {
        phase: "Pending",
        jobName: name,
        reason: "JobCreated",
        message: "waiting for the trial's pod",
      });
      return undefined;
    }

    const failed = jobCondition(job, "Failed");
    const complete = !failed && (!!jobCondition(job, "Complete") || singlePodSucceeded(job, pod));
    if (complete || failed) {
      followers.stop(key);
      const snapshot = await deps.collectFinal({ namespace, pod, spec, primaryContainer: primaryName });
      const finished = classifyFinishedTrial(spec, complete, snapshot.metrics);
      const timedOut = failed?.reason === "DeadlineExceeded";
      log.debug({ phase: finished.phase, metrics: snapshot.metrics }, "trial finished");
      await write(trial, {
        phase: finished.phase,
        reason: timedOut ? "Timeout" : finished.reason,
        message:
          (timedOut ? "the trial ran past trialTimeout" : failed?.message || finished.message) +
          rejectionNote(snapshot),
        history: snapshot.history,
        metrics: snapshot.metrics,
        ...objectiveOf(spec, snapshot.metrics),
        jobName: name,
        startTime: trial.status?.startTime ?? timeText(job.status?.startTime) ?? now,
        completionTime: timeText(job.status?.completionTime) ?? now,
      });
      return undefined;
    }

    const cannotStart = podStartFailure(pod);
    if (cannotStart?.permanent) {
      await writes.deleteJob(namespace, name);
      followers.stop(key);
      await write(trial, {
        phase: "Failed",
        reason: cannotStart.reason,
        message: cannotStart.message.slice(0, 1024),
        jobName: name,
        completionTime: now,
      });
      return undefined;
    }

    const running = pod?.status?.phase === "Running";
    // TerminationMessage has no log to follow: its values come only at the end.
    const logContainer = metricsLogContainer(spec, primaryName);
    if (running && pod?.metadata?.name && logContainer) {
      followers.ensure(key, { namespace, pod: pod.metadata.name, container: logContainer, spec }, () =>
        deps.enqueue(key),
      );
    }
    const snapshot = followers.snapshot(key);
    await write(trial, {
      phase: running ? "Running" : "Pending",
      jobName: name,
      reason: running ? "PodRunning" : "PodPending",
      message: running
        ? "the training is running"
        : (cannotStart?.message ?? pod?.status?.reason ?? "waiting for the trial's pod"),
      ...(running && { startTime: trial.status?.startTime ?? timeText(pod?.status?.startTime) ?? now }),
      ...(snapshot && { history: snapshot.history, metrics: snapshot.metrics }),
    });
    return undefined;
  };
}
