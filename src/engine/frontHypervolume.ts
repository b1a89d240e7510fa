/**
 * The hypervolume of the Pareto front, the one number that says how good a
 * multi-objective search is so far (larger is better).
 *
 * Reference point: per objective, the worst value any successful trial
 * reached, moved 10% of the observed range further out (10% of the worst
 * value's magnitude, or 1, when every trial got the same value), so that
 * the extreme points of the front still add volume. The reference moves
 * as trials arrive, so compare hypervolumes within one job, or recompute
 * with a fixed reference (`hypervolume` in `src/space/hypervolume.ts`).
 */
import { lossVector, type ObjectiveSpec } from "../api/index.js";
import { hypervolume } from "../space/hypervolume.js";
import type { LossVector } from "../space/pareto.js";
import type { RankedTrial } from "./types.js";

/** Part of the range the reference point sits beyond the worst value. */
const REFERENCE_MARGIN = 0.1;

export function frontHypervolume(
  ranked: readonly RankedTrial[],
  front: readonly RankedTrial[],
  objectives: readonly ObjectiveSpec[],
  /** Per objective, the worst loss of trials no longer in `ranked` (spec.trialRetention). */
  retiredWorst?: LossVector,
): number | undefined {
  if (front.length === 0 || objectives.length === 0) return undefined;
  const lossesOf = (t: RankedTrial): number[] => lossVector(t.metrics, objectives);
  // Each retired worst is some trial's real value, so it can raise the worst but never lower the best.
  const losses = retiredWorst ? [...ranked.map(lossesOf), retiredWorst] : ranked.map(lossesOf);
  return hypervolume(front.map(lossesOf), hypervolumeReference(losses, objectives.length));
}

/**
 * The reference point the rule above gives for these loss vectors (every
 * successful trial's). Shared with the dashboard's hypervolume history so
 * that its last value is the one the job reports. A loop, not Math.max(...),
 * which runs out of stack on very long argument lists.
 */
export function hypervolumeReference(losses: readonly LossVector[], objectiveCount: number): number[] {
  return Array.from({ length: objectiveCount }, (_, m) => {
    let worst = Number.NEGATIVE_INFINITY;
    let best = Number.POSITIVE_INFINITY;
    for (const p of losses) {
      const v = p[m] as number;
      if (v > worst) worst = v;
      if (v < best) best = v;
    }
    const range = worst - best;
    const margin = range > 0 ? range : Math.abs(worst) > 0 ? Math.abs(worst) : 1;
    return worst + REFERENCE_MARGIN * margin;
  });
}
