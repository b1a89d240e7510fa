/** Trials as the engine sees them (TrialObservation), for the engine, strategy and stopping tests and the benchmarks. */
import type { ParameterValues, TrialObservation } from "../../src/api/index.js";

/**
 * A finished trial as the engine passes it to a strategy: one report of
 * `loss`, created and finished at its own index. The benchmarks and the
 * strategy unit tests build their histories from it.
 */
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

/** A trial that reported `accuracy` = values[i] at step i + 1, in the given phase. */
export const curve = (
  index: number,
  values: number[],
  phase: TrialObservation["phase"],
): TrialObservation => ({
  index,
  parameters: {},
  phase,
  history: values.map((accuracy, i) => ({ step: i + 1, values: { accuracy } })),
  createdAt: 0,
});
