/**
 * g(x), the density of the "bad" group, from a bounded number of kernels, so
 * a suggestion costs the same at 50,000 trials as at 1,000.
 *
 * g has one kernel per bad trial: fitting it (a sort per dimension for the
 * bandwidths) and scoring 24 candidates against it grew with the history, to
 * ~1 s per suggestion at 50,000 trials. Past `ABOVE_KERNEL_CAP` kernels, the
 * older finished trials are replaced by a systematic sample of them, drawn in
 * proportion to their weights (Optuna's age ramp), each drawn kernel carrying
 * an equal share of their total weight: a Monte-Carlo estimate of the same
 * mixture (systematic resampling, as in particle filters), not a window that
 * would forget the early search. Pending trials and the newest
 * `FLAT_WEIGHT_TRIALS` are kept one for one: the constant liar must see
 * every running trial, and the newest trials carry the most weight.
 *
 * The sample is a pure function of the history (no random draw), so a
 * restarted operator plans the same.
 */
import type { ObservedTrial } from "./observations.js";
import { FLAT_WEIGHT_TRIALS } from "./split.js";

/** The most kernels g(x) is fitted to from the older finished trials. */
export const ABOVE_KERNEL_CAP = 512;

export interface WeightedPoints {
  readonly points: Float64Array[];
  readonly weights: number[];
}

/**
 * The above group's points and weights, the older finished ones resampled
 * past `cap`. `pendingInAbove`: the pending trials' positions, ascending
 * (Split's), so no trial need be looked at to tell.
 */
export function boundedKernels(
  above: readonly ObservedTrial[],
  weights: readonly number[],
  pendingInAbove: readonly number[],
  cap = ABOVE_KERNEL_CAP,
): WeightedPoints {
  const keptFrom = Math.max(0, above.length - FLAT_WEIGHT_TRIALS);
  const pendingOlder = pendingInAbove.filter((i) => i < keptFrom);
  if (keptFrom - pendingOlder.length <= cap) {
    return { points: above.map((t) => t.point), weights: [...weights] };
  }
  // The older finished positions: 0…keptFrom−1 without the pending ones.
  const older: number[] = [];
  let next = 0;
  for (let i = 0; i < keptFrom; i++) {
    if (i === pendingOlder[next]) next++;
    else older.push(i);
  }
  const drawn = systematicSample(
    older.map((i) => weights[i] as number),
    cap,
  );
  const points: Float64Array[] = [];
  const out: number[] = [];
  for (const [position, weight] of drawn) {
    points.push((above[older[position] as number] as ObservedTrial).point);
    out.push(weight);
  }
  for (const i of [
    ...pendingOlder,
    ...Array.from({ length: above.length - keptFrom }, (_, k) => keptFrom + k),
  ]) {
    points.push((above[i] as ObservedTrial).point);
    out.push(weights[i] as number);
  }
  return { points, weights: out };
}

/**
 * `count` evenly spaced marks, at (j + ½)·total/count for j = 0…count−1, over
 * the running sum of the weights: each position hit gets total/count per mark
 * (a position can be hit more than once when its weight exceeds the spacing).
 */
function systematicSample(weights: readonly number[], count: number): Map<number, number> {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const spacing = total / count;
  const hits = new Map<number, number>();
  let position = 0;
  let runningSum = weights[0] as number;
  for (let j = 0; j < count; j++) {
    const mark = (j + 0.5) * spacing;
    while (runningSum < mark && position < weights.length - 1) {
      position += 1;
      runningSum += weights[position] as number;
    }
    hits.set(position, (hits.get(position) ?? 0) + spacing);
  }
  return hits;
}
