/**
 * The end-of-run report for people: how the job ended, then the results
 * (results.ts: the best trial and the top trials for one objective, the
 * Pareto front for several), then where the state is.
 */
import type { RunOutcome } from "../reporter.js";
import { formatElapsed } from "./format.js";
import { resultLines } from "./results.js";
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
  lines.push(...resultsOf(outcome, top));
  lines.push("", `state: ${displayPath(outcome.stateDir)} (trial output in trials/<index>.log)`);
  if (outcome.status === "Interrupted") {
    lines.push(`resume with: hypertune run ${displayPath(outcome.file)} --resume${stateDirFlag(outcome)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The shared result lines (also `hypertune describe`'s), with the local run's pointers to the rest. */
function resultsOf(outcome: RunOutcome, top: number): string[] {
  const objectives =
    outcome.objectives.length > 1
      ? outcome.objectives
      : [{ name: outcome.objectiveName, direction: outcome.objectiveDirection }];
  const trials = outcome.trials.map((t) => ({
    ...t,
    // This session is over: a trial still marked active was cut short and reruns on --resume.
    phase: t.phase === "Running" || t.phase === "Pending" ? "Interrupted" : t.phase,
  }));
  return resultLines(
    {
      objectives,
      ...(outcome.best && { best: outcome.best }),
      ...(outcome.paretoFront && { paretoFront: outcome.paretoFront }),
      ...(outcome.hypervolume !== undefined && { hypervolume: outcome.hypervolume }),
      trials,
    },
    {
      top,
      frontShown: FRONT_SHOWN,
      moreTrials: "all results in trials.jsonl",
      moreFront: "all of it with --output json",
    },
  );
}

/** The `--state-dir` to repeat on resume, when it is not the default. */
function stateDirFlag(outcome: RunOutcome): string {
  const defaultDir = `${outcome.file.replace(/[^/]+$/, "")}.hypertune/${outcome.name}`;
  return outcome.stateDir === defaultDir
    ? ""
    : ` --state-dir ${displayPath(outcome.stateDir.replace(/\/[^/]+$/, ""))}`;
}
