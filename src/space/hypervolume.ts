/**
 * The hypervolume of a set of loss vectors (every objective minimised): the
 * volume of the region they dominate and that dominates `reference`. Exact:
 * a sweep for two objectives, and the WFG algorithm (While, Bradstreet and
 * Barone 2012, "A fast way of calculating exact hypervolumes") for more,
 * which is fast for the small fronts a tuning run produces.
 */
import { type LossVector, nonDominatedIndices } from "./pareto.js";

export function hypervolume(points: readonly LossVector[], reference: readonly number[]): number {
  const inside = points.filter(
    (p) => p.length === reference.length && p.every((v, m) => v < (reference[m] as number)),
  );
  if (inside.length === 0) return 0;
  if (reference.length === 1)
    return (reference[0] as number) - Math.min(...inside.map((p) => p[0] as number));
  // The sweep passes over dominated points by itself; filtering them first would cost O(n²).
  if (reference.length === 2) return sweep2d(inside, reference);
  const front = nonDominatedIndices(inside).map((i) => inside[i] as LossVector);
  return wfg(front, reference);
}

/** Two objectives: sort by the first and add up the rectangles of the staircase. */
function sweep2d(points: readonly LossVector[], reference: readonly number[]): number {
  const sorted = [...points].sort(
    (a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number),
  );
  let volume = 0;
  let lowestSecond = reference[1] as number;
  for (const p of sorted) {
    const second = p[1] as number;
    if (second >= lowestSecond) continue;
    volume += ((reference[0] as number) - (p[0] as number)) * (lowestSecond - second);
    lowestSecond = second;
  }
  return volume;
}

function boxVolume(p: LossVector, reference: readonly number[]): number {
  let volume = 1;
  for (let m = 0; m < reference.length; m++) volume *= (reference[m] as number) - (p[m] as number);
  return volume;
}

/** WFG: the sum of each point's exclusive volume, computed against the "limit set" of the points after it. */
function wfg(points: readonly LossVector[], reference: readonly number[]): number {
  if (points.length === 0) return 0;
  if (points.length === 1) return boxVolume(points[0] as LossVector, reference);
  if (reference.length === 2) return sweep2d(points, reference);
  // Sorting by the last objective keeps limit sets small (WFG paper, §4).
  const last = reference.length - 1;
  const sorted = [...points].sort((a, b) => (b[last] as number) - (a[last] as number));
  let volume = 0;
  for (let k = 0; k < sorted.length; k++) {
    const p = sorted[k] as LossVector;
    const limited = sorted.slice(k + 1).map((q) => q.map((v, m) => Math.max(v, p[m] as number)));
    const limitFront = nonDominatedIndices(limited).map((i) => limited[i] as LossVector);
    volume += boxVolume(p, reference) - wfg(limitFront, reference);
  }
  return volume;
}
