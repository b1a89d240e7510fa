import type { Parameter, StrategyName, TuningJobSpec } from "../../src/api/index.js";
import { TuningJobSpec as TuningJobSpecSchema } from "../../src/api/index.js";

/**
 * A job that minimises `loss` over `parameters`; `search` is the spec's
 * `search` block. The strategy unit tests and the suggestion-time benchmarks
 * build their specs with it.
 */
export function lossSpec(
  parameters: Parameter[],
  search: { strategy?: StrategyName; seed?: number; shuffleGrid?: boolean } = {},
  maxTrials = 100_000,
): TuningJobSpec {
  return TuningJobSpecSchema.parse({
    objective: { metric: "loss", direction: "Minimize" },
    parameters,
    search,
    limits: { maxTrials },
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", image: "train:1" }] } } } },
  });
}
