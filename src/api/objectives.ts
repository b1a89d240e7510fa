import type { MetricReport, ObjectiveSpec, TrialObservation } from "./observation.js";
import { declaredMetricNames } from "./rules.js";
import type { TuningJobSpec } from "./spec.js";

/** `objective.metric` and `objective.metrics` as one list; the first entry is the primary objective. */
export function objectivesOf(spec: TuningJobSpec): ObjectiveSpec[] {
  const o = spec.objective;
  if (o.metrics)
    return o.metrics.map((m) => ({ name: m.name, direction: m.direction, reduction: m.reduction ?? "Last" }));
  return [{ name: o.metric ?? "", direction: o.direction ?? "Maximize", reduction: o.reduction ?? "Last" }];
}

/** The reduction of one metric's reported values (the objective's own, or Last for other metrics). */
export function reduceHistory(
  history: readonly MetricReport[],
  name: string,
  reduction: ObjectiveSpec["reduction"],
): number | undefined {
  let result: number | undefined;
  for (const report of history) {
    const value = report.values[name];
    if (value === undefined || !Number.isFinite(value)) continue;
    if (result === undefined || reduction === "Last") result = value;
    else if (reduction === "Min") result = Math.min(result, value);
    else result = Math.max(result, value);
  }
  return result;
}

/** Final value of every declared metric a trial reported. */
export function reduceMetrics(spec: TuningJobSpec, history: readonly MetricReport[]): Record<string, number> {
  const reductions = new Map(objectivesOf(spec).map((o) => [o.name, o.reduction]));
  const metrics: Record<string, number> = {};
  for (const name of declaredMetricNames(spec)) {
    const value = reduceHistory(history, name, reductions.get(name) ?? "Last");
    if (value !== undefined) metrics[name] = value;
  }
  return metrics;
}

/** A trial's final metrics: those it carries, or reduced from its history. */
export function metricsOf(spec: TuningJobSpec, trial: TrialObservation): Record<string, number> {
  return trial.metrics ?? reduceMetrics(spec, trial.history);
}

/** A value as a loss to minimise, the one sign convention of the search: negated when the objective is maximised. */
export function lossOf(value: number, direction: ObjectiveSpec["direction"]): number {
  return direction === "Maximize" ? -value : value;
}

/** A trial's losses, one per objective (NaN where one is missing): what dominance and hypervolume compare. */
export function lossVector(metrics: Record<string, number>, objectives: readonly ObjectiveSpec[]): number[] {
  return objectives.map((o) => lossOf(metrics[o.name] ?? Number.NaN, o.direction));
}

/** True when `a` is strictly better than `b` for the objective. */
export function isBetter(a: number, b: number, direction: ObjectiveSpec["direction"]): boolean {
  return direction === "Maximize" ? a > b : a < b;
}
