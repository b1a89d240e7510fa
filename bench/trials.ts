/**
 * A finished trial as the engine passes it to a strategy: one report of
 * `loss`, created and finished at its own index. The benchmarks and the
 * strategy unit tests build their histories from it.
 */
import type { ParameterValues, TrialObservation } from "../src/api/index.js";

export function finishedTrial(index: number, parameters: ParameterValues, loss: number): TrialObservation {
  return {
    index,
    parameters,
    phase: "Succeeded",
    history: [{ values: { loss } }],
    metrics: { loss },
    createdAt: index,
    finishedAt: index,
  };
}
