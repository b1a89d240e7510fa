/**
 * Histories for the model-based strategies' tests: trials with parameters
 * from Random, a phase per trial, and losses from a test function.
 */
import fc from "fast-check";
import type { ParameterValues, TrialObservation, TrialPhase } from "../../../src/api/index.js";
import type { SearchSpace } from "../../../src/space/index.js";
import { randomStrategy, type Strategy, type SuggestRequest } from "../../../src/strategies/index.js";

export const phaseArb: fc.Arbitrary<TrialPhase> = fc.constantFrom(
  "Succeeded",
  "Succeeded",
  "Succeeded",
  "Succeeded",
  "Running",
  "Failed",
  "EarlyStopped",
  "MetricsUnavailable",
);

export function observation(
  index: number,
  parameters: ParameterValues,
  phase: TrialPhase,
  metrics: Record<string, number>,
): TrialObservation {
  const finished = phase !== "Running" && phase !== "Pending" && phase !== "Failed";
  return {
    index,
    parameters,
    phase,
    history: finished ? [{ step: 1 + (index % 5), values: metrics }] : [],
    ...(phase === "Succeeded" && { metrics }),
    createdAt: index,
  };
}

/** Random parameters with the given phases, and a made-up loss per trial. */
export function randomHistory(
  space: SearchSpace,
  phases: readonly TrialPhase[],
  seed: number,
): TrialObservation[] {
  const request = { space, history: [], indices: phases.map((_, i) => i), seed } as unknown as SuggestRequest;
  return randomStrategy.suggest(request).map((parameters, index) => {
    const loss = ((index * 7919 + seed) % 101) / 10;
    return observation(index, parameters ?? {}, phases[index] as TrialPhase, { loss, cost: 10 - loss / 2 });
  });
}

/** Runs a strategy one trial at a time on `objective` and returns the losses in trial order. */
export function runSequentially(
  strategy: Strategy,
  base: Omit<SuggestRequest, "history" | "indices">,
  trials: number,
  objective: (values: ParameterValues) => Record<string, number>,
): { history: TrialObservation[] } {
  const history: TrialObservation[] = [];
  for (let index = 0; index < trials; index++) {
    const [values] = strategy.suggest({ ...base, history, indices: [index] });
    if (!values) throw new Error("strategy ran out of points");
    history.push(observation(index, values, "Succeeded", objective(values)));
  }
  return { history };
}
