/**
 * Reconciles one Trial: makes sure its Job exists, follows the Job and its
 * pod to set the Trial's phase, collects metrics (intermediate ones while it
 * runs, for early stopping; final ones when it ends), and stops it when the
 * TuningJob asks. Everything is recomputed from the cluster on every call;
 * each case of a Trial's life is one function below, and a finished trial is
 * concluded by the same `concludeTrial` as the local backend's. A disrupted
 * attempt (evicted, preempted, its node lost) runs again as the next attempt,
 * in a Job of its own, with the earlier attempts' reports kept.
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
import {
  concludeTrial,
  mayRetryPreempted,
  objectivesOf,
  type TrialConclusion,
  type TrialEnding,
  withEarlierAttempts,
} from "../engine/index.js";
import { apiStatusOf, isTerminal, statusCodeOf } from "../kube/errors.js";
import { emptySnapshot, type MetricsSnapshot } from "../metrics/accumulator.js";
import { type AccessGate, JOB_WORKLOAD } from "./access.js";
import { metricsLogContainer } from "./collection/final-metrics.js";
import type { Caches, ClusterWrites, StoredTrial } from "./deps.js";
import { attemptJobName, TRIAL_LABEL } from "./labels.js";
import { podStartFailure } from "./pod-start-failure.js";
import { renderTrialJob } from "./render-job.js";
import { requesterOf } from "./requester.js";
import { statusChanged } from "./status-diff.js";
import { attemptOf, nextAttemptStatus } from "./trial-attempts.js";
import { containerRunTime, jobEnding } from "./trial-ending.js";

export interface LogFollowers {
  ensure(
    key: string,
    target: { namespace: string; pod: string; container: string; spec: TuningJobSpec },
    onUpdate: () => void,
  ): void;
  snapshot(key: string): (MetricsSnapshot & { followingSince?: number }) | undefined;
  stop(key: string): void;
}

/** The final read of a trial's metrics; `unavailable` says why nothing could be read. */
export type CollectFinal = (input: {
  namespace: string;
  pod: V1Pod | undefined;
  spec: TuningJobSpec;
  primaryContainer: string;
}) => Promise<{ snapshot: MetricsSnapshot; unavailable?: string }>;

export interface TrialReconcilerDeps {
  caches: Caches;
  writes: ClusterWrites;
  followers: LogFollowers;
  collectFinal: CollectFinal;
  enqueue(key: string): void;
  collectorImage: string;
  now(): Date;
  /** Multi-tenancy: a Trial's Job is created only if its TuningJob's requester may create Jobs. */
  access?: AccessGate;
  /** Create each Job impersonating the requester, so the API server judges it by their RBAC. */
  impersonate?: boolean;
}

const FINISHED = new Set(["Succeeded", "Failed", "EarlyStopped", "MetricsUnavailable", "Preempted"]);

/** Everything one reconcile of one Trial reads, gathered once. */
interface TrialContext {
  key: string;
  namespace: string;
  name: string;
  trial: StoredTrial;
  /** The owning TuningJob's metadata (who asked for it). */
  owner: Record<string, unknown>;
  spec: TuningJobSpec;
  primary: string;
  /** 1, then one more after each preemption; the Job and pod below are this attempt's. */
  attempt: number;
  jobName: string;
  /** The earlier attempts' reports, merged (engine/attempts.ts). */
  earlierHistory: MetricReport[];
  job: V1Job | undefined;
  pod: V1Pod | undefined;
  now: string;
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

function errorText(err: unknown): string {
  const status = apiStatusOf(err);
  return (status?.message ?? (err instanceof Error ? err.message : String(err))).slice(0, 1024);
}

/** A conclusion as Trial status fields. */
function concludedStatus(spec: TuningJobSpec, c: TrialConclusion): TrialStatus {
  return {
    phase: c.phase,
    reason: c.reason,
    message: c.message.slice(0, 4096),
    history: c.history,
    metrics: c.metrics,
    ...objectiveOf(spec, c.metrics),
  };
}

export function createTrialReconciler(deps: TrialReconcilerDeps) {
  const { caches, writes, followers } = deps;

  /** `precondition`: only onto the Trial as read (a decision a stale read must not repeat). */
  async function write(trial: StoredTrial, status: TrialStatus, precondition = false): Promise<void> {
    const merged = { ...trial.status, ...status };
    if (!statusChanged(trial.status, merged)) return;
    const version = precondition ? (trial.metadata.resourceVersion as string | undefined) : undefined;
    await writes.patchTrialStatus(trial.metadata.namespace ?? "", trial.metadata.name, merged, version);
  }

  /** The Trial, its owner's spec, its Job and pod; undefined when there is nothing to do. */
  function contextOf(key: string): TrialContext | undefined {
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
    const attempt = trial.status?.attempt ?? 1;
    const jobName = attemptJobName(name, attempt);
    return {
      key,
      namespace,
      name,
      trial,
      owner: owner?.metadata ?? {},
      spec,
      primary: primary.container.name,
      attempt,
      jobName,
      earlierHistory: trial.status?.earlierHistory ?? [],
      job: caches.jobs.get(namespace, jobName),
      pod: newestPod(
        caches.pods.byLabel(TRIAL_LABEL, name, namespace).filter((p) => attemptOf(p) === attempt),
      ),
      now: deps.now().toISOString(),
    };
  }

  /** This attempt's reports joined with the earlier attempts'. */
  function withEarlier(ctx: TrialContext, snapshot: MetricsSnapshot): MetricsSnapshot {
    return withEarlierAttempts(ctx.spec, ctx.earlierHistory, snapshot);
  }

  /**
   * Jobs of earlier attempts, once this attempt's Job exists: deleted, not at
   * the preemption, so a reconcile that still sees the older Trial status
   * finds the failed Job and decides the same again instead of recreating it.
   */
  async function deleteEarlierJobs(ctx: TrialContext): Promise<void> {
    if (ctx.attempt === 1 || !ctx.job) return;
    const earlier = caches.jobs
      .byLabel(TRIAL_LABEL, ctx.name, ctx.namespace)
      .filter((j) => attemptOf(j) < ctx.attempt);
    for (const job of earlier) await writes.deleteJob(ctx.namespace, job.metadata?.name ?? "");
  }

  /** The TuningJob asked it to stop: delete the Job, keep what it reported up to the stop. */
  async function stopTrial(ctx: TrialContext, stop: NonNullable<StoredTrial["spec"]["stop"]>): Promise<void> {
    const { trial, spec, namespace, key, now } = ctx;
    const followed = followers.snapshot(key);
    // The status's history already holds the earlier attempts' reports.
    const collected = followed
      ? withEarlier(ctx, followed)
      : { ...emptySnapshot(), history: trial.status?.history ?? [], metrics: trial.status?.metrics ?? {} };
    if (ctx.job) await writes.deleteJob(namespace, ctx.jobName);
    followers.stop(key);
    const conclusion = concludeTrial(spec, { ending: { kind: "Stopped" }, stop, collected });
    await write(trial, {
      ...concludedStatus(spec, conclusion),
      completionTime: now,
      ...(trial.status?.startTime === undefined && { startTime: now }),
    });
  }

  async function createTrialJob(ctx: TrialContext): Promise<void> {
    const { trial, spec, namespace, name, now } = ctx;
    // The TuningJob controller checked before creating the Trial; this is the last word before the workload.
    const requester = requesterOf(ctx.owner);
    const decision = await deps.access?.check(namespace, requester, JOB_WORKLOAD);
    if (decision && !decision.allowed) {
      await write(trial, {
        phase: "Failed",
        reason: "Forbidden",
        message: decision.message,
        completionTime: now,
      });
      return;
    }
    const as = deps.impersonate ? requester : undefined;
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
            attempt: ctx.attempt,
          },
          collectorImage: deps.collectorImage,
        }),
        as,
      );
    } catch (err) {
      // Impersonating, the API server's own refusal of the requester is the answer.
      if (as && statusCodeOf(err) === 403) {
        // Remembered before the Trial's status is written, so the TuningJob starts no more trials.
        const refusal = deps.access?.refused(namespace, as, JOB_WORKLOAD, errorText(err));
        await write(trial, {
          phase: "Failed",
          reason: "Forbidden",
          message: refusal && !refusal.allowed ? refusal.message : errorText(err),
          completionTime: now,
        });
        return;
      }
      if (!isTerminal(err)) throw err;
      // The API server refused the rendered Job: retrying cannot help, the trial fails.
      await write(trial, {
        phase: "Failed",
        reason: "InvalidJobTemplate",
        message: err instanceof Error ? err.message.slice(0, 1024) : String(err),
        completionTime: now,
      });
      return;
    }
    await write(trial, {
      phase: "Pending",
      jobName: ctx.jobName,
      reason: "JobCreated",
      message:
        ctx.attempt > 1
          ? `attempt ${ctx.attempt}: waiting for the trial's pod`
          : "waiting for the trial's pod",
    });
  }

  /** The Job ended (on its own: a stop request that came after it finished changes nothing). */
  async function concludeEnded(ctx: TrialContext, ending: TrialEnding, log: Logger): Promise<void> {
    const { trial, spec, namespace, key, pod, job, now, primary } = ctx;
    const followed = followers.snapshot(key);
    followers.stop(key);
    const final = await deps.collectFinal({ namespace, pod, spec, primaryContainer: primary });
    if (ending.kind === "Preempted" && mayRetryPreempted(spec, ctx.attempt)) {
      // An evicted pod is often deleted before its log can be read, and a reconcile that still
      // sees this attempt's status (a stale cache) decides again with no follower: keep the
      // most that was seen, the status's own record of it included.
      const recorded = {
        ...emptySnapshot(),
        history: trial.status?.history ?? [],
        metrics: trial.status?.metrics ?? {},
      };
      const collected = [followed, final.snapshot]
        .filter((s) => s !== undefined)
        .map((s) => withEarlier(ctx, s))
        .reduce((most, s) => (s.history.length > most.history.length ? s : most), recorded);
      log.info({ attempt: ctx.attempt, reason: ending.reason }, "trial preempted; running it again");
      await write(
        trial,
        nextAttemptStatus({
          trialName: ctx.name,
          status: trial.status,
          attempt: ctx.attempt,
          ending,
          collected,
          objective: objectiveOf(spec, collected.metrics),
          now,
        }),
        // Decided from a stale cache, it would count this preemption again with less history.
        true,
      );
      return;
    }
    const ran = containerRunTime(pod, primary);
    const conclusion = concludeTrial(spec, {
      ending,
      collected: withEarlier(ctx, withArrivalTimes(final.snapshot, followed, ran.ranFrom)),
      ...(final.unavailable !== undefined && { unavailable: final.unavailable }),
      ...ran,
    });
    log.debug({ phase: conclusion.phase, metrics: conclusion.metrics }, "trial finished");
    await write(trial, {
      ...concludedStatus(spec, conclusion),
      jobName: ctx.jobName,
      startTime: trial.status?.startTime ?? timeText(job?.status?.startTime) ?? now,
      completionTime: timeText(job?.status?.completionTime) ?? now,
    });
  }

  /** The pod can never start (no such image and no pulling): fail now rather than at trialTimeout. */
  async function failToStart(ctx: TrialContext, reason: string, detail: string): Promise<void> {
    const { trial, spec, namespace, key, now } = ctx;
    await writes.deleteJob(namespace, ctx.jobName);
    followers.stop(key);
    const conclusion = concludeTrial(spec, {
      ending: { kind: "CouldNotStart", reason, detail: detail.slice(0, 1024) },
      collected: emptySnapshot(),
    });
    await write(trial, { ...concludedStatus(spec, conclusion), jobName: ctx.jobName, completionTime: now });
  }

  /** Pending or running: follow the metrics log while it runs, for early stopping. */
  async function followActive(ctx: TrialContext, transientProblem: string | undefined): Promise<void> {
    const { trial, spec, namespace, key, pod, now, primary } = ctx;
    const podPhase = pod?.status?.phase;
    // The pod ended and the Job controller has not yet said how (its condition follows within
    // seconds): nothing new to report, and "Pending" would send a running trial back.
    if (podPhase === "Succeeded" || podPhase === "Failed") return;
    const running = podPhase === "Running";
    // TerminationMessage has no log to follow: its values come only at the end.
    const logContainer = metricsLogContainer(spec, primary);
    if (running && pod?.metadata?.name && logContainer) {
      followers.ensure(key, { namespace, pod: pod.metadata.name, container: logContainer, spec }, () =>
        deps.enqueue(key),
      );
    }
    const followed = followers.snapshot(key);
    const snapshot = followed && withEarlier(ctx, followed);
    await write(trial, {
      phase: running ? "Running" : "Pending",
      jobName: ctx.jobName,
      reason: running ? "PodRunning" : "PodPending",
      message: running
        ? "the training is running"
        : (transientProblem ?? pod?.status?.reason ?? "waiting for the trial's pod"),
      ...(running && { startTime: trial.status?.startTime ?? timeText(pod?.status?.startTime) ?? now }),
      ...(snapshot && { history: snapshot.history, metrics: snapshot.metrics }),
    });
  }

  return async function reconcile(
    key: string,
    log: Logger,
  ): Promise<{ requeueAfterMs?: number } | undefined> {
    const ctx = contextOf(key);
    if (!ctx) return undefined;
    const ending = ctx.job && jobEnding(ctx.job, ctx.pod, ctx.primary);
    if (ending) await concludeEnded(ctx, ending, log);
    else if (ctx.trial.spec.stop) await stopTrial(ctx, ctx.trial.spec.stop);
    else if (!ctx.job) await createTrialJob(ctx);
    else {
      const cannotStart = podStartFailure(ctx.pod);
      if (cannotStart?.permanent) await failToStart(ctx, cannotStart.reason, cannotStart.message);
      else await followActive(ctx, cannotStart?.message);
      await deleteEarlierJobs(ctx);
    }
    return undefined;
  };
}

/** A follower that began later than this after the container started (an operator restart) saw old reports as new. */
const FOLLOWED_FROM_START_MS = 5_000;

/** The final read's reports with the times the live follower saw them arrive, when it watched them all come. */
function withArrivalTimes(
  final: MetricsSnapshot,
  followed: (MetricsSnapshot & { followingSince?: number }) | undefined,
  ranFrom: number | undefined,
): MetricsSnapshot {
  const { firstReportAt, lastReportAt, followingSince } = followed ?? {};
  const fromStart =
    ranFrom !== undefined &&
    followingSince !== undefined &&
    followingSince <= ranFrom + FOLLOWED_FROM_START_MS;
  if (!followed || !fromStart || followed.reportCount !== final.reportCount || firstReportAt === undefined)
    return final;
  return { ...final, firstReportAt, ...(lastReportAt !== undefined && { lastReportAt }) };
}
