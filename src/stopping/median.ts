import { lastStep, learningCurve } from "./curve.js";
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
 */
export const medianRule: StoppingRule = {
  name: "Median",
  decide({ settings, metric, history, candidates }: StoppingRequest): StopDecision[] {
    const maximize = metric.direction === "Maximize";
    const finishedCurves = history
      .filter((t) => t.phase === "Succeeded" || t.phase === "EarlyStopped")
      .map((t) => learningCurve(t, metric.name));
    const decisions: StopDecision[] = [];
    for (const trial of candidates) {
      const curve = learningCurve(trial, metric.name);
      const step = lastStep(curve);
      if (step === undefined || step < settings.startStep) continue;
      const peers = finishedCurves.map((c) => c.get(step)).filter((v): v is number => v !== undefined);
      if (peers.length < settings.minTrials) continue;
      const values = [...curve.values()];
      const bestSoFar = maximize ? Math.max(...values) : Math.min(...values);
      const bar = median(peers);
      if (maximize ? bestSoFar < bar : bestSoFar > bar) {
        decisions.push({
          index: trial.index,
          message: `best ${metric.name} ${bestSoFar} by step ${step} is worse than the median ${bar} of ${peers.length} trials`,
        });
      }
    }
    return decisions;
  },
};
