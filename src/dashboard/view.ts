/**
 * What the dashboard shows of a job, built the same way for a local state
 * folder and for a TuningJob on a cluster, so both pages mean the same thing.
 * Trials travel as columns (one array per field) rather than one object per
 * trial: at 50,000 trials that halves the JSON and lets the page filter and
 * plot typed arrays without reshaping them. Non-finite numbers become null
 * (JSON has no NaN).
 */

import { bestSoFar, hypervolumeHistory, parameterImportance } from "../analysis/index.js";
import {
  type MetricReport,
  metricsOf,
  type ObjectiveSpec,
  objectivesOf,
  type Parameter,
  type ParameterValue,
  type TrialObservation,
  type TuningJobSpec,
} from "../api/index.js";
import { frontHypervolume } from "../engine/frontHypervolume.js";
import { bestOf, paretoFront, rankableTrials } from "../engine/index.js";

/** A trial as a source hands it over: the engine's view plus why it ended. */
export interface SourceTrial extends TrialObservation {
  reason?: string;
  message?: string;
  /** Still Running in the record, but its runner is gone: shown as Interrupted, as the local summary does. */
  interrupted?: boolean;
}

/** A job as a source hands it over. */
export interface SourceJob {
  id: string;
  source: "local" | "cluster";
  namespace: string | null;
  name: string;
  spec: TuningJobSpec;
  /** Running, Succeeded, Failed, Interrupted (local) or the TuningJob's status.phase. */
  phase: string;
  reason: string | null;
  message: string | null;
  /** The strategy in use (what Auto chose); the spec's when not recorded yet. */
  strategy: string;
  createdAt: number;
  trials: readonly SourceTrial[];
}

export interface JobListItem {
  id: string;
  source: "local" | "cluster";
  namespace: string | null;
  name: string;
  phase: string;
  finished: number;
  active: number;
  maxTrials: number;
  objective: string;
  direction: ObjectiveSpec["direction"];
  objectives: number;
  bestValue: number | null;
  strategy: string;
  strategyRequested: string;
  createdAt: number;
}

export interface ParameterView {
  name: string;
  type: Parameter["type"];
  min?: number;
  max?: number;
  log?: boolean;
  values?: ParameterValue[];
}

export interface TrialColumns {
  index: number[];
  phase: string[];
  reason: (string | null)[];
  message: (string | null)[];
  createdAt: number[];
  finishedAt: (number | null)[];
  params: Record<string, (ParameterValue | null)[]>;
  metrics: Record<string, (number | null)[]>;
  /** Early-stopped trials: the step the rule judged them at (their last report). */
  stoppedAtStep: (number | null)[];
}

/** One trial's intermediate values of the first objective. */
export interface Curve {
  index: number;
  step: number[];
  value: (number | null)[];
}

export interface Series {
  index: number[];
  value: number[];
}

export interface JobView {
  job: JobListItem;
  reason: string | null;
  message: string | null;
  objectives: { name: string; direction: ObjectiveSpec["direction"] }[];
  parameters: ParameterView[];
  trials: TrialColumns;
  /** Index of the best trial by the first objective, as the engine ranks it. */
  best: number | null;
  /** Several objectives: indices of the non-dominated trials, best first by the first objective. */
  paretoFront: number[];
  hypervolume: number | null;
  bestSoFar: Series;
  hypervolumeHistory: Series | null;
  importance: { name: string; importance: number }[];
  curves: Curve[];
}

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

export function jobListItem(job: SourceJob): JobListItem {
  const objectives = objectivesOf(job.spec);
  const primary = objectives[0] as ObjectiveSpec;
  const best = bestOf(rankableTrials(job.spec, job.trials, objectives), primary);
  return {
    id: job.id,
    source: job.source,
    namespace: job.namespace,
    name: job.name,
    phase: job.phase,
    finished: job.trials.filter((t) => t.phase !== "Pending" && t.phase !== "Running").length,
    active: job.trials.filter((t) => t.phase === "Pending" || t.phase === "Running").length,
    maxTrials: job.spec.limits.maxTrials,
    objective: primary.name,
    direction: primary.direction,
    objectives: objectives.length,
    bestValue: finite(best?.objectiveValue),
    strategy: job.strategy,
    strategyRequested: job.spec.search.strategy,
    createdAt: job.createdAt,
  };
}

export function buildJobView(job: SourceJob): JobView {
  const objectives = objectivesOf(job.spec);
  const primary = objectives[0] as ObjectiveSpec;
  const trials = [...job.trials].sort((a, b) => a.index - b.index);
  const ranked = rankableTrials(job.spec, trials, objectives);
  const best = bestOf(ranked, primary);
  const multi = objectives.length > 1;
  const front = multi ? paretoFront(ranked, objectives) : [];
  const space = job.spec.parameters;
  return {
    job: jobListItem(job),
    reason: job.reason,
    message: job.message,
    objectives: objectives.map(({ name, direction }) => ({ name, direction })),
    parameters: space.map(parameterView),
    trials: columnsOf(job.spec, trials, space),
    best: best?.index ?? null,
    paretoFront: front.map((t) => t.index),
    hypervolume: multi ? finite(frontHypervolume(ranked, front, objectives)) : null,
    bestSoFar: bestSoFar(
      ranked.map((t) => ({ index: t.index, value: t.objectiveValue })),
      primary.direction,
    ),
    hypervolumeHistory: multi
      ? hypervolumeHistory(
          ranked.map((t) => ({ index: t.index, values: objectives.map((o) => t.metrics[o.name] as number) })),
          objectives.map((o) => o.direction),
          historyCheckpoints(objectives.length),
        )
      : null,
    importance: parameterImportance(
      space,
      ranked.map((t) => ({ parameters: t.parameters, value: t.objectiveValue })),
      primary.direction,
    ),
    curves: trials.filter((t) => hasSteps(t.history, primary.name)).map((t) => curveOf(t, primary.name)),
  };
}

/**
 * Exact hypervolume in three or more dimensions costs far more per front than
 * in two (seconds for a front of thousands), so those histories get fewer points.
 */
function historyCheckpoints(objectives: number): number {
  return objectives > 2 ? 24 : 200;
}

function parameterView(p: Parameter): ParameterView {
  switch (p.type) {
    case "Float":
      return { name: p.name, type: p.type, min: p.min, max: p.max, log: p.scale === "Log" };
    case "Int":
      return { name: p.name, type: p.type, min: p.min, max: p.max, log: p.scale === "Log" };
    case "Categorical":
    case "Discrete":
      return { name: p.name, type: p.type, values: p.values };
  }
}

function columnsOf(
  spec: TuningJobSpec,
  trials: readonly SourceTrial[],
  space: readonly Parameter[],
): TrialColumns {
  const metricNames = new Set<string>();
  const metricsByTrial = trials.map((t) => {
    const m = t.phase === "Pending" || t.phase === "Running" ? latestValues(t.history) : metricsOf(spec, t);
    for (const name of Object.keys(m)) metricNames.add(name);
    return m;
  });
  const names = [
    ...new Set([...space.map((p) => p.name), ...trials.flatMap((t) => Object.keys(t.parameters))]),
  ];
  return {
    index: trials.map((t) => t.index),
    phase: trials.map((t) => (t.interrupted ? "Interrupted" : t.phase)),
    reason: trials.map((t) => t.reason ?? null),
    message: trials.map((t) => t.message ?? null),
    createdAt: trials.map((t) => t.createdAt),
    finishedAt: trials.map((t) => t.finishedAt ?? null),
    params: Object.fromEntries(names.map((n) => [n, trials.map((t) => t.parameters[n] ?? null)])),
    metrics: Object.fromEntries([...metricNames].map((n) => [n, metricsByTrial.map((m) => finite(m[n]))])),
    stoppedAtStep: trials.map((t) => (t.phase === "EarlyStopped" ? lastStep(t.history) : null)),
  };
}

/** A running trial's latest value per metric, so the table shows where it stands. */
function latestValues(history: readonly MetricReport[]): Record<string, number> {
  const values: Record<string, number> = {};
  for (const report of history) Object.assign(values, report.values);
  return values;
}

function lastStep(history: readonly MetricReport[]): number | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const step = history[i]?.step;
    if (step !== undefined) return step;
  }
  return history.length > 0 ? history.length - 1 : null;
}

function hasSteps(history: readonly MetricReport[], metric: string): boolean {
  return history.filter((r) => r.values[metric] !== undefined).length > 1;
}

/** Reports without a step count as steps 0, 1, 2…, in the order they were made. */
function curveOf(trial: SourceTrial, metric: string): Curve {
  const step: number[] = [];
  const value: (number | null)[] = [];
  trial.history.forEach((r, i) => {
    const v = r.values[metric];
    if (v === undefined) return;
    step.push(r.step ?? i);
    value.push(finite(v));
  });
  return { index: trial.index, step, value };
}
