import type { MetricReport, TrialPhase, TuningJobSpec } from "../api/index.js";
import { objectivesOf, reduceMetrics } from "../api/index.js";

export interface FinishedTrial {
  phase: Extract<TrialPhase, "Succeeded" | "Failed" | "MetricsUnavailable">;
  metrics: Record<string, number>;
  reason: string;
  message: string;
}

/**
 * Decides how a trial that ran to its end is recorded, the same way on both
 * backends: a failed process is Failed; a successful one without every
 * objective reported is MetricsUnavailable.
 */
export function finishTrial(
  spec: TuningJobSpec,
  exitedOk: boolean,
  history: readonly MetricReport[],
): FinishedTrial {
  return classifyFinishedTrial(spec, exitedOk, reduceMetrics(spec, history));
}

/** The same decision from metrics already reduced (by a backend that streams reports and keeps only a few). */
export function classifyFinishedTrial(
  spec: TuningJobSpec,
  exitedOk: boolean,
  metrics: Record<string, number>,
): FinishedTrial {
  if (!exitedOk) return { phase: "Failed", metrics, reason: "Error", message: "the training process failed" };
  const missing = objectivesOf(spec)
    .map((o) => o.name)
    .filter((name) => metrics[name] === undefined);
  if (missing.length > 0) {
    return {
      phase: "MetricsUnavailable",
      metrics,
      reason: "ObjectiveNotReported",
      message: `the trial ended without reporting ${missing.join(", ")}`,
    };
  }
  return { phase: "Succeeded", metrics, reason: "Completed", message: "the trial finished" };
}
