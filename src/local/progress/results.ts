/**
 * A tuning job's results in words: the best trial and a table of the top
 * trials for one objective, the Pareto front (every non-dominated trial) for
 * several. One place for these lines, so `hypertune run`'s summary and
 * `hypertune describe` of a cluster job say the same thing the same way.
 */
import type { ParameterValues } from "../../api/index.js";
import { formatNumber, formatParameters, formatValue } from "./format.js";

export interface ResultObjective {
  name: string;
  direction: "Minimize" | "Maximize";
}

export interface ResultTrial {
  index: number;
  parameters: ParameterValues;
  /** As the table shows it (the local summary says Interrupted for an unfinished trial). */
  phase: string;
  metrics?: Record<string, number>;
}

export interface RankedResult {
  index: number;
  parameters: ParameterValues;
  metrics: Record<string, number>;
  objectiveValue: number;
}

export interface ResultsInput {
  /** Every objective, the first one first. */
  objectives: readonly ResultObjective[];
  best?: { index: number; objectiveValue: number; parameters: ParameterValues };
  paretoFront?: readonly RankedResult[];
  hypervolume?: number;
  trials: readonly ResultTrial[];
}

export interface ResultsOptions {
  /** Rows of the top-trials table. */
  top: number;
  /** Rows of the Pareto front shown. */
  frontShown: number;
  /** Where the rest is, after "… N more; ", e.g. "all results in trials.jsonl". */
  moreTrials: string;
  /** Likewise after "… N more on the front; ". */
  moreFront: string;
}

/** The lines after a job's one-line outcome: the front with several objectives, else best + table. */
export function resultLines(input: ResultsInput, options: ResultsOptions): string[] {
  return input.objectives.length > 1 ? frontLines(input, options) : bestLines(input, options);
}

/** One objective: the best trial and the top trials by it. */
function bestLines(input: ResultsInput, options: ResultsOptions): string[] {
  const objective = input.objectives[0]?.name ?? "";
  const lines: string[] = [];
  if (input.best) {
    lines.push(
      `best: trial ${input.best.index} ${objective}=${formatNumber(input.best.objectiveValue)} ` +
        formatParameters(input.best.parameters),
    );
  }
  const ranked = rankForTable(input);
  if (ranked.length > 0) {
    const shown = ranked.slice(0, options.top);
    const parameterNames = parameterNamesOf(shown);
    const rows = shown.map((t) => {
      const value = t.metrics?.[objective];
      return [
        String(t.index),
        value === undefined ? "-" : formatNumber(value),
        t.phase,
        ...parameterCells(t.parameters, parameterNames),
      ];
    });
    lines.push("", ...table(["trial", objective, "phase", ...parameterNames], rows));
    if (ranked.length > shown.length)
      lines.push(`… ${ranked.length - shown.length} more; ${options.moreTrials}`);
  }
  return lines;
}

/** Several objectives: no single best, so the non-dominated trials with every objective's value. */
function frontLines(input: ResultsInput, options: ResultsOptions): string[] {
  const front = input.paretoFront ?? [];
  const directions = input.objectives.map((o) => `${o.name} ${o.direction}`).join(", ");
  const volume = input.hypervolume !== undefined ? `, hypervolume ${formatNumber(input.hypervolume)}` : "";
  if (front.length === 0)
    return [`Pareto front (${directions}): none yet, no trial reported every objective`];
  const lines = [`Pareto front (${directions}): ${front.length} non-dominated trial(s)${volume}`];
  const shown = front.slice(0, options.frontShown);
  const parameterNames = parameterNamesOf(shown);
  const rows = shown.map((t) => [
    String(t.index),
    ...input.objectives.map((o) => {
      const value = t.metrics[o.name];
      return value === undefined ? "-" : formatNumber(value);
    }),
    ...parameterCells(t.parameters, parameterNames),
  ]);
  const header = ["trial", ...input.objectives.map((o) => `${o.name} (${o.direction})`), ...parameterNames];
  lines.push("", ...table(header, rows));
  if (front.length > shown.length)
    lines.push(`… ${front.length - shown.length} more on the front; ${options.moreFront}`);
  return lines;
}

/** Trials with a result first, best first; then the rest by index. */
function rankForTable(input: ResultsInput): ResultTrial[] {
  const objective = input.objectives[0];
  const sign = objective?.direction === "Maximize" ? -1 : 1;
  const value = (t: ResultTrial) => t.metrics?.[objective?.name ?? ""];
  const scored = input.trials.filter((t) => t.phase === "Succeeded" && value(t) !== undefined);
  scored.sort((a, b) => sign * ((value(a) ?? 0) - (value(b) ?? 0)) || a.index - b.index);
  const rest = input.trials.filter((t) => !scored.includes(t));
  return [...scored, ...rest];
}

function parameterNamesOf(trials: readonly { parameters: ParameterValues }[]): string[] {
  return [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
}

function parameterCells(parameters: ParameterValues, names: readonly string[]): string[] {
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
