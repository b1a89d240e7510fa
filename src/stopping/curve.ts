import type { TrialObservation } from "../api/index.js";

/**
 * A trial's learning curve for one metric: step → value. Reports without a
 * step are numbered 1, 2, 3… in the order they came, so that a script that
 * prints one line per epoch needs no step at all.
 */
export function learningCurve(trial: TrialObservation, metric: string): Map<number, number> {
  const curve = new Map<number, number>();
  let ordinal = 0;
  for (const report of trial.history) {
    const value = report.values[metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    ordinal += 1;
    curve.set(report.step ?? ordinal, value);
  }
  return curve;
}

/** The latest step of a curve, or undefined for an empty one. */
export function lastStep(curve: Map<number, number>): number | undefined {
  let last: number | undefined;
  for (const step of curve.keys()) if (last === undefined || step > last) last = step;
  return last;
}
