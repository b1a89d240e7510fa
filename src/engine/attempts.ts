/**
 * A preempted trial runs again as a new attempt of the same index, and the
 * engine must see one trial, not two: these are the rules for both backends
 * (whether to retry, and how the attempts' reports join up). Pure.
 */
import type { MetricReport, TuningJobSpec } from "../api/index.js";
import { reduceMetrics } from "../api/index.js";
import type { MetricsSnapshot } from "../metrics/accumulator.js";

/** The attempt that was just preempted may run again: retries are not used up. */
export function mayRetryPreempted(spec: TuningJobSpec, attempt: number): boolean {
  return attempt <= spec.limits.maxPreemptionRetries;
}

/**
 * The reports of a trial across attempts. A resumed attempt that reports
 * steps continues the earlier ones: earlier reports at or after its first
 * step, and earlier ones without a step, are dropped (it redoes them from
 * its checkpoint). An attempt without
 * steps cannot be lined up, so its reports replace the earlier ones (it is
 * taken to have started over). Before the new attempt reports anything, the
 * earlier reports stand.
 */
export function mergeAttemptHistory(
  earlier: readonly MetricReport[],
  current: readonly MetricReport[],
): MetricReport[] {
  const first = current[0];
  if (!first) return [...earlier];
  if (first.step === undefined) return [...current];
  const from = first.step;
  return [...earlier.filter((r) => r.step !== undefined && r.step < from), ...current];
}

/** A snapshot of the current attempt joined with the earlier attempts' reports, metrics reduced over all. */
export function withEarlierAttempts(
  spec: TuningJobSpec,
  earlier: readonly MetricReport[],
  current: MetricsSnapshot,
): MetricsSnapshot {
  if (earlier.length === 0) return current;
  const history = mergeAttemptHistory(earlier, current.history);
  return { ...current, history, metrics: reduceMetrics(spec, history) };
}
