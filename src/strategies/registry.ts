/**
 * Strategy names → strategies, and what `Auto` means. Adding a strategy is
 * one entry in `STRATEGY_FACTORIES` (and, if Auto should pick it, one rule in
 * `resolveAutoStrategy`).
 */
import type { StrategyName, TuningJobSpec } from "../api/index.js";
import { countGridPoints, type SearchSpace } from "../space/index.js";
import { bayesianStrategy } from "./bayesian.js";
import { cmaesStrategy } from "./cmaes.js";
import { gridStrategy } from "./grid.js";
import { randomStrategy } from "./random.js";
import { sobolStrategy } from "./sobol.js";
import type { Strategy } from "./types.js";

type StrategyFactory = (space: SearchSpace, spec: TuningJobSpec) => Strategy;

const STRATEGY_FACTORIES: Readonly<Record<Exclude<StrategyName, "Auto">, StrategyFactory>> = {
  Grid: () => gridStrategy,
  Random: () => randomStrategy,
  Sobol: () => sobolStrategy,
  Bayesian: () => bayesianStrategy,
  CMAES: () => cmaesStrategy,
};

export type ConcreteStrategyName = keyof typeof STRATEGY_FACTORIES;

export function createStrategy(
  name: StrategyName | string,
  space: SearchSpace,
  spec: TuningJobSpec,
): Strategy {
  const resolved = name === "Auto" ? resolveAutoStrategy(spec, space) : name;
  if (!Object.hasOwn(STRATEGY_FACTORIES, resolved)) {
    const known = ["Auto", ...Object.keys(STRATEGY_FACTORIES)].join(", ");
    throw new Error(`unknown search strategy "${name}"; known strategies: ${known}`);
  }
  return STRATEGY_FACTORIES[resolved as ConcreteStrategyName](space, spec);
}

/**
 * Grid when the whole grid fits the trial budget (every parameter discrete,
 * Floats with a step): trying everything beats sampling. Otherwise Sobol,
 * which covers a space more evenly than random sampling for the same budget.
 */
export function resolveAutoStrategy(spec: TuningJobSpec, space: SearchSpace): "Grid" | "Sobol" {
  const fullyDiscrete = space.dims.every((dim) => dim.cardinality !== undefined);
  if (fullyDiscrete && countGridPoints(space, spec.limits.maxTrials) <= spec.limits.maxTrials) return "Grid";
  return "Sobol";
}
