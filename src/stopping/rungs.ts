/**
 * Successive halving's rungs, shared by ASHA and Hyperband. Everything here
 * is recomputed from the trials' learning curves on every call: a rung entry
 * is not stored anywhere, it is read off the curve.
 */
import type { TrialObservation } from "../api/index.js";

/** Where the rungs of one successive-halving ladder sit. */
export interface Ladder {
  /** Step of the first rung. */
  firstRung: number;
  reductionFactor: number;
  /** Full budget of a trial: no rung at or past it (stopping there saves nothing). */
  maxResource: number | undefined;
}

/** The highest rung step a trial at `step` has reached, or undefined before the first rung. */
export function currentRung(ladder: Ladder, step: number): number | undefined {
  let rung: number | undefined;
  for (let r = ladder.firstRung; r <= step; r *= ladder.reductionFactor) {
    if (ladder.maxResource !== undefined && r >= ladder.maxResource) break;
    rung = r;
  }
  return rung;
}

/**
 * A trial's value at a rung: the value it reported at the first step at or
 * past the rung (not the best so far). This is what Optuna records, since it
 * judges a trial on the report that crosses the rung.
 */
export function rungValue(curve: Map<number, number>, rung: number): number | undefined {
  let firstStep: number | undefined;
  for (const step of curve.keys()) {
    if (step >= rung && (firstStep === undefined || step < firstStep)) firstStep = step;
  }
  return firstStep === undefined ? undefined : curve.get(firstStep);
}

/**
 * Every value recorded at a rung by the given trials, whatever their phase.
 * Reads the reports directly rather than through `learningCurve`: this runs
 * for every trial on every plan, so it allocates nothing per trial.
 */
export function rungEntries(trials: readonly TrialObservation[], metric: string, rung: number): number[] {
  const values: number[] = [];
  for (const trial of trials) {
    let ordinal = 0;
    let firstStep = Number.POSITIVE_INFINITY;
    let value: number | undefined;
    for (const report of trial.history) {
      const v = report.values[metric];
      if (v === undefined || !Number.isFinite(v)) continue;
      ordinal += 1;
      const step = report.step ?? ordinal;
      // `<=`: a repeated step keeps its latest value, as in `learningCurve`.
      if (step >= rung && step <= firstStep) {
        firstStep = step;
        value = v;
      }
    }
    if (value !== undefined) values.push(value);
  }
  return values;
}

/**
 * Optuna's `_is_trial_promotable_to_next_rung`: the value goes on when it is
 * at least as good as the ⌊n/η⌋-th best of the n values at the rung (its own
 * included). With fewer than η entries only the best one goes on, since a
 * stopped trial cannot be resumed later when the rung fills up.
 * Returns the bar the value had to reach and whether it did.
 */
export function promotion(
  value: number,
  competing: readonly number[],
  reductionFactor: number,
  maximize: boolean,
): { promoted: boolean; bar: number } {
  const rank = Math.max(0, Math.floor(competing.length / reductionFactor) - 1);
  const bestFirst = [...competing].sort((a, b) => (maximize ? b - a : a - b));
  const bar = bestFirst[rank] ?? value;
  return { promoted: maximize ? value >= bar : value <= bar, bar };
}
