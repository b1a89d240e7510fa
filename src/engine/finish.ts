/**
 * The one function that concludes a finished trial, for both backends: from
 * how its workload ended (as the backend saw it), whether the engine had
 * asked it to stop, and what its output said, to the phase, reason, message,
 * metrics and history that are recorded.
 */
import type { MetricReport, TrialPhase, TuningJobSpec } from "../api/index.js";
import { objectivesOf, reduceMetrics } from "../api/index.js";
import type { MetricsSnapshot } from "../metrics/accumulator.js";

/** How a trial's workload ended. */
export type TrialEnding =
  /** It exited successfully on its own (a stop request that came too late changes nothing). */
  | { kind: "Exited" }
  /** It failed: `detail` says how, e.g. "exited with code 2" or "killed by SIGKILL". */
  | { kind: "Failed"; detail: string }
  | { kind: "TimedOut" }
  /** It never ran: `reason` is the backend's (StartFailed, ErrImageNeverPull…). */
  | { kind: "CouldNotStart"; reason: string; detail: string }
  /** The backend stopped it because the engine asked (`stop`). */
  | { kind: "Stopped" }
  /**
   * It was disrupted, not broken: evicted, preempted, its node lost or
   * drained (`reason`: the pod's DisruptionTarget reason, or the signal).
   * Concluded only once retries are used up (see `attempts.ts`).
   */
  | { kind: "Preempted"; reason: string; detail: string };

export interface StopRequest {
  reason: string;
  message: string;
  /** The step the decision was made at: reports after it are not part of the result. */
  step?: number;
}

export interface TrialConclusionInput {
  ending: TrialEnding;
  stop?: StopRequest;
  collected: MetricsSnapshot;
  /** Why the backend could not read the trial's metrics at all, if it could not. */
  unavailable?: string;
  /** When the workload ran (ms since the epoch), for noticing output that all came at the end. */
  ranFrom?: number;
  ranUntil?: number;
}

export interface TrialConclusion {
  phase: Extract<TrialPhase, "Succeeded" | "Failed" | "EarlyStopped" | "MetricsUnavailable" | "Preempted">;
  reason: string;
  message: string;
  metrics: Record<string, number>;
  history: MetricReport[];
}

/** Runs shorter than this are too short to tell buffered output from a quick script. */
const BUFFERED_MIN_RUN_MS = 10_000;

export function concludeTrial(spec: TuningJobSpec, input: TrialConclusionInput): TrialConclusion {
  const { ending, collected } = input;
  const base = { metrics: collected.metrics, history: collected.history };
  const notes = [rejectionNote(collected), bufferedNote(spec, input)].join("");
  switch (ending.kind) {
    case "Stopped": {
      const stop = input.stop ?? { reason: "Stopped", message: "the trial was stopped" };
      const kept = stop.step === undefined ? base : cutAtStep(spec, collected.history, stop.step);
      return { phase: "EarlyStopped", reason: stop.reason, message: stop.message + notes, ...kept };
    }
    case "TimedOut":
      return {
        phase: "Failed",
        reason: "Timeout",
        message: `stopped after trialTimeout (${spec.limits.trialTimeout ?? "unset"})${notes}`,
        ...base,
      };
    case "CouldNotStart":
      return { phase: "Failed", reason: ending.reason, message: ending.detail + notes, ...base };
    case "Failed":
      return { phase: "Failed", reason: "Error", message: ending.detail + notes, ...base };
    case "Preempted":
      return {
        phase: "Preempted",
        reason: ending.reason,
        message: `${ending.detail}; preempted more often than maxPreemptionRetries (${spec.limits.maxPreemptionRetries})${notes}`,
        ...base,
      };
    case "Exited": {
      const missing = objectivesOf(spec)
        .map((o) => o.name)
        .filter((name) => collected.metrics[name] === undefined);
      if (missing.length === 0)
        return { phase: "Succeeded", reason: "Completed", message: `the trial finished${notes}`, ...base };
      const why = input.unavailable ? ` (${input.unavailable})` : "";
      return {
        phase: "MetricsUnavailable",
        reason: "ObjectiveNotReported",
        message: `the trial ended without reporting ${missing.join(", ")}${why}${notes}`,
        ...base,
      };
    }
  }
}

/**
 * The history up to the step a stop was decided at, and metrics reduced over
 * it. Steps are as early stopping sees them: a report's own step, else its
 * position among the reports of the first objective.
 */
function cutAtStep(
  spec: TuningJobSpec,
  history: readonly MetricReport[],
  step: number,
): { history: MetricReport[]; metrics: Record<string, number> } {
  const primary = objectivesOf(spec)[0]?.name ?? "";
  const kept: MetricReport[] = [];
  let ordinal = 0;
  for (const report of history) {
    const value = report.values[primary];
    if (value !== undefined && Number.isFinite(value)) ordinal += 1;
    if ((report.step ?? ordinal) > step) break;
    kept.push(report);
  }
  return { history: kept, metrics: reduceMetrics(spec, kept) };
}

function rejectionNote(collected: MetricsSnapshot): string {
  if (collected.rejectedCount === 0) return "";
  return `; ${collected.rejectedCount} metric values rejected: ${collected.lastRejections.join("; ")}`;
}

/**
 * Says so when every report arrived at the very end of a long run: output held
 * back in a buffer. A termination message holds final values only, by design.
 */
function bufferedNote(spec: TuningJobSpec, input: TrialConclusionInput): string {
  if (spec.metrics.collector === "TerminationMessage") return "";
  const { collected, ranFrom, ranUntil } = input;
  const first = collected.firstReportAt;
  if (collected.reportCount < 2 || first === undefined || ranFrom === undefined || ranUntil === undefined)
    return "";
  const ran = ranUntil - ranFrom;
  const tail = ranUntil - first;
  if (ran < BUFFERED_MIN_RUN_MS || tail > Math.max(1_000, ran * 0.05)) return "";
  const stopping = spec.earlyStopping.rule === "None" ? "" : ", so early stopping could not act on them";
  return (
    `; all ${collected.reportCount} reports arrived in the last ${(tail / 1000).toFixed(1)}s of a ` +
    `${(ran / 1000).toFixed(0)}s run: the output looks block-buffered (flush after each report, ` +
    `or PYTHONUNBUFFERED=1 for Python)${stopping}`
  );
}
