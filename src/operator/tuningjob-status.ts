/**
 * The TuningJob's status, computed in memory from the engine's plan. The
 * controller compares it with what is stored and writes only a difference.
 */
import type { JobPhase, RetentionStatus, TrialSummary, TuningJobStatus } from "../api/index.js";
import type { Plan, RankedTrial } from "../engine/index.js";
import { conditionIsTrue, setCondition } from "./conditions.js";
import { trialName } from "./labels.js";
import { readyCondition, STALLED, stalledCondition } from "./ready-condition.js";

/** Keeps the status small however large the front grows (etcd caps an object at ~1.5 MiB). */
export const MAX_PARETO_FRONT_IN_STATUS = 50;

function summary(jobName: string, ranked: RankedTrial): TrialSummary {
  return {
    name: trialName(jobName, ranked.index),
    index: ranked.index,
    parameters: ranked.parameters,
    metrics: ranked.metrics,
    objectiveValue: ranked.objectiveValue,
  };
}

export interface StatusInput {
  jobName: string;
  generation: number | undefined;
  current: TuningJobStatus | undefined;
  plan: Plan;
  maxTrials: number;
  suspended: boolean;
  seed: number;
  now: string;
  /** spec.trialRetention's record, as engine/retention.ts left it. */
  retention?: RetentionStatus | undefined;
}

export function tuningJobStatus(input: StatusInput): TuningJobStatus {
  const { plan, current, now, generation } = input;
  // A spec that was Invalid and is now valid is no longer stalled.
  let conditions = (current?.conditions ?? []).filter((c) => c.type !== "Invalid" && c.type !== STALLED);
  const done = plan.completion;
  const finished = plan.counts.created - plan.counts.active;
  const set = (type: string, status: "True" | "False", reason: string, message: string) => {
    conditions = setCondition(conditions, { type, status, reason, message }, now, generation);
  };
  let phase: JobPhase;
  if (done) {
    set("Running", "False", done.reason, done.message);
    set(done.succeeded ? "Complete" : "Failed", "True", done.reason, done.message);
    if (!done.succeeded)
      conditions = setCondition(conditions, stalledCondition(done.reason, done.message), now, generation);
    phase = done.succeeded ? "Complete" : "Failed";
  } else if (input.suspended) {
    set("Suspended", "True", "Suspended", "spec.suspend is true: no new trials start");
    set("Running", "False", "Suspended", plan.message);
    phase = "Suspended";
  } else {
    if (conditionIsTrue(conditions, "Suspended"))
      set("Suspended", "False", "Resumed", "spec.suspend is false");
    set("Running", "True", plan.counts.created > 0 ? "TrialsRunning" : "Starting", plan.message);
    phase = plan.counts.created > 0 || plan.create.length > 0 ? "Running" : "Pending";
  }
  conditions = setCondition(conditions, readyCondition(phase, plan.message), now, generation);
  return {
    ...(generation !== undefined && { observedGeneration: generation }),
    phase,
    conditions,
    trials: {
      ...plan.counts,
      created: plan.counts.created + plan.create.length,
      active: plan.counts.active + plan.create.length,
    },
    progress: `${finished}/${input.maxTrials}`,
    seed: input.seed,
    strategy: plan.strategy,
    ...(plan.best && { bestTrial: summary(input.jobName, plan.best) }),
    ...(plan.hypervolume !== undefined && { paretoHypervolume: plan.hypervolume }),
    ...(plan.paretoFront && {
      paretoFront: plan.paretoFront
        .slice(0, MAX_PARETO_FRONT_IN_STATUS)
        .map((r) => summary(input.jobName, r)),
    }),
    ...(input.retention && { retention: input.retention }),
    startTime: current?.startTime ?? now,
    ...((current?.completionTime || done) && { completionTime: current?.completionTime ?? now }),
    message: plan.message,
  };
}

/** Status for a spec the operator cannot run: only the Invalid condition changes. */
export function invalidStatus(
  current: TuningJobStatus | undefined,
  errors: string[],
  generation: number | undefined,
  now: string,
): TuningJobStatus {
  const message = errors.join("; ");
  const invalid = setCondition(
    current?.conditions ?? [],
    { type: "Invalid", status: "True", reason: "InvalidSpec", message },
    now,
    generation,
  );
  const stalled = setCondition(invalid, stalledCondition("InvalidSpec", message), now, generation);
  const conditions = setCondition(stalled, readyCondition("Invalid", message), now, generation);
  return {
    ...current,
    ...(generation !== undefined && { observedGeneration: generation }),
    phase: "Invalid",
    conditions,
    message,
  };
}
