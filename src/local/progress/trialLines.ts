/** The one-line descriptions of trial events shared by the plain and live displays. */
import { relative } from "node:path";
import { endedWithoutResult } from "../../api/index.js";
import { describeWarmStart } from "../../engine/index.js";
import type { RunInfo } from "../reporter.js";
import type { LocalTrial } from "../types.js";
import { formatElapsed, formatMetrics, formatParameters } from "./format.js";

/** What `suspend` means locally, said when it turns on or off. */
export function suspendedLine(context: { suspended: boolean; running: number; file: string }): string {
  if (!context.suspended) return "resumed: spec.suspend is false, new trials start again";
  const running = context.running > 0 ? `${context.running} running trial(s) finish, ` : "";
  return (
    `suspended: ${running}no new trial starts; set suspend: false in ${context.file} to go on, ` +
    "or press Ctrl-C and later run again with --resume"
  );
}

export function beginLines(info: RunInfo): string[] {
  const lines = [
    `hypertune: running ${info.name}, up to ${info.maxTrials} trials, ${info.parallelism} at a time, seed ${info.seed}, ` +
      `strategy ${strategyText(info)}${info.gpus ? `, GPUs ${info.gpus.join(",")}` : ""}`,
    `state: ${displayPath(info.stateDir)}`,
  ];
  for (const note of info.notes) lines.push(`note: ${note}`);
  if (info.warmStart) {
    const from = info.warmStart.from.map(displayPath).join(", ");
    lines.push(`warm start from ${from}: ${describeWarmStart(info.warmStart)}`);
  }
  if (info.resumedFinished > 0 || info.resumedInterrupted > 0) {
    lines.push(
      `resuming: ${info.resumedFinished} finished trial(s) kept, ${info.resumedInterrupted} interrupted trial(s) run again` +
        (info.previousElapsedMs > 0 ? `, ${formatElapsed(info.previousElapsedMs)} already spent` : ""),
    );
  }
  return lines;
}

/** `Auto → TPE` when Auto chose, else the strategy named in the spec. */
function strategyText(info: RunInfo): string {
  return info.requestedStrategy === info.strategy
    ? info.strategy
    : `${info.requestedStrategy} → ${info.strategy}`;
}

export function startedLine(
  trial: LocalTrial,
  context: { restarted: boolean; attempt?: number; cudaVisibleDevices?: string },
): string {
  const gpu = context.cudaVisibleDevices ? ` on GPU ${context.cudaVisibleDevices}` : "";
  const again =
    (context.attempt ?? 1) > 1
      ? ` (attempt ${context.attempt}, after a preemption)`
      : context.restarted
        ? " (again, after an interruption)"
        : "";
  return `trial ${trial.index} started ${formatParameters(trial.parameters)}${gpu}${again}`;
}

export function preemptedLine(trial: LocalTrial, context: { attempt: number; message: string }): string {
  return `trial ${trial.index} preempted (attempt ${context.attempt}): ${context.message}; it runs again`;
}

export function finishedLine(
  trial: LocalTrial,
  context: { isBest: boolean; logPath: string },
  objectiveName: string,
): string {
  const metrics = formatMetrics(trial.metrics, objectiveName);
  let line = `trial ${trial.index} ${trial.phase}${metrics ? ` ${metrics}` : ""}`;
  if (context.isBest) line += " (best)";
  if (endedWithoutResult(trial)) {
    line += `: ${trial.message ?? trial.reason ?? ""} (log: ${displayPath(context.logPath)})`;
  } else if (trial.phase === "EarlyStopped" && trial.message) {
    line += `: ${trial.message}`;
  }
  return line;
}

/** Relative to the cwd when that is shorter, so lines stay readable. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("../..") && rel.length < path.length ? rel : path;
}
