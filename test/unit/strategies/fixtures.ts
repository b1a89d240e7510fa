import type { Parameter, StrategyName, TrialObservation, TuningJobSpec } from "../../../src/api/index.js";
import { createSearchSpace } from "../../../src/space/index.js";
import type { SuggestRequest } from "../../../src/strategies/index.js";
import { lossSpec } from "../../support/loss-spec.js";

/** test/support/loss-spec.ts's job spec, with a smaller default maxTrials. */
export function makeSpec(
  parameters: Parameter[],
  search: { strategy?: StrategyName; seed?: number; shuffleGrid?: boolean } = {},
  maxTrials = 100,
): TuningJobSpec {
  return lossSpec(parameters, search, maxTrials);
}

export function makeRequest(
  parameters: Parameter[],
  indices: readonly number[],
  seed: number,
  options: { shuffleGrid?: boolean; history?: TrialObservation[] } = {},
): SuggestRequest {
  const spec = makeSpec(parameters, { seed, shuffleGrid: options.shuffleGrid ?? false });
  return {
    space: createSearchSpace(spec.parameters),
    history: options.history ?? [],
    indices,
    seed,
    objectives: [{ name: "loss", direction: "Minimize", reduction: "Last" }],
    spec,
  };
}

export const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
