import { learningCurve } from "./curve.js";
import type { StopDecision, StoppingRequest, StoppingRule } from "./types.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Median rule (as in Google Vizier and Optuna's MedianPruner): stop a trial
 * whose best value so far is worse than the median of what finished trials
 * reported at the same step, once `minTrials` of them reached that step.
 *
 * A running trial is judged at every step it reported from `startStep` on,
 * in step order, and stopped at the first step where the rule fires, as if
 * each report had been judged when it came: the decision does not depend on
 * how many reports arrived between two plans. Steps at or past `maxResource`
 * are never judged: the trial has had its full budget by then.
 */
export const medianRule: StoppingRule = {
  name: "Median",
  decide({ settings, metric, history, candidates }: StoppingRequest): StopDecision[] {
    const maximize = metric.direction === "Maximize";
    const better = (a: number, b: number): boolean => (maximize ? a > b : a < b);
    const finishedCurves = history
      .filter((t) => t.phase === "Succeeded" || t.phase === "EarlyStopped")
      .map((t) => learningCurve(t, metric.name));
    const decisions: StopDecision[] = [];
    for (const trial of candidates) {
      const curve = [...learningCurve(trial, metric.name)].sort(([a], [b]) => a - b);
      let bestSoFar: number | undefined;
      for (const [step, value] of curve) {
        if (bestSoFar === undefined || better(value, bestSoFar)) bestSoFar = value;
        if (step < settings.startStep) continue;
        if (settings.maxResource !== undefined && step >= settings.maxResource) break;
        const peers = finishedCurves.map((c) => c.get(step)).filter((v): v is number => v !== undefined);
        if (peers.length < settings.minTrials) continue;
        const bar = median(peers);
        if (better(bar, bestSoFar)) {
          decisions.push({
            index: trial.index,
            step,
            message: `best ${metric.name} ${bestSoFar} by step ${step} is worse than the median ${bar} of ${peers.length} trials`,
          });
          break;
        }
      }
    }
    return decisions;
  },
};
