/**
 * Parameter importance by PED-ANOVA (Watanabe et al., IJCAI 2023, "PED-ANOVA:
 * Efficiently Quantifying Hyperparameter Importance in Arbitrary Subspaces"),
 * computed as Optuna's PedAnovaImportanceEvaluator does: a parameter matters
 * as much as its density among the best trials (the top `targetQuantile`)
 * differs, in Pearson divergence, from its density among the trials of the
 * region looked at (the top `regionQuantile`, by default all of them).
 *
 * Conditional parameters follow Optuna's reading of conditional PED-ANOVA:
 * trials where a parameter is absent add nothing to it, and the divergence
 * among the trials where it is present is weighted by α²/β, α and β being
 * the shares of the target and region trials that have it.
 *
 * Linear in the number of trials after one sort of their values, so a
 * dashboard can afford it on every refresh.
 */
import { lossOf, type ObjectiveSpec, type Parameter, type ParameterValues } from "../api/index.js";
import { parameterGrid } from "./grid.js";
import { categoricalDensity, ordinalDensity, pearsonDivergence } from "./parzen.js";

export interface ScoredTrial {
  readonly parameters: ParameterValues;
  readonly value: number;
}

export interface ImportanceOptions {
  /** Share of the trials (the best ones) whose parameters are explained; Optuna's default 0.1. */
  targetQuantile?: number;
  /** Share of the trials (the best ones) they are compared with; 1 compares with every trial. */
  regionQuantile?: number;
}

export interface ParameterImportance {
  name: string;
  /** Share of the total, so the importances of a space add up to 1 (or are all 0). */
  importance: number;
}

/** Fewer target trials than this say nothing about any parameter. */
const MIN_TARGET_TRIALS = 2;
/** Optuna's floor on the trials where a parameter is present, below which it scores 0. */
const MIN_TRIALS_WITH_PARAMETER = 2;

/**
 * Every parameter of the space with its importance, most important first
 * (ties keep the space's order). All 0 when there is nothing to go on:
 * fewer than 2 trials in the target set, or target and region the same.
 * Trials with a non-finite value are left out, and so are values a
 * parameter cannot take.
 */
export function parameterImportance(
  parameters: readonly Parameter[],
  trials: readonly ScoredTrial[],
  direction: ObjectiveSpec["direction"],
  options: ImportanceOptions = {},
): ParameterImportance[] {
  const targetQuantile = options.targetQuantile ?? 0.1;
  const regionQuantile = options.regionQuantile ?? 1;
  if (!(targetQuantile > 0 && targetQuantile <= regionQuantile && regionQuantile <= 1))
    throw new RangeError(
      `need 0 < targetQuantile <= regionQuantile <= 1, got ${targetQuantile} and ${regionQuantile}`,
    );
  const scored = trials.filter((t) => Number.isFinite(t.value));
  const losses = Float64Array.from(scored, (t) => lossOf(t.value, direction));
  const sortedLosses = losses.slice().sort();
  const sets: TrialSets = {
    trials: scored,
    losses,
    targetCutoff: quantileCutoff(sortedLosses, targetQuantile),
    regionCutoff: quantileCutoff(sortedLosses, regionQuantile),
    targetSize: 0,
    regionSize: 0,
  };
  for (const loss of losses) {
    if (loss <= sets.targetCutoff) sets.targetSize += 1;
    if (loss <= sets.regionCutoff) sets.regionSize += 1;
  }

  let scores = parameters.map(() => 0);
  if (sets.targetSize >= MIN_TARGET_TRIALS && sets.targetSize < sets.regionSize)
    scores = parameters.map((p) => divergenceScore(p, sets));
  const total = scores.reduce((a, b) => a + b, 0);
  return parameters
    .map((p, i) => ({ name: p.name, importance: total > 0 ? (scores[i] as number) / total : 0 }))
    .sort((a, b) => b.importance - a.importance);
}

/** The loss of the ⌈q·n⌉-th best trial: those at or below it are the top q (ties all in, as in Optuna). */
function quantileCutoff(sortedLosses: Float64Array, q: number): number {
  return sortedLosses[Math.ceil(q * sortedLosses.length) - 1] ?? Number.NEGATIVE_INFINITY;
}

/** The trials, and which are in the target set (loss at or below its cutoff) and in the region. */
interface TrialSets {
  trials: readonly ScoredTrial[];
  losses: Float64Array;
  targetCutoff: number;
  regionCutoff: number;
  targetSize: number;
  regionSize: number;
}

/**
 * α²/β · D(target density ‖ region density), over the trials where the
 * parameter has a legal value. (Optuna also multiplies by (γ'/γ)², the same
 * for every parameter, which normalising takes out again.)
 */
function divergenceScore(parameter: Parameter, sets: TrialSets): number {
  const grid = parameterGrid(parameter);
  if (grid.size < 2) return 0;
  // The target set lies inside the region, so one pass over the region counts both.
  const targetCounts = new Float64Array(grid.size);
  const regionCounts = new Float64Array(grid.size);
  let targetWith = 0;
  let regionWith = 0;
  for (let i = 0; i < sets.trials.length; i++) {
    const loss = sets.losses[i] as number;
    if (loss > sets.regionCutoff) continue;
    const point = grid.pointOf((sets.trials[i] as ScoredTrial).parameters[parameter.name]);
    if (point < 0) continue;
    regionCounts[point] = (regionCounts[point] as number) + 1;
    regionWith += 1;
    if (loss > sets.targetCutoff) continue;
    targetCounts[point] = (targetCounts[point] as number) + 1;
    targetWith += 1;
  }
  if (regionWith < MIN_TRIALS_WITH_PARAMETER || targetWith === 0) return 0;
  // One value throughout: nothing to explain. (Optuna returns a small
  // positive number here, an artefact of the prior weighing more in the smaller set.)
  if (regionCounts.filter((c) => c > 0).length < 2) return 0;
  const density = grid.categorical ? categoricalDensity : ordinalDensity;
  const divergence = pearsonDivergence(density(targetCounts), density(regionCounts));
  const alpha = targetWith / sets.targetSize;
  const beta = regionWith / sets.regionSize;
  return ((alpha * alpha) / beta) * divergence;
}
