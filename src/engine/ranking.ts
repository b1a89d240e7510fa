import type { ObjectiveSpec, TrialObservation, TuningJobSpec } from "../api/index.js";
import { isBetter, lossVector, metricsOf } from "../api/index.js";
import { nonDominatedIndices } from "../space/pareto.js";
import type { RankedTrial } from "./types.js";

/** Trials that finished with every objective reported, as ranked entries. Early-stopped trials are left out: their training was cut short. */
export function rankableTrials(
  spec: TuningJobSpec,
  trials: readonly TrialObservation[],
  objectives: readonly ObjectiveSpec[],
): RankedTrial[] {
  const ranked: RankedTrial[] = [];
  for (const trial of trials) {
    if (trial.phase !== "Succeeded") continue;
    const metrics = metricsOf(spec, trial);
    if (!objectives.every((o) => Number.isFinite(metrics[o.name]))) continue;
    const objectiveValue = metrics[objectives[0]?.name ?? ""] ?? Number.NaN;
    ranked.push({ index: trial.index, parameters: trial.parameters, metrics, objectiveValue });
  }
  return ranked;
}

/** The best entry by the primary objective; ties go to the earlier trial. */
export function bestOf(ranked: readonly RankedTrial[], objective: ObjectiveSpec): RankedTrial | undefined {
  let best: RankedTrial | undefined;
  for (const entry of ranked) {
    if (!best || isBetter(entry.objectiveValue, best.objectiveValue, objective.direction)) best = entry;
  }
  return best;
}

/** Non-dominated entries, ordered by the primary objective (best first). */
export function paretoFront(
  ranked: readonly RankedTrial[],
  objectives: readonly ObjectiveSpec[],
): RankedTrial[] {
  const front = nonDominatedIndices(ranked.map((t) => lossVector(t.metrics, objectives))).map(
    (i) => ranked[i] as RankedTrial,
  );
  const primary = objectives[0];
  if (!primary) return front;
  return front.sort(byObjective(primary));
}

/** Best first by the objective; ties go to the earlier trial. */
export function byObjective(objective: ObjectiveSpec): (a: RankedTrial, b: RankedTrial) => number {
  return (a, b) =>
    isBetter(a.objectiveValue, b.objectiveValue, objective.direction)
      ? -1
      : isBetter(b.objectiveValue, a.objectiveValue, objective.direction)
        ? 1
        : a.index - b.index;
}
