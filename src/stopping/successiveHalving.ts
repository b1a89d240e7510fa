import type { TrialObservation } from "../api/index.js";
import { lastStep, learningCurve } from "./curve.js";
import { currentRung, type Ladder, promotion, rungEntries, rungValue } from "./rungs.js";
import type { StopDecision, StoppingRequest } from "./types.js";

/**
 * One successive-halving ladder over a group of trials (all of them for ASHA,
 * one bracket for Hyperband). A running trial is judged at the highest rung
 * it has reached, against every value recorded at that rung by the trials of
 * its group. Being stateless, the rule judges again on every plan until the
 * trial reaches the next rung, so a trial let through while its rung was
 * sparse can still be stopped there once better trials arrive (Optuna judges
 * once, at the crossing report; the two agree when trials run one at a time).
 */
export function successiveHalving(
  request: StoppingRequest,
  ladder: Ladder,
  group: readonly TrialObservation[],
  candidates: readonly TrialObservation[],
  label: string,
): StopDecision[] {
  const { settings, metric } = request;
  const maximize = metric.direction === "Maximize";
  const decisions: StopDecision[] = [];
  for (const trial of candidates) {
    const curve = learningCurve(trial, metric.name);
    const step = lastStep(curve);
    if (step === undefined || step < settings.startStep || step < settings.minResource) continue;
    // A trial that has had its full budget is done: stopping it would save nothing.
    if (ladder.maxResource !== undefined && step >= ladder.maxResource) continue;
    const rung = currentRung(ladder, step);
    if (rung === undefined) continue;
    const value = rungValue(curve, rung);
    if (value === undefined) continue;
    const competing = rungEntries(group, metric.name, rung);
    const { promoted, bar } = promotion(value, competing, ladder.reductionFactor, maximize);
    if (promoted) continue;
    decisions.push({
      index: trial.index,
      step: rung,
      message:
        `${label}: ${metric.name} ${value} at the rung of step ${rung} is not in the top 1/${ladder.reductionFactor} ` +
        `of the ${competing.length} values there (needs ${maximize ? "≥" : "≤"} ${bar})`,
    });
  }
  return decisions;
}
