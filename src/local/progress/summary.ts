/** The end-of-run report for people: how the job ended, the best trial, a table of the top trials. */
import type { RunOutcome } from "../reporter.js";
import type { LocalTrial } from "../types.js";
import { formatElapsed, formatNumber, formatParameters, formatValue } from "./format.js";
import { displayPath } from "./trialLines.js";

export function formatSummary(outcome: RunOutcome, top = 10): string {
  const lines: string[] = [];
  const finished = outcome.trials.filter((t) => t.phase !== "Running" && t.phase !== "Pending").length;
  lines.push(
    `${outcome.name}: ${outcome.status} (${outcome.reason}) after ${formatElapsed(outcome.elapsedMs)}, ` +
      `${finished} trial(s) finished: ${outcome.message}`,
  );
  if (outcome.best) {
    lines.push(
      `best: trial ${outcome.best.index} ${outcome.objectiveName}=${formatNumber(outcome.best.objectiveValue)} ` +
        formatParameters(outcome.best.parameters),
    );
  }
  const ranked = rankForTable(outcome);
  if (ranked.length > 0) {
    lines.push("", ...table(ranked.slice(0, top), outcome));
    if (ranked.length > top) lines.push(`… ${ranked.length - top} more; all results in trials.jsonl`);
  }
  lines.push("", `state: ${displayPath(outcome.stateDir)} (trial output in trials/<index>.log)`);
  if (outcome.status === "Interrupted") {
    lines.push(`resume with: hypertune run ${displayPath(outcome.file)} --resume${stateDirFlag(outcome)}`);
  }
  return `${lines.join("\n")}\n`;
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

function table(trials: LocalTrial[], outcome: RunOutcome): string[] {
  const parameterNames = [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
  const header = ["trial", outcome.objectiveName, "phase", ...parameterNames];
  const rows = trials.map((t) => {
    const objective = t.metrics?.[outcome.objectiveName];
    const phase = t.phase === "Running" || t.phase === "Pending" ? "Interrupted" : t.phase;
    return [
      String(t.index),
      objective === undefined ? "-" : formatNumber(objective),
      phase,
      ...parameterNames.map((n) => {
        const v = t.parameters[n];
        return v === undefined ? "-" : formatValue(v);
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [render(header), ...rows.map(render)];
}
