/**
 * The history as model-based strategies see it: each trial's encoded point
 * and its losses (every objective turned into one to minimise).
 *
 * - Succeeded with every objective reported → `complete`.
 * - EarlyStopped with a reported value → `pruned`: its primary loss and the
 *   last step it reached, ranked below every complete trial (Optuna's
 *   handling of pruned trials in TPE).
 * - Pending or Running → `pending`, for the constant liar.
 * - Failed, MetricsUnavailable, and anything without usable values are left out.
 */
import {
  lossOf,
  type MetricReport,
  type ObjectiveSpec,
  type ParameterValues,
  reduceHistory,
  type TrialObservation,
} from "../../api/index.js";
import type { SearchSpace } from "../../space/index.js";

export type ObservedState = "complete" | "pruned" | "pending";

export interface ObservedTrial {
  readonly index: number;
  readonly point: Float64Array;
  readonly state: ObservedState;
  /** One per objective for `complete`, the primary only for `pruned`, empty for `pending`. */
  readonly losses: readonly number[];
  /** The last step a pruned trial reported. */
  readonly step: number;
}

// The engine asks again on every reconcile with the same trials; encoding them once per space saves most of the work.
const encodedBySpace = new WeakMap<SearchSpace, WeakMap<ParameterValues, Float64Array>>();

export function encodeParameters(space: SearchSpace, parameters: ParameterValues): Float64Array {
  let cache = encodedBySpace.get(space);
  if (!cache) {
    cache = new WeakMap();
    encodedBySpace.set(space, cache);
  }
  let point = cache.get(parameters);
  if (!point) {
    point = Float64Array.from(space.encode(parameters));
    cache.set(parameters, point);
  }
  return point;
}

export function observeHistory(
  space: SearchSpace,
  history: readonly TrialObservation[],
  objectives: readonly ObjectiveSpec[],
): ObservedTrial[] {
  const observed: ObservedTrial[] = [];
  for (const trial of history) {
    const one = observeTrial(space, trial, objectives);
    if (one) observed.push(one);
  }
  return observed.sort((a, b) => a.index - b.index);
}

/** One trial as the model sees it, or undefined when it has nothing to learn from. */
export function observeTrial(
  space: SearchSpace,
  trial: TrialObservation,
  objectives: readonly ObjectiveSpec[],
): ObservedTrial | undefined {
  const state = stateOf(trial);
  if (!state) return undefined;
  const point = encodeParameters(space, trial.parameters);
  if (state === "pending") return { index: trial.index, point, state, losses: [], step: 0 };
  const counted = state === "complete" ? objectives : objectives.slice(0, 1);
  const losses = counted.map((o) => trialLoss(trial, o));
  if (losses.length === 0 || !losses.every(Number.isFinite)) return undefined;
  return { index: trial.index, point, state, losses, step: lastStep(trial.history) };
}

function stateOf(trial: TrialObservation): ObservedState | undefined {
  switch (trial.phase) {
    case "Succeeded":
      return "complete";
    case "EarlyStopped":
      return "pruned";
    case "Pending":
    case "Running":
      return "pending";
    default:
      return undefined;
  }
}

/** The objective's value as the engine reduces it, as a loss. */
function trialLoss(trial: TrialObservation, objective: ObjectiveSpec): number {
  const carried = trial.metrics?.[objective.name];
  const value =
    carried !== undefined ? carried : reduceHistory(trial.history, objective.name, objective.reduction);
  return value === undefined ? Number.NaN : lossOf(value, objective.direction);
}

function lastStep(history: readonly MetricReport[]): number {
  const last = history[history.length - 1];
  return last?.step ?? history.length;
}
