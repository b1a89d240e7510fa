import type { ObjectiveSpec, TrialObservation, TuningJobSpec } from "../api/index.js";
import { formatDuration, isBetter, metricsOf, parseDurationSeconds } from "../api/index.js";
import type { Completion, RankedTrial, TrialCountsByPhase } from "./types.js";

export interface CompletionInput {
  spec: TuningJobSpec;
  trials: readonly TrialObservation[];
  objectives: readonly ObjectiveSpec[];
  counts: TrialCountsByPhase;
  best: RankedTrial | undefined;
  now: number;
  startedAt: number;
  /** The strategy has no more points to offer. */
  exhausted: boolean;
  /** GPU seconds used so far (engine/gpuTime.ts); needed only with limits.maxGpuHours. */
  gpuSeconds?: number;
}

/** Trials that failed to produce a result count against maxFailedTrials. */
export function failedCount(counts: TrialCountsByPhase): number {
  return counts.failed + counts.metricsUnavailable;
}

/**
 * Every way a job ends, checked in order of precedence. Returns undefined
 * while the search should go on.
 */
export function checkCompletion(input: CompletionInput): Completion | undefined {
  const { spec, counts, best, objectives } = input;
  const limits = spec.limits;
  const primary = objectives[0];

  if (failedCount(counts) > limits.maxFailedTrials) {
    return {
      reason: "MaxFailedTrialsExceeded",
      succeeded: false,
      message: `${failedCount(counts)} trials failed, more than maxFailedTrials (${limits.maxFailedTrials})`,
    };
  }
  const target = spec.objective.target;
  if (target !== undefined && best && primary && !isBetter(target, best.objectiveValue, primary.direction)) {
    return {
      reason: "TargetReached",
      succeeded: true,
      message: `trial ${best.index} reached ${primary.name}=${best.objectiveValue} (target ${target})`,
    };
  }
  const budget = limits.maxDuration === undefined ? undefined : parseDurationSeconds(limits.maxDuration);
  if (budget !== undefined && input.now - input.startedAt >= budget * 1000) {
    return withResult(
      best,
      "MaxDurationReached",
      `the job ran for its maxDuration (${formatDuration(budget)})`,
    );
  }
  if (limits.maxGpuHours !== undefined && (input.gpuSeconds ?? 0) >= limits.maxGpuHours * 3600) {
    const used = ((input.gpuSeconds ?? 0) / 3600).toFixed(2);
    return withResult(
      best,
      "MaxGpuHoursReached",
      `the trials used ${used} GPU-hours, the job's maxGpuHours (${limits.maxGpuHours})`,
    );
  }
  if (limits.stopAfterNoImprovement !== undefined && primary) {
    const since = finishedSinceLastImprovement(input);
    if (since >= limits.stopAfterNoImprovement) {
      return withResult(
        best,
        "NoImprovement",
        `${since} trials in a row finished without improving ${primary.name}`,
      );
    }
  }
  if (counts.active === 0 && counts.created >= limits.maxTrials) {
    return withResult(best, "MaxTrialsReached", `all ${limits.maxTrials} trials finished`);
  }
  if (counts.active === 0 && input.exhausted) {
    return withResult(
      best,
      "SearchSpaceExhausted",
      `every point of the search space was tried (${counts.created})`,
    );
  }
  return undefined;
}

/** A job that ends without a single successful trial has failed, whatever ended it. */
function withResult(
  best: RankedTrial | undefined,
  reason: Completion["reason"],
  message: string,
): Completion {
  if (!best)
    return { reason: "NoSuccessfulTrials", succeeded: false, message: `${message}; no trial succeeded` };
  return { reason, succeeded: true, message };
}

/** Finished trials, in the order they finished, since the last one that set a new best. */
function finishedSinceLastImprovement({ spec, trials, objectives }: CompletionInput): number {
  const primary = objectives[0];
  if (!primary) return 0;
  const finished = trials
    .filter((t) => t.phase !== "Pending" && t.phase !== "Running")
    .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || a.index - b.index);
  let bestSoFar: number | undefined;
  let since = 0;
  for (const trial of finished) {
    const value = trial.phase === "Succeeded" ? metricsOf(spec, trial)[primary.name] : undefined;
    if (value !== undefined && (bestSoFar === undefined || isBetter(value, bestSoFar, primary.direction))) {
      bestSoFar = value;
      since = 0;
    } else {
      since += 1;
    }
  }
  return since;
}
