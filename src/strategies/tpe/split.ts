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
  const weights = new Array<number>(n).fill(1);
  const rampLength = n - FLAT_WEIGHT_TRIALS;
  for (let i = 0; i < rampLength; i++) {
    weights[i] = rampLength === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (rampLength - 1);
  }
  return weights;
}

export interface Split {
  /** Both in trial order, as the weights' ramp is by age. */
  readonly below: readonly ObservedTrial[];
  readonly above: readonly ObservedTrial[];
  readonly belowWeights: readonly number[];
  readonly aboveWeights: readonly number[];
  /** Where the pending trials sit in `above`, ascending. */
  readonly pendingInAbove: readonly number[];
}

const EPS = 1e-12;

/**
 * Pending trials always go above: the constant liar (Optuna's
 * `constant_liar=True`) pretends they did badly, which pushes the next
 * suggestion away from points still being evaluated.
 */
export function splitObservations(observed: readonly ObservedTrial[], objectiveCount: number): Split {
  const inOrder = isInIndexOrder(observed) ? observed : [...observed].sort((a, b) => a.index - b.index);
  const finished = inOrder.filter((t) => t.state !== "pending");
  const pending = inOrder.filter((t) => t.state === "pending");
  return splitByState(finished, pending, objectiveCount);
}

/**
 * The split of finished and pending trials, each in index order; `below`
 * when the caller has it already (fold.ts keeps it between calls). Touches
 * only the trials it must: the good group is found by binary search and the
 * pending trials merged in where they fall.
 */
export function splitByState(
  finished: readonly ObservedTrial[],
  pending: readonly ObservedTrial[],
  objectiveCount: number,
  chosen: ReadonlySet<ObservedTrial> = chooseBelow(finished, objectiveCount),
): Split {
  const below = [...chosen].sort((a, b) => a.index - b.index);
  const { above, pendingInAbove } = mergeAbove(finished, below, pending);
  const belowWeights = objectiveCount > 1 ? hypervolumeWeights(below) : defaultWeights(below.length);
  return { below, above, belowWeights, aboveWeights: defaultWeights(above.length), pendingInAbove };
}

/** The good group of the finished trials: the best `defaultGamma(n)` of them. */
export function chooseBelow(finished: readonly ObservedTrial[], objectiveCount: number): Set<ObservedTrial> {
  const nBelow = defaultGamma(finished.length);
  if (objectiveCount > 1) return belowMultiObjective(finished, nBelow);
  return new Set(keepBest([], finished, nBelow));
}

function isInIndexOrder(observed: readonly ObservedTrial[]): boolean {
  for (let i = 1; i < observed.length; i++) {
    if ((observed[i - 1] as ObservedTrial).index > (observed[i] as ObservedTrial).index) return false;
  }
  return true;
}

/** First position in `sorted` (by index) whose index is at least `index`. */
function lowerBound(sorted: readonly ObservedTrial[], index: number, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as ObservedTrial).index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** finished − below, with pending merged in by index; the positions pending trials took. */
function mergeAbove(
  finished: readonly ObservedTrial[],
  below: readonly ObservedTrial[],
  pending: readonly ObservedTrial[],
): { above: ObservedTrial[]; pendingInAbove: number[] } {
  const pieces: ObservedTrial[][] = [];
  let from = 0;
  for (const t of below) {
    const at = lowerBound(finished, t.index, from);
    pieces.push(finished.slice(from, at));
    from = at + 1;
  }
  pieces.push(finished.slice(from));
  const rest = ([] as ObservedTrial[]).concat(...pieces);
  if (pending.length === 0) return { above: rest, pendingInAbove: [] };
  // Pending trials are the newest, so only the tail from the first of them needs merging.
  const cut = lowerBound(rest, (pending[0] as ObservedTrial).index);
  const above = rest.slice(0, cut);
  const pendingInAbove: number[] = [];
  let r = cut;
  for (const p of pending) {
    while (r < rest.length && (rest[r] as ObservedTrial).index < p.index)
      above.push(rest[r++] as ObservedTrial);
    pendingInAbove.push(above.length);
    above.push(p);
  }
  while (r < rest.length) above.push(rest[r++] as ObservedTrial);
  return { above, pendingInAbove };
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

/**
 * The best `size` of `best` (already sorted, best first) and `candidates`,
 * best first, in one pass over the candidates: O(N), where sorting every
 * trial was O(N log N); and the way fold.ts adds newly finished trials to the
 * good group it kept.
 */
export function keepBest(
  best: readonly ObservedTrial[],
  candidates: readonly ObservedTrial[],
  size: number,
): ObservedTrial[] {
  const kept = best.slice(0, size);
  if (size === 0) return kept;
  for (const trial of candidates) {
    if (kept.length === size && betterForBelow(trial, kept[size - 1] as ObservedTrial) >= 0) continue;
    let at = kept.length;
    while (at > 0 && betterForBelow(trial, kept[at - 1] as ObservedTrial) < 0) at--;
    kept.splice(at, 0, trial);
    if (kept.length > size) kept.pop();
  }
  return kept;
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
