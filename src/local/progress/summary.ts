/**
 * The end-of-run report for people: how the job ended, then the results: the
 * best trial and a table of the top trials for one objective, the Pareto
 * front (every non-dominated trial) for several.
 */
import type { RunOutcome } from "../reporter.js";
import type { LocalTrial } from "../types.js";
import { formatElapsed, formatNumber, formatParameters, formatValue } from "./format.js";
import { displayPath } from "./trialLines.js";

/** Rows of the Pareto front shown; the JSON output has all of them. */
const FRONT_SHOWN = 20;

export function formatSummary(outcome: RunOutcome, top = 10): string {
  const lines: string[] = [];
  const finished = outcome.trials.filter((t) => t.phase !== "Running" && t.phase !== "Pending").length;
  lines.push(
    `${outcome.name}: ${outcome.status} (${outcome.reason}) after ${formatElapsed(outcome.elapsedMs)}, ` +
      `${finished} trial(s) finished: ${outcome.message}`,
  );
  lines.push(...(outcome.objectives.length > 1 ? frontLines(outcome) : bestLines(outcome, top)));
  lines.push("", `state: ${displayPath(outcome.stateDir)} (trial output in trials/<index>.log)`);
  if (outcome.status === "Interrupted") {
    lines.push(`resume with: hypertune run ${displayPath(outcome.file)} --resume${stateDirFlag(outcome)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** One objective: the best trial and the top trials by it. */
function bestLines(outcome: RunOutcome, top: number): string[] {
  const lines: string[] = [];
  if (outcome.best) {
    lines.push(
      `best: trial ${outcome.best.index} ${outcome.objectiveName}=${formatNumber(outcome.best.objectiveValue)} ` +
        formatParameters(outcome.best.parameters),
    );
  }
  const ranked = rankForTable(outcome);
  if (ranked.length > 0) {
    const parameterNames = parameterNamesOf(ranked.slice(0, top));
    const rows = ranked.slice(0, top).map((t) => {
      const objective = t.metrics?.[outcome.objectiveName];
      const phase = t.phase === "Running" || t.phase === "Pending" ? "Interrupted" : t.phase;
      return [
        String(t.index),
        objective === undefined ? "-" : formatNumber(objective),
        phase,
        ...parameterCells(t.parameters, parameterNames),
      ];
    });
    lines.push("", ...table(["trial", outcome.objectiveName, "phase", ...parameterNames], rows));
    if (ranked.length > top) lines.push(`… ${ranked.length - top} more; all results in trials.jsonl`);
  }
  return lines;
}

/** Several objectives: no single best, so the non-dominated trials with every objective's value. */
function frontLines(outcome: RunOutcome): string[] {
  const front = outcome.paretoFront ?? [];
  const directions = outcome.objectives.map((o) => `${o.name} ${o.direction}`).join(", ");
  const volume =
    outcome.hypervolume !== undefined ? `, hypervolume ${formatNumber(outcome.hypervolume)}` : "";
  if (front.length === 0)
    return [`Pareto front (${directions}): none yet, no trial reported every objective`];
  const lines = [`Pareto front (${directions}): ${front.length} non-dominated trial(s)${volume}`];
  const shown = front.slice(0, FRONT_SHOWN);
  const parameterNames = parameterNamesOf(shown);
  const rows = shown.map((t) => [
    String(t.index),
    ...outcome.objectives.map((o) => {
      const value = t.metrics[o.name];
      return value === undefined ? "-" : formatNumber(value);
    }),
    ...parameterCells(t.parameters, parameterNames),
  ]);
  const header = ["trial", ...outcome.objectives.map((o) => `${o.name} (${o.direction})`), ...parameterNames];
  lines.push("", ...table(header, rows));
  if (front.length > shown.length)
    lines.push(`… ${front.length - shown.length} more on the front; all of it with --output json`);
  return lines;
}

/** The `--state-dir` to repeat on resume, when it is not the default. */
function stateDirFlag(outcome: RunOutcome): string {
  const defaultDir = `${outcome.file.replace(/[^/]+$/, "")}.hypertune/${outcome.name}`;
  return outcome.stateDir === defaultDir
    ? ""
    : ` --state-dir ${displayPath(outcome.stateDir.replace(/\/[^/]+$/, ""))}`;
}

/** Trials with a result first, best first; then the rest by index. */
function rankForTable(outcome: RunOutcome): LocalTrial[] {
  const sign = outcome.objectiveDirection === "Maximize" ? -1 : 1;
  const value = (t: LocalTrial) => t.metrics?.[outcome.objectiveName];
  const scored = outcome.trials.filter((t) => t.phase === "Succeeded" && value(t) !== undefined);
  scored.sort((a, b) => sign * ((value(a) ?? 0) - (value(b) ?? 0)) || a.index - b.index);
  const rest = outcome.trials.filter((t) => !scored.includes(t));
  return [...scored, ...rest];
}

function parameterNamesOf(trials: readonly { parameters: LocalTrial["parameters"] }[]): string[] {
  return [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
}

function parameterCells(parameters: LocalTrial["parameters"], names: readonly string[]): string[] {
  return names.map((n) => {
    const v = parameters[n];
    return v === undefined ? "-" : formatValue(v);
  });
}

/** Columns padded to their widest cell; the first (the trial index) right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [render(header), ...rows.map(render)];
}
