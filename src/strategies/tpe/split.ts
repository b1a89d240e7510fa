/**
 * Splitting the observed trials into the "good" group that fits l(x) and the
 * "bad" group that fits g(x), with each group's kernel weights, following
 * Optuna's TPESampler defaults (Watanabe 2023, §3.1 and §3.3).
 */
import { hypervolume } from "../../space/hypervolume.js";
import { firstFronts, type LossVector, nonDominatedIndices } from "../../space/pareto.js";
import type { ObservedTrial } from "./observations.js";

/** Optuna's `default_gamma`: the best 10% of trials, at most 25. */
export function defaultGamma(finished: number): number {
  return Math.min(Math.ceil(0.1 * finished), 25);
}

/** How many of the newest trials `defaultWeights` gives full weight. */
export const FLAT_WEIGHT_TRIALS = 25;

/** Optuna's `default_weights`: flat for the newest 25 trials, a linear ramp from 1/n for the older ones. */
export function defaultWeights(n: number): number[] {
  if (n < FLAT_WEIGHT_TRIALS) return new Array<number>(n).fill(1);
  const rampLength = n - FLAT_WEIGHT_TRIALS;
  const ramp = Array.from({ length: rampLength }, (_, i) =>
    rampLength === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (rampLength - 1),
  );
  return [...ramp, ...new Array<number>(FLAT_WEIGHT_TRIALS).fill(1)];
}

export interface Split {
  /** Both in trial order, as the weights' ramp is by age. */
  readonly below: readonly ObservedTrial[];
  readonly above: readonly ObservedTrial[];
  readonly belowWeights: readonly number[];
  readonly aboveWeights: readonly number[];
}

const EPS = 1e-12;

/**
 * Pending trials always go above: the constant liar (Optuna's
 * `constant_liar=True`) pretends they did badly, which pushes the next
 * suggestion away from points still being evaluated.
 */
export function splitObservations(observed: readonly ObservedTrial[], objectiveCount: number): Split {
  const finished = observed.filter((t) => t.state !== "pending");
  const nBelow = defaultGamma(finished.length);
  const belowSet =
    objectiveCount > 1 ? belowMultiObjective(finished, nBelow) : belowSingleObjective(finished, nBelow);
  const inOrder = isInIndexOrder(observed) ? observed : [...observed].sort((a, b) => a.index - b.index);
  const below = inOrder.filter((t) => belowSet.has(t));
  const above = inOrder.filter((t) => !belowSet.has(t));
  const belowWeights = objectiveCount > 1 ? hypervolumeWeights(below) : defaultWeights(below.length);
  return { below, above, belowWeights, aboveWeights: defaultWeights(above.length) };
}

function isInIndexOrder(observed: readonly ObservedTrial[]): boolean {
  for (let i = 1; i < observed.length; i++) {
    if ((observed[i - 1] as ObservedTrial).index > (observed[i] as ObservedTrial).index) return false;
  }
  return true;
}

/** Complete trials by loss, then pruned ones: deeper first, then by their last value (Optuna's pruned-trial score). */
function betterForBelow(a: ObservedTrial, b: ObservedTrial): number {
  return (
    Number(a.state === "pruned") - Number(b.state === "pruned") ||
    (a.state === "pruned" ? b.step - a.step : 0) ||
    (a.losses[0] as number) - (b.losses[0] as number) ||
    a.index - b.index
  );
}

/** The best `nBelow` (at most 25) by one pass that keeps them sorted: O(N), where sorting every trial was O(N log N). */
function belowSingleObjective(finished: readonly ObservedTrial[], nBelow: number): Set<ObservedTrial> {
  const best: ObservedTrial[] = [];
  if (nBelow === 0) return new Set();
  for (const trial of finished) {
    if (best.length === nBelow && betterForBelow(trial, best[nBelow - 1] as ObservedTrial) >= 0) continue;
    let at = best.length;
    while (at > 0 && betterForBelow(trial, best[at - 1] as ObservedTrial) < 0) at--;
    best.splice(at, 0, trial);
    if (best.length > nBelow) best.pop();
  }
  return new Set(best);
}

/**
 * MOTPE's split (Optuna's `_split_complete_trials_multi_objective`): whole
 * non-domination ranks while they fit, then the rank that overflows is cut
 * by greedy hypervolume subset selection. Pruned trials always go above.
 */
function belowMultiObjective(finished: readonly ObservedTrial[], nBelow: number): Set<ObservedTrial> {
  const complete = finished.filter((t) => t.state === "complete");
  if (nBelow === 0 || complete.length === 0) return new Set();
  const selected = new Set<ObservedTrial>();
  for (const rank of firstFronts(
    complete.map((t) => t.losses),
    nBelow,
  )) {
    const members = rank.map((i) => complete[i] as ObservedTrial);
    if (selected.size + members.length <= nBelow) {
      for (const t of members) selected.add(t);
      continue;
    }
    for (const t of greedyHypervolumeSubset(members, nBelow - selected.size)) selected.add(t);
  }
  return selected;
}

/** Optuna's `_get_reference_point`: 10% beyond the worst value, away from zero. */
function referencePoint(points: readonly LossVector[]): number[] {
  const objectives = (points[0] as LossVector).length;
  return Array.from({ length: objectives }, (_, m) => {
    const worst = Math.max(...points.map((p) => p[m] as number));
    const reference = Math.max(1.1 * worst, 0.9 * worst);
    return reference === 0 ? EPS : reference;
  });
}

/** Greedy hypervolume subset selection: add the member with the largest contribution, `size` times. */
function greedyHypervolumeSubset(members: readonly ObservedTrial[], size: number): ObservedTrial[] {
  const reference = referencePoint(members.map((t) => t.losses));
  const chosen: ObservedTrial[] = [];
  const left = [...members];
  while (chosen.length < size && left.length > 0) {
    let bestAt = 0;
    let bestVolume = Number.NEGATIVE_INFINITY;
    left.forEach((candidate, i) => {
      const v = hypervolume(
        [...chosen, candidate].map((t) => t.losses),
        reference,
      );
      if (v > bestVolume) {
        bestVolume = v;
        bestAt = i;
      }
    });
    chosen.push(left.splice(bestAt, 1)[0] as ObservedTrial);
  }
  return chosen;
}

/**
 * MOTPE's weights for the good group (Optuna's
 * `_calculate_weights_below_for_multi_objective`): each trial's exclusive
 * hypervolume contribution, relative to the largest; dominated ones get EPS.
 */
function hypervolumeWeights(below: readonly ObservedTrial[]): number[] {
  if (below.length === 0) return [];
  const points = below.map((t) => t.losses);
  const reference = referencePoint(points);
  const front = nonDominatedIndices(points);
  const frontPoints = front.map((i) => points[i] as LossVector);
  const total = hypervolume(frontPoints, reference);
  const contributions = new Array<number>(below.length).fill(0);
  front.forEach((i, k) => {
    contributions[i] =
      total -
      hypervolume(
        frontPoints.filter((_, j) => j !== k),
        reference,
      );
  });
  const largest = Math.max(EPS, ...contributions);
  return contributions.map((c) => Math.min(1, Math.max(EPS, c / largest)));
}
