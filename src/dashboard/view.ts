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
import { bestOf, paretoFront, type RankedTrial, rankableTrials } from "../engine/index.js";

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
  return listItemOf(job, rankableTrials(job.spec, job.trials, objectivesOf(job.spec)));
}

/** The list item from trials already ranked (building a view ranks them once for both). */
function listItemOf(job: SourceJob, ranked: readonly RankedTrial[]): JobListItem {
  const objectives = objectivesOf(job.spec);
  const primary = objectives[0] as ObjectiveSpec;
  const best = bestOf(ranked, primary);
  let active = 0;
  for (const t of job.trials) if (t.phase === "Pending" || t.phase === "Running") active++;
  return {
    id: job.id,
    source: job.source,
    namespace: job.namespace,
    name: job.name,
    phase: job.phase,
    finished: job.trials.length - active,
    active,
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
    job: listItemOf(job, ranked),
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
    curves: curvesOf(trials, primary.name),
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

/**
 * The trials as columns, in one pass: at 50,000 trials a pass per field (and
 * the arrays in between) took most of the view's time.
 */
function columnsOf(
  spec: TuningJobSpec,
  trials: readonly SourceTrial[],
  space: readonly Parameter[],
): TrialColumns {
  const n = trials.length;
  const nulls = <T>() => new Array<T | null>(n).fill(null);
  const columns: TrialColumns = {
    index: new Array<number>(n),
    phase: new Array<string>(n),
    reason: nulls(),
    message: nulls(),
    createdAt: new Array<number>(n),
    finishedAt: nulls(),
    params: {},
    metrics: {},
    stoppedAtStep: nulls(),
  };
  // The space's parameters first, then any others in the order trials have them; metrics likewise.
  for (const p of space) columns.params[p.name] = nulls();
  for (let i = 0; i < n; i++) {
    const t = trials[i] as SourceTrial;
    columns.index[i] = t.index;
    columns.phase[i] = t.interrupted ? "Interrupted" : t.phase;
    columns.reason[i] = t.reason ?? null;
    columns.message[i] = t.message ?? null;
    columns.createdAt[i] = t.createdAt;
    columns.finishedAt[i] = t.finishedAt ?? null;
    if (t.phase === "EarlyStopped") columns.stoppedAtStep[i] = lastStep(t.history);
    for (const name in t.parameters) {
      columns.params[name] ??= nulls();
      (columns.params[name] as (ParameterValue | null)[])[i] = t.parameters[name] ?? null;
    }
    const m = t.phase === "Pending" || t.phase === "Running" ? latestValues(t.history) : metricsOf(spec, t);
    for (const name in m) {
      columns.metrics[name] ??= nulls();
      (columns.metrics[name] as (number | null)[])[i] = finite(m[name]);
    }
  }
  return columns;
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

function curvesOf(trials: readonly SourceTrial[], metric: string): Curve[] {
  const curves: Curve[] = [];
  for (const t of trials) if (hasSteps(t.history, metric)) curves.push(curveOf(t, metric));
  return curves;
}

function hasSteps(history: readonly MetricReport[], metric: string): boolean {
  let reports = 0;
  for (const r of history) if (r.values[metric] !== undefined && ++reports > 1) return true;
  return false;
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
