/**
 * A trial as the pure core sees it: what was tried, where it stands, and what
 * it reported. Both backends build these from their own state (Trial objects
 * or the local state file) and hand them to the engine.
 */
import type { ParameterValues } from "./parameters.js";
import type { TrialPhase } from "./status.js";

/** One intermediate report: the values a trial printed together, at an optional step. */
export interface MetricReport {
  step?: number;
  values: Record<string, number>;
}

export interface TrialObservation {
  /** Position in the search; trial names are `<job>-<index>`. */
  index: number;
  parameters: ParameterValues;
  phase: TrialPhase;
  /** Reports in the order they were made (the oldest may have been dropped to bound size). */
  history: MetricReport[];
  /** Final values per metric, reduced over every report; derived from `history` when absent. */
  metrics?: Record<string, number>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** When its workload first ran (its pod started, its process spawned): GPU time counts from here. */
  startedAt?: number;
  finishedAt?: number;
  /** The engine already asked this trial to stop. */
  stopRequested?: boolean;
}

export const ACTIVE_PHASES: readonly TrialPhase[] = ["Pending", "Running"];

export function isActive(trial: Pick<TrialObservation, "phase">): boolean {
  // Not ACTIVE_PHASES.includes: this runs for every trial of every plan.
  return trial.phase === "Pending" || trial.phase === "Running";
}

/** The trial ended without a result a strategy can learn from (Failed, MetricsUnavailable, Preempted). */
export function endedWithoutResult(trial: Pick<TrialObservation, "phase">): boolean {
  return trial.phase === "Failed" || trial.phase === "MetricsUnavailable" || trial.phase === "Preempted";
}

/** A normalised objective: `objective.metric` and `objective.metrics` both become a list of these. */
export interface ObjectiveSpec {
  name: string;
  direction: "Minimize" | "Maximize";
  reduction: "Last" | "Min" | "Max";
}
