/**
 * Reconciles one TuningJob: reads it and its Trials from the caches, asks the
 * engine what to do, creates and stops Trials, and writes the status once.
 * Level-triggered: every call recomputes everything from the cluster state.
 */
import type { Logger } from "pino";
import { parseDurationSeconds, parseTuningJob, type TuningJob, type TuningJobSpec } from "../api/index.js";
import {
  describeWarmStart,
  objectivesOf,
  type Plan,
  plan,
  retainTrials,
  retiredTotal,
  retiredTrials,
  summarizeWarmStart,
} from "../engine/index.js";
import type { StrategyMemo } from "../strategies/index.js";
import { type AccessGate, JOB_WORKLOAD } from "./access.js";
import { conditionIsTrue } from "./conditions.js";
import type { Caches, ClusterWrites, EventSink } from "./deps.js";
import { JOB_LABEL, trialName } from "./labels.js";
import { requesterOf } from "./requester.js";
import { seedFromUid } from "./seed.js";
import { statusChanged } from "./status-diff.js";
import { trialObject } from "./trial-object.js";
import { observeTrial } from "./trial-observation.js";
import { invalidStatus, tuningJobStatus } from "./tuningjob-status.js";

export interface TuningJobReconcilerDeps {
  caches: Caches;
  writes: ClusterWrites;
  events: EventSink;
  now(): Date;
  /** Seconds the engine took to plan, for the suggestion-latency metric. */
  observePlan?(seconds: number): void;
  /** Multi-tenancy: trials start only while the job's requester may create Jobs themselves. */
  access?: AccessGate;
}

export function createTuningJobReconciler(deps: TuningJobReconcilerDeps) {
  const { caches, writes, events } = deps;
  // Trials created but not yet seen in the cache. While any is outstanding,
  // the plan would be made from a stale list, so we wait for the informer.
  const expected = new Map<string, Set<string>>();
  // Likewise the trials retired in a status write (spec.trialRetention) not yet seen in the cache:
  // planning from the older status would count their deleted Trials as never created.
  const retiredWritten = new Map<string, number>();
  // Each job's strategy scratch space (engine/plan.ts): saves work, never changes a plan, so losing
  // it on a restart or a replaced TuningJob only costs one slower plan. Keyed by uid as well, so a
  // job deleted and created again under the same name starts afresh.
  const memos = new Map<string, { uid: string | undefined; memo: StrategyMemo }>();
  const memoOf = (key: string, uid: string | undefined): StrategyMemo => {
    let entry = memos.get(key);
    if (!entry || entry.uid !== uid) {
      entry = { uid, memo: new Map() };
      memos.set(key, entry);
    }
    return entry.memo;
  };

  return async function reconcile(
    key: string,
    log: Logger,
  ): Promise<{ requeueAfterMs?: number } | undefined> {
    const [namespace = "", name = ""] = key.split("/");
    const stored = caches.tuningJobs.get(namespace, name);
    if (!stored) {
      expected.delete(key);
      retiredWritten.delete(key);
      memos.delete(key);
      return undefined;
    }
    const now = deps.now();
    const nowText = now.toISOString();
    const generation = stored.metadata.generation;
    const parsed = parseTuningJob(stored);
    if (!parsed.ok) {
      const status = invalidStatus(stored.status, parsed.errors, generation, nowText);
      if (statusChanged(stored.status, status)) {
        events.record(stored, "Warning", "InvalidSpec", status.message ?? "");
        await writes.patchTuningJobStatus(namespace, name, status);
      }
      return undefined;
    }
    const job = parsed.value;
    const trials = caches.trials.byLabel(JOB_LABEL, name, namespace);
    const outstanding = expected.get(key);
    if (outstanding) {
      for (const t of trials) outstanding.delete(t.metadata.name);
      if (outstanding.size > 0) return { requeueAfterMs: 1000 };
      expected.delete(key);
    }
    const written = retiredWritten.get(key);
    if (written !== undefined) {
      if (retiredTotal(stored.status?.retention) < written) return { requeueAfterMs: 1000 };
      retiredWritten.delete(key);
    }

    const seed = job.spec.search.seed ?? job.status?.seed ?? seedFromUid(job.metadata.uid ?? name);
    const spec: TuningJobSpec = { ...job.spec, search: { ...job.spec.search, seed } };
    const finishedBefore =
      conditionIsTrue(job.status?.conditions, "Complete") ||
      conditionIsTrue(job.status?.conditions, "Failed");
    const startedAt = job.status?.startTime ? Date.parse(job.status.startTime) : now.getTime();
    const planStarted = performance.now();
    // Warm start: finished trials of the named earlier TuningJobs in this namespace.
    const priors = spec.search.warmStartFrom.flatMap((earlier) =>
      caches.trials.byLabel(JOB_LABEL, earlier, namespace).map(observeTrial),
    );
    const retention = retainTrials(
      spec,
      objectivesOf(spec),
      trials.map(observeTrial),
      job.status?.retention,
      finishedBefore,
    );
    // Auto's choice, once in the status, holds for the rest of the job (a raised maxTrials must not switch it).
    const next = plan(
      spec,
      retention.kept,
      now.getTime(),
      startedAt,
      priors,
      job.status?.strategy,
      memoOf(key, job.metadata.uid),
      retiredTrials(retention.state),
    );
    deps.observePlan?.((performance.now() - planStarted) / 1000);
    // Said once, on the first plan (no status yet): a warm start that loads nothing must not go unnoticed.
    const earlierJobs = spec.search.warmStartFrom;
    if (earlierJobs.length > 0 && !job.status?.startTime) {
      const loaded = describeWarmStart(summarizeWarmStart(priors, spec));
      events.record(stored, "Normal", "WarmStart", `warm start from ${earlierJobs.join(", ")}: ${loaded}`);
    }
    // A finished job stays finished; it only makes sure nothing of it still runs.
    let create = finishedBefore ? [] : next.create;
    let forbidden: string | undefined;
    if (create.length > 0 && deps.access) {
      const decision = await deps.access.check(namespace, requesterOf(stored.metadata), JOB_WORKLOAD);
      if (!decision.allowed) {
        forbidden = decision.message;
        create = [];
      }
    }

    for (const c of create) {
      const trial = trialObject(name, namespace, job.metadata.uid ?? "", c.index, c.parameters);
      await writes.createTrial(namespace, trial);
      if (!expected.has(key)) expected.set(key, new Set());
      expected.get(key)?.add(trial.metadata.name);
    }
    for (const s of next.stop) {
      await writes.patchTrialSpec(namespace, trialName(name, s.index), {
        stop: { reason: s.reason, message: s.message, ...(s.step !== undefined && { step: s.step }) },
      });
    }
    if (create.length > 0) log.debug({ created: create.map((c) => c.index) }, "trials created");

    // A finished job still observes a new generation (GitOps tools wait for
    // observedGeneration), but an edit does not restart it.
    const status = finishedBefore
      ? { ...job.status, ...(generation !== undefined && { observedGeneration: generation }) }
      : tuningJobStatus({
          jobName: name,
          generation,
          current: job.status,
          plan: forbidden === undefined ? { ...next, create } : forbiddenPlan(next, forbidden),
          maxTrials: spec.limits.maxTrials,
          suspended: spec.suspend,
          seed,
          now: nowText,
          retention: retention.state,
        });
    if (statusChanged(job.status, status)) {
      if (forbidden !== undefined) events.record(stored, "Warning", "Forbidden", forbidden);
      const edited = specEdit(job.status, generation, spec, finishedBefore, name);
      if (edited) events.record(stored, "Normal", "SpecChanged", edited);
      announce(events, stored, job.status?.phase, status.phase, status.message ?? "");
      await writes.patchTuningJobStatus(namespace, name, status);
      if (retiredTotal(status.retention) > retiredTotal(job.status?.retention))
        retiredWritten.set(key, retiredTotal(status.retention));
    }
    // Only once the status records them: a restart before this deletes them again, never counts them twice.
    for (const index of retention.retire) await writes.deleteTrial(namespace, trialName(name, index));
    return requeueForDeadline(spec, startedAt, now.getTime(), finishedBefore || !!next.completion);
  };
}

/**
 * No new trial may start: running ones finish; once none runs, the job fails
 * with reason Forbidden. The reason is in the status message either way.
 */
function forbiddenPlan(next: Plan, why: string): Plan {
  if (next.counts.active > 0)
    return { ...next, create: [], message: `${next.message}; no new trials: ${why}` };
  return { ...next, create: [], completion: { reason: "Forbidden", succeeded: false, message: why } };
}

/**
 * What an edit of a running job's spec (a new generation) changes, for an
 * Event: the editable parts take effect at once; a finished job stays
 * finished. (objective, parameters and search cannot change: the CRD refuses.)
 */
function specEdit(
  status: TuningJob["status"],
  generation: number | undefined,
  spec: TuningJobSpec,
  finished: boolean,
  name: string,
): string | undefined {
  const seen = status?.observedGeneration;
  if (seen === undefined || generation === undefined || generation === seen) return undefined;
  if (finished)
    return (
      `generation ${generation}: the job is ${status?.phase} and stays so; to search further, create a new ` +
      `TuningJob with search.warmStartFrom: [${name}]`
    );
  const { maxTrials, parallelism } = spec.limits;
  return (
    `generation ${generation} in effect: maxTrials ${maxTrials}, parallelism ${parallelism}, ` +
    `suspend ${spec.suspend}; trials started from now on use the current trialTemplate and earlyStopping`
  );
}

/** Events for the transitions a user watches for in `kubectl describe`. */
function announce(
  events: EventSink,
  job: Parameters<EventSink["record"]>[0],
  before: string | undefined,
  after: string | undefined,
  message: string,
) {
  if (before === after || after === undefined) return;
  if (after === "Running") events.record(job, "Normal", "Started", message);
  else if (after === "Complete") events.record(job, "Normal", "Completed", message);
  else if (after === "Failed") events.record(job, "Warning", "Failed", message);
  else if (after === "Suspended") events.record(job, "Normal", "Suspended", message);
}

/** maxDuration needs a wake-up even when no trial changes. */
function requeueForDeadline(spec: TuningJobSpec, startedAt: number, now: number, done: boolean) {
  if (done || !spec.limits.maxDuration) return undefined;
  const budget = (parseDurationSeconds(spec.limits.maxDuration) ?? 0) * 1000;
  return { requeueAfterMs: Math.max(1000, startedAt + budget - now) };
}
