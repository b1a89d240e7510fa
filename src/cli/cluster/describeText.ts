/**
 * `hypertune describe`'s text: kubectl describe's "Key: value" header for
 * the job's state, then the results in the local run's own words (the shared
 * resultLines), then the job's Events as kubectl lists them.
 */
import type { Condition, TrialSummary } from "../../api/index.js";
import { formatElapsed } from "../../local/progress/format.js";
import { type RankedResult, type ResultTrial, resultLines } from "../../local/progress/results.js";
import { JOB_LABEL } from "../../operator/labels.js";
import { ageOf } from "./age.js";
import { columns } from "./columns.js";
import { eventLines } from "./eventLines.js";
import { type JobSummary, objectivesOfJob, strategyText, summarizeJob } from "./jobSummary.js";
import { type StoredEvent, type StoredTrial, type StoredTuningJob, timeOf } from "./objects.js";

/** What a list call returned, or why it could not be read (describe shows the rest anyway). */
export type Listed<T> = { items: T[] } | { error: string };

export interface DescribeInput {
  job: StoredTuningJob;
  trials: Listed<StoredTrial>;
  events: Listed<StoredEvent>;
  nowMs: number;
  /** Rows of the top-trials table. */
  top: number;
}

/** Rows of the Pareto front shown, as in the local summary. */
const FRONT_SHOWN = 20;

export function formatDescribe(input: DescribeInput): string {
  const { job, nowMs } = input;
  const summary = summarizeJob(job);
  const status = job.status;
  const namespace = summary.namespace;
  const objectives = objectivesOfJob(job);
  const field = (key: string, value: string | undefined): string[][] =>
    value === undefined || value === "" ? [] : [[`${key}:`, value]];
  const condition = conditionOfPhase(status?.conditions, status?.phase);
  const header = [
    ...field("Name", summary.name),
    ...field("Namespace", namespace),
    ...field("Created", timeWithAge(summary.creationTimestamp, nowMs)),
    ...field(
      "Phase",
      summary.phase ?? "<none> (not reconciled yet: is the operator running and watching this namespace?)",
    ),
    ...field("Reason", condition?.reason),
    ...field("Message", status?.message),
    ...field(objectives.length > 1 ? "Objectives" : "Objective", objectivesText(objectives)),
    ...field("Strategy", strategyWithSeed(strategyText(summary), status?.seed)),
    ...field("Trials", trialsText(job, summary)),
    ...field("Started", timeWithAge(status?.startTime, nowMs)),
    ...field("Completed", completedText(status?.startTime, status?.completionTime, nowMs)),
  ];
  // kubectl describe's layout: values in one column after the longest key.
  const lines = columns(header, 2);
  const results = resultLines(
    {
      objectives,
      ...(status?.bestTrial?.objectiveValue !== undefined && {
        best: {
          index: status.bestTrial.index,
          objectiveValue: status.bestTrial.objectiveValue,
          parameters: status.bestTrial.parameters,
        },
      }),
      ...(status?.paretoFront && { paretoFront: status.paretoFront.map(ranked) }),
      ...(status?.paretoHypervolume !== undefined && { hypervolume: status.paretoHypervolume }),
      trials: "items" in input.trials ? input.trials.items.map(resultTrial) : [],
    },
    {
      top: input.top,
      frontShown: FRONT_SHOWN,
      moreTrials: `all of them with kubectl get trials -n ${namespace} -l ${JOB_LABEL}=${summary.name}`,
      moreFront: `all of it with kubectl get tj ${summary.name} -n ${namespace} -o jsonpath='{.status.paretoFront}'`,
    },
  );
  if (results.length > 0) lines.push("", ...results);
  if ("error" in input.trials) lines.push("", `Top trials not shown: ${input.trials.error}`);
  lines.push(
    "",
    ...("error" in input.events
      ? [`Events:  not shown: ${input.events.error}`]
      : eventLines(input.events.items, nowMs)),
  );
  return `${lines.join("\n")}\n`;
}

/** The condition that explains the phase: Complete for Complete, …, Running for Running and Pending. */
function conditionOfPhase(
  conditions: Condition[] | undefined,
  phase: string | undefined,
): Condition | undefined {
  if (!phase) return undefined;
  const type = phase === "Pending" ? "Running" : phase;
  return conditions?.find((c) => c.type === type);
}

function objectivesText(objectives: ReturnType<typeof objectivesOfJob>): string {
  return objectives.map((o) => `${o.name} (${o.direction})`).join(", ");
}

function strategyWithSeed(strategy: string, seed: number | undefined): string {
  return seed === undefined ? strategy : `${strategy} (seed ${seed})`;
}

/** "4/10 finished (3 succeeded, 1 failed), 2 active". */
function trialsText(job: StoredTuningJob, summary: JobSummary): string | undefined {
  if (summary.maxTrials === undefined) return undefined;
  const counts = job.status?.trials;
  const parts = [
    [counts?.succeeded, "succeeded"],
    [counts?.failed, "failed"],
    [counts?.earlyStopped, "stopped early"],
    [counts?.metricsUnavailable, "without the objective"],
    [counts?.preempted, "preempted"],
  ]
    .filter(([n]) => typeof n === "number" && n > 0)
    .map(([n, what]) => `${n} ${what}`);
  const finished = `${summary.finished ?? 0}/${summary.maxTrials} finished`;
  const active = counts?.active ? `, ${counts.active} active` : "";
  return `${finished}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}${active}`;
}

function timeWithAge(time: string | undefined, nowMs: number): string | undefined {
  if (!time) return undefined;
  return `${time} (${ageOf(timeOf(time), nowMs)} ago)`;
}

function completedText(
  start: string | undefined,
  end: string | undefined,
  nowMs: number,
): string | undefined {
  const text = timeWithAge(end, nowMs);
  const took = (timeOf(end) ?? 0) - (timeOf(start) ?? Number.NaN);
  return text && Number.isFinite(took) ? `${text}, after ${formatElapsed(took)}` : text;
}

function resultTrial(trial: StoredTrial): ResultTrial {
  return {
    index: trial.spec?.index ?? -1,
    parameters: trial.spec?.parameters ?? {},
    phase: trial.status?.phase ?? "Pending",
    ...(trial.status?.metrics && { metrics: trial.status.metrics }),
  };
}

function ranked(entry: TrialSummary): RankedResult {
  return {
    index: entry.index,
    parameters: entry.parameters,
    metrics: entry.metrics,
    objectiveValue: entry.objectiveValue ?? Number.NaN,
  };
}
